import type { Factsheet } from '../../protocol/index.js';

/**
 * How a robot can serve a trip, read from its factsheet (`protocolFeatures.agvActions`):
 * - `isofleet`: our custom actions (`loadTrays`, `announce`, `waitForPickup` at nodes,
 *   `confirmLoaded` instant): the robot holds at the station until the medic confirms, calls at
 *   each door and waits for the resident (our robots and bridge).
 * - `contactless`: the standard `pick` and `drop` at nodes: the robot picks each load at the
 *   loading station once the medic has confirmed, drops it at its door (left at the door, the
 *   resident is told), `loadsPerLeg` at a time. The controller holds it at the station itself.
 */
export type TripPlan =
  | { kind: 'isofleet' }
  | {
      kind: 'contactless';
      /** Loads the robot carries at once: its factsheet's `loadPositions`, else one. */
      loadsPerLeg: number;
      /** The factsheet's first `loadSets[].loadType`, sent as `pick`/`drop`'s `loadType`. */
      loadType?: string;
      /** It lists `initPosition` at nodes: it is told its new map and place after a lift ride. */
      initPositionAfterLift: boolean;
    };

/** The isofleet actions a robot must list for the `isofleet` plan, with their scope. */
export const ISOFLEET_ACTIONS = [
  ['loadTrays', 'NODE'],
  ['announce', 'NODE'],
  ['waitForPickup', 'NODE'],
  ['confirmLoaded', 'INSTANT'],
] as const;
/** The standard actions a robot must list for the `contactless` plan. */
export const CONTACTLESS_ACTIONS = [
  ['pick', 'NODE'],
  ['drop', 'NODE'],
] as const;

type Scope = 'NODE' | 'INSTANT' | 'EDGE';

/**
 * The plan a robot's factsheet allows, or what it lacks (HTTP 409). A robot of our own
 * manufacturer without a factsheet (yet) is taken to be ours (`isofleet`); another maker's
 * robot without one cannot be planned for.
 */
export function tripPlanFor(robot: string, factsheet: Factsheet | undefined, ownManufacturer: boolean): { ok: true; plan: TripPlan } | { ok: false; reason: string } {
  if (!factsheet) {
    if (ownManufacturer) return { ok: true, plan: { kind: 'isofleet' } };
    return { ok: false, reason: `robot ${robot} has sent no factsheet yet (it was asked with factsheetRequest); its actions are unknown` };
  }
  const listed = (actionType: string, scope: Scope) => factsheet.protocolFeatures.agvActions.some((a) => a.actionType === actionType && a.actionScopes.includes(scope));
  const missing = (actions: readonly (readonly [string, Scope])[]) => actions.filter(([type, scope]) => !listed(type, scope)).map(([type, scope]) => `${type} (${scope})`);
  if (missing(ISOFLEET_ACTIONS).length === 0) return { ok: true, plan: { kind: 'isofleet' } };
  const lacking = missing(CONTACTLESS_ACTIONS);
  if (lacking.length === 0) {
    const load = factsheet.loadSpecification;
    const loadType = load.loadSets?.[0]?.loadType;
    return {
      ok: true,
      plan: {
        kind: 'contactless',
        loadsPerLeg: Math.max(1, load.loadPositions?.length ?? 1),
        ...(typeof loadType === 'string' ? { loadType } : {}),
        initPositionAfterLift: listed('initPosition', 'NODE'),
      },
    };
  }
  return {
    ok: false,
    reason: `robot ${robot} cannot deliver: its factsheet lacks ${lacking.join(' and ')} (or isofleet's ${missing(ISOFLEET_ACTIONS).join(', ')})`,
  };
}
