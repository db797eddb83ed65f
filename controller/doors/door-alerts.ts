import type { State } from '../../protocol/index.js';
import { placeOf, type AlertCenter } from '../alerts/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { SiteGraph } from '../site/index.js';
import type { Audit } from '../storage/index.js';

/** Where robots' states come from, and where a robot is (the `FleetRegistry`). */
type DoorFleet = Pick<FleetRegistry, 'on' | 'off' | 'get'>;

export interface DoorAlertsOptions {
  fleet: DoorFleet;
  alerts: AlertCenter;
  graph: SiteGraph;
  audit: Audit;
}

/** The doors a state's errors say did not open (`errorReferences` `doorId`, as the bridge reports a door its port could not open), with the error's text. */
export function doorsNotOpened(state: Pick<State, 'orderId' | 'errors'>): { door: string; description: string; key: string }[] {
  return state.errors.flatMap((error) => {
    const door = error.errorReferences?.find((r) => r.referenceKey === 'doorId')?.referenceValue;
    return door ? [{ door, description: error.errorDescription ?? error.errorType, key: `${state.orderId}:${door}:${error.errorDescription ?? ''}` }] : [];
  });
}

/**
 * Raises `doorNotOpened` (naming the door and the robot, with where the robot stands) when a
 * robot's state first carries an error about a door on its way that did not open (jammed, or its
 * door controller did not answer), once per such error while the robot reports it; audited
 * `doorNotOpened`. The trip it was on fails by the same error (its `tripFailed` alerts name the
 * rooms). Nothing resolves it by itself: the door may still be jammed. Returns the teardown.
 */
export function watchDoorsOnTheWay(options: DoorAlertsOptions): () => void {
  const { fleet, alerts, graph, audit } = options;
  /** Per robot, the door errors its last state carried. */
  const reported = new Map<string, Set<string>>();
  const onState = (robot: string, state: State) => {
    const now = doorsNotOpened(state);
    const before = reported.get(robot);
    if (now.length === 0) return void reported.delete(robot);
    reported.set(robot, new Set(now.map((d) => d.key)));
    for (const { door, description, key } of now) {
      if (before?.has(key)) continue;
      const level = graph.site.doors.find((d) => d.id === door)?.level;
      audit({ at: state.timestamp, actor: 'controller', action: 'doorNotOpened', subject: robot, detail: { door, orderId: state.orderId, error: description } });
      const view = fleet.get(robot);
      const where = view && placeOf(graph, view);
      alerts.raise({
        kind: 'doorNotOpened',
        subject: robot,
        door,
        message: `door ${door}${level ? ` (${level})` : ''} did not open for ${robot}: ${description}`,
        ...(where ? { where } : {}),
        doing: `${robot} stopped before the door and its trip failed; open or free door ${door}, then send the rooms again`,
      });
    }
  };
  fleet.on('state', onState);
  return () => void fleet.off('state', onState);
}
