import type { RoundRoomStatus, RoundView, TripView } from '../../protocol/index.js';
import type { RoundRecord } from '../storage/index.js';
import { naturalOrder } from '../../common/natural-order.js';

/** What a round's view is made from: its requests, what is sent and what is queued. */
export type RoundState = Pick<RoundRecord, 'id' | 'createdAtMs' | 'requests' | 'sent'> & { queue: ReadonlyMap<string, readonly (readonly number[])[]> };

/**
 * A round as the API shows it: each room's status from the trip that carries it (`tripOf`),
 * its time handed over (`etas`, clock ms by request, predicted or actual; a delivered room's
 * actual time when none is given), the plan (trips sent, then those queued), and done once
 * every room is served and every robot of the round is back.
 */
export function roundView(round: RoundState, tripOf: (id: string) => TripView | undefined, predictedFinishS: number | null, etas: readonly (number | null)[] = []): RoundView {
  const rooms = round.requests.map((request, q) => ({
    room: request.room,
    ...(request.item ? { item: request.item } : {}),
    priority: request.priority,
    status: 'pending' as RoundRoomStatus,
    robot: null as string | null,
    trip: null as number | null,
    tray: null as number | null,
    etaMs: etas[q] ?? null,
  })) as RoundView['rooms'];
  const plan = new Map<string, RoundView['plan'][number]['trips']>();
  const tripsOf = (robot: string) => plan.get(robot) ?? plan.set(robot, []).get(robot)!;
  for (const sent of round.sent) {
    const view = tripOf(sent.tripId);
    const index = tripsOf(sent.robot).length;
    tripsOf(sent.robot).push({ tripId: sent.tripId, trays: sent.requests.map((q, i) => ({ tray: i + 1, room: round.requests[q]!.room })) });
    sent.requests.forEach((q, i) => {
      const tray = view?.trays.find((t) => t.tray === i + 1);
      Object.assign(rooms[q]!, {
        robot: sent.robot,
        trip: index,
        tray: i + 1,
        tripId: sent.tripId,
        status: roomStatus(view, tray),
        ...(tray?.deliveredAt ? { deliveredAt: tray.deliveredAt, etaMs: Date.parse(tray.deliveredAt) } : {}),
      });
    });
  }
  for (const [robot, queued] of round.queue) {
    for (const requests of queued) {
      const index = tripsOf(robot).length;
      tripsOf(robot).push({ trays: requests.map((q, i) => ({ tray: i + 1, room: round.requests[q]!.room })) });
      requests.forEach((q, i) => Object.assign(rooms[q]!, { robot, trip: index, tray: i + 1 }));
    }
  }
  // Done once every room is served and every robot of the round is back.
  const done =
    rooms.every((r) => r.status !== 'pending' && r.status !== 'loaded' && r.status !== 'enRoute') &&
    round.sent.every((s) => ['done', 'failed'].includes(tripOf(s.tripId)?.status ?? 'failed'));
  return {
    id: round.id,
    status: done ? 'done' : 'running',
    createdAt: new Date(round.createdAtMs).toISOString(),
    rooms,
    plan: [...plan].map(([robot, list]) => ({ robot, trips: list })).sort((a, b) => naturalOrder(a.robot, b.robot)),
    predictedFinishS,
  };
}

function roomStatus(trip: TripView | undefined, tray: TripView['trays'][number] | undefined): RoundRoomStatus {
  if (!trip || !tray) return 'loaded';
  switch (tray.status) {
    case 'loaded':
      return trip.status === 'planned' ? 'loaded' : trip.status === 'running' ? 'enRoute' : 'failed';
    case 'delivered':
    case 'notCollected':
    case 'failed':
      return tray.status;
    case 'returned':
      return 'failed';
  }
}
