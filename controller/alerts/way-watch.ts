import type { Alert, Clock, ClockTimer } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { refusal, type Refusal } from '../refusal.js';
import type { SiteGraph } from '../site/index.js';
import type { Audit } from '../storage/index.js';
import type { TripManager } from '../trips/trip-manager.js';
import { narrowWaysOf } from '../traffic/narrow-ways.js';
import type { AlertCenter } from './alert-center.js';
import { placeOf } from './place.js';

export interface WayWatchOptions {
  fleet: FleetRegistry;
  trips: TripManager;
  alerts: AlertCenter;
  graph: SiteGraph;
  audit: Audit;
  clock: Clock;
  /** How long (clock ms) a robot may stand idle (no order, or its order over) inside a single-width way before it blocks it. Default 60 s, robot-watch's limit for a robot standing still on an order. */
  idleAfterMs?: number;
}

/** What {@link watchBlockedWays} gives: the staff's action on a blocked way, and the teardown. */
export interface WayWatch {
  /**
   * Staff took `robot` out of single-width `way` (it died inside): the way is released and the
   * robots queued for it go on; the robot's trip, if it still runs, is stopped (its rooms can be
   * planned again; its order is cancelled when it next shows it), as a robot set down elsewhere
   * has lost its place on its order. Refused (404) for a way the site does not have, (409) for a
   * robot that does not hold the way, or one that is online and neither stuck nor in error: it
   * leaves the way by itself, and freeing the way under it would send robots at it head-on.
   */
  robotRemoved(way: string, robot: string, actor: string): { ok: true; way: string; robot: string; granted: string[] } | Refusal;
  stop(): void;
}

/**
 * Raises `wayBlocked` (the dashboard's text in English and Chinese: `alert.wayBlocked`) when the
 * robot holding a single-width way is offline, stuck or in error, as robot-watch decides it (its
 * `robotOffline` or `robotStuck` alert open) or as the robot reports it (a FATAL error), or has
 * stood idle in it (no order, or its order over) for `idleAfterMs`: robot-watch's stuck alert
 * is only for a robot on an order, and an idle robot does not drive on by itself. The
 * robots queued at the way's ends wait for it for as long as it stays there, since the
 * reservations never let a robot enter a way another robot is on (`WayReservations`). The alert
 * names the way, where the robot stands and the robots waiting (kept up to date as they queue),
 * and nobody is granted the way behind the robot meanwhile (`WayReservations.stopped`: a robot
 * following it in would be stuck behind it). It says what staff do: take the robot out and say so ({@link WayWatch.robotRemoved},
 * `POST /api/ways/:way/robot-removed`), or for an idle robot also send it out on a trip.
 * Resolved when the way is free again or the robot goes on.
 */
export function watchBlockedWays(options: WayWatchOptions): WayWatch {
  const { fleet, trips, alerts, graph, clock } = options;
  const idleAfterMs = options.idleAfterMs ?? 60_000;
  const narrow = trips.narrowWays;
  const ways = narrow.reservations;
  const siteWays = narrowWaysOf(graph.site);
  /** The ways alerted as blocked and still open, by robot and way. */
  const raised = new Map<string, { robot: string; way: string }>();
  /** Since when (clock ms) each robot holding a way has been idle there. */
  const idleSince = new Map<string, number>();
  /** Wakes the watch when the first idle robot's time is up, should no state come meanwhile. */
  let wake: ClockTimer | undefined;

  const idleFor = (robot: string): string | undefined => {
    const since = idleSince.get(robot);
    const ms = since === undefined ? 0 : clock.now() - since;
    // The limit, not the time so far: the message stays the same while the robot stands there.
    return since !== undefined && ms >= idleAfterMs ? `has stood idle (no order) for more than ${Math.round(idleAfterMs / 1000)} s` : undefined;
  };
  const blocked = (robot: string): string | undefined => {
    if (alerts.openAlertOf({ kind: 'robotOffline', subject: robot })) return 'is offline';
    if (fleet.get(robot)?.state === 'error') return 'reports a fatal error';
    if (alerts.openAlertOf({ kind: 'robotStuck', subject: robot })) return 'is stuck';
    return idleFor(robot);
  };

  /** Notes the robots holding a way that are idle (and since when), forgets the others, and sets the wake-up for the next one due. */
  const trackIdle = (held: { holders: string[] }[]) => {
    const now = clock.now();
    const idle = new Set(held.flatMap(({ holders }) => holders.filter((robot) => fleet.get(robot)?.state === 'idle')));
    for (const robot of idleSince.keys()) if (!idle.has(robot)) idleSince.delete(robot);
    for (const robot of idle) if (!idleSince.has(robot)) idleSince.set(robot, now);
    if (wake) clock.clearTimeout(wake);
    wake = undefined;
    const due = [...idleSince.values()].map((since) => since + idleAfterMs).filter((at) => at > now);
    if (due.length) wake = clock.setTimeout(check, Math.min(...due) - now);
  };

  const check = () => {
    const held = ways.held();
    trackIdle(held);
    if (held.length === 0 && raised.size === 0) return;
    const open = new Map(raised);
    for (const { way, holders, waiting } of held) {
      for (const robot of holders) {
        const why = blocked(robot);
        // Nobody follows a stopped robot into its way; once it goes on, those held back go.
        narrow.stopped(robot, why !== undefined);
        if (!why) continue;
        const cause = { kind: 'wayBlocked' as const, subject: robot, way };
        const view = fleet.get(robot);
        const where = view && placeOf(graph, view);
        const input = {
          ...cause,
          message: `${robot} ${why} inside single-width way ${way}${view?.node ? ` (last at node ${view.node})` : ''}${where ? `, ${where.text}` : ''}; ${waiting.length ? `${waiting.join(', ')} wait${waiting.length === 1 ? 's' : ''} for it` : 'no robot waits for it yet'}`,
          robotsWaiting: waiting,
          ...(where ? { where } : {}),
          doing: `no robot enters ${way} while ${robot} is in it. ${idleSince.has(robot) ? `Send ${robot} on a trip out of the way, or take it` : `Take ${robot}`} out of the way, then press "Taken out of the way" on this alert (POST /api/ways/${way}/robot-removed): the way is freed and the robots waiting go on; its trip, if still running, ends and its rooms can be planned again`,
        };
        const alert = alerts.openAlertOf(cause);
        if (!alert) alerts.raise(input);
        else if (alert.message !== input.message) alerts.refresh(input);
        const key = `${robot}\u0000${way}`;
        raised.set(key, { robot, way });
        open.delete(key);
      }
    }
    // Alerts whose robot is off the way, or no longer blocked on it.
    for (const [key, { robot, way }] of open) {
      raised.delete(key);
      narrow.stopped(robot, false);
      const cause = { kind: 'wayBlocked' as const, subject: robot, way };
      alerts.resolve(cause, ways.holds(robot, way) ? `${robot} goes on through ${way}` : `${way} is free again: ${robot} is out of it`);
    }
  };

  // Robot-watch's alerts coming and going, and every state (a robot queueing, a way released).
  const onAlert = (alert: Alert) => {
    if (alert.kind === 'robotOffline' || alert.kind === 'robotStuck') check();
  };
  alerts.on('alert', onAlert);
  fleet.on('state', check);
  fleet.on('robot', check);

  return {
    robotRemoved(way, robot, actor) {
      if (!siteWays.byId.has(way)) return refusal('notFound', `no single-width way ${way} on this site`);
      const { holders, waiting } = ways.of(way);
      if (!holders.includes(robot)) return refusal('conflict', `${robot} does not hold ${way} (${holders.length ? `held by ${holders.join(', ')}` : 'nobody holds it'})`);
      if (!blocked(robot))
        return refusal('conflict', `${robot} is online and not stuck: it leaves ${way} by itself; only a robot offline, stuck, in error or idle too long inside a way is taken out`);
      const reason = `${robot} was taken out of single-width way ${way} by ${actor}`;
      const trip = trips.activeTripOf(robot);
      if (trip) trips.stall(trip.id, reason) ?? trips.abandon(trip.id, reason);
      narrow.removed(robot, way, fleet.lastState(robot)?.lastNodeId ?? fleet.get(robot)?.node ?? undefined);
      options.audit({ actor, action: 'robotRemovedFromWay', subject: `way ${way}`, detail: { robot, waiting, ...(trip ? { trip: trip.id } : {}) } });
      check();
      return { ok: true, way, robot, granted: ways.of(way).holders };
    },
    stop() {
      if (wake) clock.clearTimeout(wake);
      alerts.off('alert', onAlert);
      fleet.off('state', check);
      fleet.off('robot', check);
    },
  };
}
