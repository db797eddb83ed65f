import { ScaledClock } from './scaled-clock.js';
import { VirtualClock } from './virtual-clock.js';

/** `virtual`: repeatable stepped time (the default of scenarios, benches and tests); `scaled`: wall time × speed (the demo). */
export type ClockKind = 'virtual' | 'scaled';

/** The clocks a simulation runs on; both let a scenario wait for a condition and hold time for its own requests. */
export type SimClock = VirtualClock | ScaledClock;

/**
 * The clock a scenario runs on. The virtual clock ignores `speed` (it runs as fast as the CPU
 * allows). It cannot see into a broker in another process (`mqttUrl`), so with one the
 * scenario runs on the scaled clock instead and `note` says so.
 */
export function scenarioClock(kind: ClockKind, speed: number, mqttUrl?: string): { clock: SimClock; kind: ClockKind; note?: string } {
  if (kind === 'virtual' && mqttUrl)
    return {
      clock: new ScaledClock(speed),
      kind: 'scaled',
      note: `the broker at ${mqttUrl} runs in another process, where the virtual clock cannot see messages in flight: running on the scaled wall clock (x${speed}), results vary with the machine's load`,
    };
  return kind === 'virtual' ? { clock: new VirtualClock(), kind } : { clock: new ScaledClock(speed), kind };
}
