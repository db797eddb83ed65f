import type { Clock, State } from '../../protocol/index.js';
import { placeOf, type AlertCenter } from '../alerts/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { SiteGraph } from '../site/index.js';
import type { Audit } from '../storage/index.js';

/** Where robots' states come from, and where a robot is (the `FleetRegistry`). */
type DoorFleet = Pick<FleetRegistry, 'on' | 'off' | 'get'>;

/** Doors the controller itself asked open for robots and that did not open (`TripManager`'s `doorNotOpened`). */
export interface DoorRequests {
  on(event: 'doorNotOpened', listener: (failure: { robot: string; door: string; reason: string; orderId: string }) => void): unknown;
  off(event: 'doorNotOpened', listener: (failure: { robot: string; door: string; reason: string; orderId: string }) => void): unknown;
}

export interface DoorAlertsOptions {
  fleet: DoorFleet;
  trips: DoorRequests;
  alerts: AlertCenter;
  clock: Clock;
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
 * door on a robot's way did not open (jammed, or its door controller did not answer): when a
 * robot's state first carries such an error (its bridge asked the door), once per error while
 * the robot reports it, and when a door the controller asked open for a robot did not open;
 * audited `doorNotOpened`. The trip it was on fails by it (its `tripFailed` alerts name the
 * rooms). Nothing resolves it by itself: the door may still be jammed. Returns the teardown.
 */
export function watchDoorsOnTheWay(options: DoorAlertsOptions): () => void {
  const { fleet, trips, alerts, graph, audit, clock } = options;
  const raise = (robot: string, door: string, description: string, orderId: string, at: string) => {
    const level = graph.site.doors.find((d) => d.id === door)?.level;
    audit({ at, actor: 'controller', action: 'doorNotOpened', subject: robot, detail: { door, orderId, error: description } });
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
  };
  /** Per robot, the door errors its last state carried. */
  const reported = new Map<string, Set<string>>();
  const onState = (robot: string, state: State) => {
    const now = doorsNotOpened(state);
    const before = reported.get(robot);
    if (now.length === 0) return void reported.delete(robot);
    reported.set(robot, new Set(now.map((d) => d.key)));
    for (const { door, description, key } of now) if (!before?.has(key)) raise(robot, door, description, state.orderId, state.timestamp);
  };
  const onRequestFailed = ({ robot, door, reason, orderId }: { robot: string; door: string; reason: string; orderId: string }) =>
    raise(robot, door, `asked open by the controller: ${reason}`, orderId, new Date(clock.now()).toISOString());
  fleet.on('state', onState);
  trips.on('doorNotOpened', onRequestFailed);
  return () => {
    fleet.off('state', onState);
    trips.off('doorNotOpened', onRequestFailed);
  };
}
