import { readFileSync } from 'node:fs';
import { DECLARATION_CALL, planBroadcast, speechSeconds, type BroadcastOptions } from '../../controller/broadcast/index.js';
import { runCheckpoint, type CheckpointModel } from './checkpoint.js';

/** What `npm run -s scenario -- --checkpoint --json` prints. */
export interface CheckpointScenarioResult {
  carsPerHourWith: number;
  carsPerHourWithout: number;
  meanWaitWithS: number;
  meanWaitWithoutS: number;
  /** carsPerHourWith ÷ carsPerHourWithout. */
  gain: number;
  stops: number;
  sorties: number;
}

/**
 * Plans the broadcast over `roadFile` (the planner's defaults and the declaration call, unless
 * `broadcast` says otherwise) and runs the checkpoint with and without the drone on the same seed.
 * Throws, naming the file, when it is not JSON or the road cannot be planned.
 */
export function runCheckpointScenario(roadFile: string, model: CheckpointModel, seed: number, broadcast: Partial<BroadcastOptions> = {}): CheckpointScenarioResult {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(roadFile, 'utf8'));
  } catch (error) {
    throw new Error(`${roadFile}: ${error instanceof SyntaxError ? `not JSON: ${error.message}` : (error as Error).message}`);
  }
  const planned = planBroadcast(input, { side: 'left', heightM: 15, offsetM: 20, messageS: speechSeconds(DECLARATION_CALL), ...broadcast });
  if (!planned.ok) throw new Error(planned.errors.map((e) => `${roadFile}: ${e.path}: ${e.message}`).join('\n'));
  const withDrone = runCheckpoint(model, planned.plan, seed);
  const without = runCheckpoint(model, undefined, seed);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    carsPerHourWith: round(withDrone.carsPerHour),
    carsPerHourWithout: round(without.carsPerHour),
    meanWaitWithS: Math.round(withDrone.meanWaitS),
    meanWaitWithoutS: Math.round(without.meanWaitS),
    gain: Math.round((withDrone.carsPerHour / without.carsPerHour) * 100) / 100,
    stops: planned.plan.stops.length,
    sorties: planned.plan.sorties.length,
  };
}
