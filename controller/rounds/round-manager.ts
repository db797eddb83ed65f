import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../common/index.js';
import { oneAtATime, type Clock, type CreateRoundBody, type RoundView } from '../../protocol/index.js';
import { improveRound, insertUrgent, workClock, MAKESPAN_THEN_DELIVERY, timeSchedule, type RoundPlan } from '../dispatch/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { SiteGraph } from '../site/index.js';
import { inProcessRoundImprover, type RoundImprover } from '../workers/index.js';
import { writeInBackground, type Audit, type Page, type RoundRecord, type Store, type TripRecord } from '../storage/index.js';
import type { TripManager } from '../trips/trip-manager.js';
import { firstTripWays, queueOf, remainingProblem, scheduleOf, type RoundTimes } from './round-input.js';
import { pendingRequests, quickQueue, roundRecordOf, roundsToForget, roomsToReplan, type Round } from './round-core.js';
import { firstPlanDone, improvementDone, nextTripFor, roundStarted, tripChanged, tripRefused, tripSent, urgentInserted, type RoundEffect, type TripToSend } from './round-dispatch.js';
import { refusal, type Refusal } from '../refusal.js';
import { restoreRound } from './round-restore.js';
import { roundView } from './round-view.js';
import { naturalOrder } from '../../common/natural-order.js';
import { plannerRobots, type RobotNow } from './round-eta.js';
import { RoundEtaKeeper } from './round-eta-keeper.js';

export interface RoundManagerOptions {
  fleet: FleetRegistry;
  trips: TripManager;
  graph: SiteGraph;
  clock: Clock;
  log: Logger;
  /** Default: 5 s announcement + the expected wait (10–60 s for most, 120 s timeout for a few) ≈ 45 s. */
  times?: Partial<RoundTimes>;
  /** Real ms spent improving the rest of a round after it started (in slices, never blocking long). Default 1000. */
  improveMs?: number;
  /**
   * Real ms spent improving the rest of a round again whenever one of its trips ends, from where
   * the robots really are. Default 200: a longer search ends the round sooner but makes residents
   * wait longer on average, a shorter one loses on both (simulated 150-room hotel round,
   * bench:round on the virtual clock, seeds 1-6, makespan / mean delivery ÷ by-floor's: 50 ms of
   * work 0.963 / 0.966, 200 ms 0.948 / 0.961, 500 ms 0.934 / 0.971, 1000 ms 0.933 / 0.974;
   * weighing the mean 10 or 20 times as much in the objective did not bring it back). On 200 ms
   * of work the engine's rebuild takes most of the budget and a re-plan rarely changes the plan
   * (seed 1: 12 of 37 re-plans did); descending from the current plan before rebuilding changed
   * most of them, and came to the same trade as a longer budget: 0.941 / 0.983 over seeds 1-6,
   * against 0.947 / 0.965 rebuilding first.
   */
  replanMs?: number;
  seed?: number;
  /**
   * Improves a plan for a time. The controller's runs in a planner thread (`threadRoundImprover`)
   * in slices of 200 ms; default: on this thread in slices of 20 ms.
   */
  improver?: { improve: RoundImprover; sliceMs: number };
  /**
   * `work`: `improveMs` / `replanMs` are a budget of search (the planner's {@link workClock})
   * instead of real time, spent at once on this thread (no `improver`). A search limited in real
   * time finds another plan on a busier machine; this one finds the same plan for the same input
   * and seed (the simulator's virtual clock asks for it). Default `wall`.
   */
  budget?: 'wall' | 'work';
  /** Where rounds are kept across restarts. */
  store: Store;
  /** The audit log: rounds created, urgent medicine. */
  audit: Audit;
  /** What the store held at start (after a restart): rounds, and the trips to match them with. */
  saved?: { rounds: RoundRecord[]; trips: TripRecord[] };
  /** Finished rounds kept in memory (with their trips) and pushed to new screens. Default 20. */
  keepFinished?: number;
  /**
   * Whether an online robot may be given trips now and planned for (one low on battery or
   * charging up may not; see `EnergyManager.available`); when none may, the plan takes them
   * all and waits. Default: every one may.
   */
  available?: (robot: string) => boolean;
}

/** Finished rounds kept in memory by default: the API pages older ones from the store. */
export const KEEP_FINISHED_ROUNDS = 20;

const IMPROVE_SLICE_MS = 20;

/**
 * Runs meal rounds: plans which robot takes which rooms on which trip (the planner of
 * controller/dispatch), sends each robot its next trip when it is back and idle at the
 * station, keeps improving the trips not sent yet, and takes urgent medicine without
 * restarting. An instant plan sends the first trips; improvement then runs in short slices
 * so MQTT traffic keeps flowing. Events: `round`, a round changed (saved with it); `eta`, only
 * its rooms' ETAs moved (by `ETA_PUSH_MS` or more somewhere), as robots reported.
 */
export class RoundManager extends EventEmitter<{ round: [RoundView]; eta: [RoundView] }> {
  /** Rounds running and the newest finished, oldest first. */
  private readonly rounds = new Map<string, Round>();
  /** The round of each trip sent by a round in memory: looked up on every trip change. */
  private readonly roundByTrip = new Map<string, Round>();
  private readonly times: RoundTimes;
  private readonly etas: RoundEtaKeeper;

  constructor(private readonly options: RoundManagerOptions) {
    super();
    this.times = { doorServiceS: 45, loadSPerTray: 10, ...options.times };
    this.etas = new RoundEtaKeeper(options.graph, this.times, () => options.clock.now());
    this.seed = options.seed ?? 1;
    this.restore();
    // Every report of every robot lands here (a whole fleet each second): the fleet is looked
    // over only while a round is running.
    options.fleet.on('robot', (robot) => {
      this.etas.robotAt(robot.id, robot.node, robot.state === 'driving');
      if (robot.state === 'idle' && this.anyRunning()) void this.dispatch();
      this.pushEtas();
    });
    options.trips.on('trip', (trip) => {
      this.etas.tripChanged();
      void this.apply(tripChanged(this.roundOfTrip(trip.id), trip, this.options.replanMs ?? 200));
    });
  }

  /** Pushes (`eta`) each running round whose rooms' ETAs moved since they were last pushed. */
  private pushEtas(): void {
    for (const round of this.rounds.values()) {
      if (round.finishedAtMs !== undefined) continue;
      const etas = this.etasOf(round);
      if (this.etas.worthPushing(round, etas)) this.emit('eta', this.view(round, etas));
    }
  }

  /** Each request's handed-over time (clock ms), predicted or actual (see `round-eta.ts`). */
  private etasOf(round: Round): (number | null)[] {
    return this.etas.etas(
      round,
      (id) => this.options.trips.get(id),
      () => this.robotsNow(),
    );
  }

  /** Rounds from the store after a restart (see {@link restoreRound}). */
  private restore(): void {
    const { saved, trips } = this.options;
    for (const record of saved?.rounds ?? []) {
      const { requeued, ...restored } = restoreRound(record, saved?.trips ?? []);
      if (requeued.length) this.options.log.warn({ round: record.id, rooms: requeued.map((q) => record.requests[q]!.room) }, 'rooms neither sent nor queued: queued again');
      this.hold({ ...restored, version: 0, ...(record.finishedAtMs !== undefined ? { finishedAtMs: record.finishedAtMs } : {}) });
    }
    // Rounds a store kept from before rounds were marked finished: marked now (their trips were
    // loaded with them; the trip window trims itself as trips finish).
    this.restoring = true;
    for (const round of this.rounds.values()) if (round.finishedAtMs === undefined && this.view(round).status === 'done') this.changed(round);
    this.restoring = false;
    if (this.rounds.size) this.options.log.info({ rounds: this.rounds.size, trips: trips.list().length }, 'rounds restored');
  }

  /** The rounds in memory, oldest first: every one running and the newest finished. */
  list(): RoundView[] {
    return [...this.rounds.values()].map((r) => this.view(r));
  }

  /**
   * A page of every round ever made, newest first (`limit`, older than round `before`): those in
   * memory as they are now, older ones as the store has them (their trips are over; room
   * statuses come from the store's trips); undefined when `before` names no round.
   */
  async page(page: Page): Promise<RoundView[] | undefined> {
    const records = await this.options.store.roundPage(page);
    if (!records) return undefined;
    const old = records.filter((r) => !this.rounds.has(r.id));
    const trips = old.length ? await this.options.store.trips({ finished: 0, rounds: old.map((r) => r.id) }) : [];
    const tripViews = new Map(trips.map((t) => [t.view.id, t.view]));
    return records.map((r) => {
      const held = this.rounds.get(r.id);
      return held ? this.view(held) : roundView({ ...r, queue: new Map(r.queue) }, (id) => this.options.trips.get(id) ?? tripViews.get(id), null);
    });
  }

  /** True while a round in memory holds this trip: its view needs the trip. */
  holdsTrip(tripId: string): boolean {
    return this.roundByTrip.has(tripId);
  }

  private hold(round: Round): void {
    this.rounds.set(round.id, round);
    for (const sent of round.sent) this.roundByTrip.set(sent.tripId, round);
  }

  get(id: string): RoundView | undefined {
    const round = this.rounds.get(id);
    return round && this.view(round);
  }

  /** True while some round still has rooms to send. */
  get active(): boolean {
    return [...this.rounds.values()].some((r) => [...r.queue.values()].some((trips) => trips.length > 0));
  }

  /** Plans and starts a round; the first trips are sent before this returns. */
  async create(body: CreateRoundBody, actor = 'api'): Promise<{ ok: true; round: RoundView } | Refusal> {
    const { graph, clock } = this.options;
    const unknown = body.rooms.findIndex((r) => !graph.roomNodes.has(r.room));
    if (unknown >= 0) return refusal('invalid', `unknown room ${body.rooms[unknown]!.room}`, `body.rooms.${unknown}.room`);
    if (this.robots().length === 0) return refusal('conflict', 'no robot is online');
    const round: Round = {
      id: randomUUID().slice(0, 8),
      createdAtMs: clock.now(),
      requests: body.rooms.map((r) => ({
        room: r.room,
        ...(r.item ? { item: r.item } : {}),
        priority: r.priority ?? 'meal',
        ...(r.readyBy ? { readyByMs: Date.parse(r.readyBy) } : {}),
      })),
      sent: [],
      queue: new Map(),
      version: 0,
      start: 'first',
    };
    // The first order goes out within 50 ms: one trip of rooms in number order, as a medic
    // would fill it, needing no travel times. The other robots wait for the plan (made from
    // scratch, with that trip under way), which the medic's loading of the first one hides.
    const byRoom = round.requests.map((_, i) => i).sort((a, b) => naturalOrder(round.requests[a]!.room, round.requests[b]!.room));
    const robots = this.robots();
    round.queue = quickQueue(
      byRoom,
      robots.map((r) => r.id),
      Math.min(...robots.map((r) => r.trays)),
    );
    this.hold(round);
    await this.apply(roundStarted(round, actor, this.options.improveMs ?? 1000));
    return { ok: true, round: this.view(round) };
  }

  /** Adds medicine for one room to a running round: cheapest insertion into the trips not sent yet. */
  async urgent(roundId: string, request: { room: string; item?: string }, actor = 'api'): Promise<{ ok: true; round: RoundView } | Refusal> {
    const round = this.rounds.get(roundId);
    if (!round) return refusal('notFound', `no round ${roundId}`);
    if (!this.options.graph.roomNodes.has(request.room)) return refusal('invalid', `unknown room ${request.room}`, 'body.room');
    if (this.robots().length === 0) return refusal('conflict', 'no robot is online');
    const pending = pendingRequests(round);
    const problem = this.problem(round, pending, [request.room]);
    const current = timeSchedule(problem.input, scheduleOf(problem, round.queue), MAKESPAN_THEN_DELIVERY);
    const q = round.requests.length;
    round.requests.push({ room: request.room, ...(request.item ? { item: request.item } : {}), priority: 'medicine' });
    const inserted = insertUrgent(problem.input, current, { room: problem.nodeOf(request.room), priority: 'medicine' }, 0);
    round.queue = queueOf({ ...problem, requestIds: [...problem.requestIds, q] }, inserted.plan);
    round.version++;
    await this.apply(urgentInserted(round, request.room, actor));
    return { ok: true, round: this.view(round) };
  }

  /**
   * Plans again the rooms a trip did not serve, when it failed or its robot is offline (the trip
   * is then abandoned): back into the trip's round, on the robots still online, or as a new round
   * for a trip sent by hand. A room is offered once: a second call finds nothing left.
   */
  async replanFailedTrip(tripId: string, actor = 'api'): Promise<{ ok: true; round: RoundView; rooms: string[] } | Refusal> {
    let trip = this.options.trips.get(tripId);
    if (!trip) return refusal('notFound', `no trip ${tripId}`);
    const robotOnline = this.options.fleet.get(trip.robot)?.online ?? false;
    if ((trip.status === 'planned' || trip.status === 'running') && !robotOnline) {
      trip = this.options.trips.abandon(tripId, `${trip.robot} went offline; its rooms were planned again`)!;
    }
    if (trip.status !== 'failed') return refusal('conflict', `trip ${tripId} is ${trip.status} and its robot is online`);
    const replan = roomsToReplan(trip, this.roundOfTrip(tripId), this.replanned);
    if (replan.into === 'nothing') return refusal('conflict', `the rooms of trip ${tripId} were planned again already`);
    if (replan.into === 'round') {
      const { round, requests } = replan;
      // Each room rides again as medicine-urgent: it has waited longest.
      let view: RoundView | undefined;
      for (const q of requests) {
        const request = round.requests[q]!;
        const result = await this.urgent(round.id, { room: request.room, ...(request.item ? { item: request.item } : {}) }, actor);
        if (!result.ok) return result;
        view = result.round;
      }
      return { ok: true, round: view!, rooms: requests.map((q) => round.requests[q]!.room) };
    }
    const rooms = replan.trays;
    const result = await this.create({ rooms: rooms.map((t) => ({ room: t.room, ...(t.item ? { item: t.item } : {}) })) }, actor);
    return result.ok ? { ...result, rooms: rooms.map((t) => t.room) } : result;
  }

  private readonly replanned = new Set<string>();

  /** Sends the next trip to every idle robot, rounds in the order they came. */
  readonly dispatch = oneAtATime(() => this.dispatchOnce());

  private async dispatchOnce(): Promise<void> {
    for (const robot of this.robots()) {
      if (robot.state !== 'idle' || this.options.trips.activeTripOf(robot.id) || this.options.available?.(robot.id) === false) continue;
      await this.apply(nextTripFor([...this.rounds.values()], robot));
    }
  }

  /** Sends a trip a round's core took for a robot, and applies what the core makes of the answer. */
  private async send(trip: TripToSend): Promise<void> {
    const { round, robot, requests } = trip;
    const trays = requests.map((q, i) => ({ tray: i + 1, room: round.requests[q]!.room, ...(round.requests[q]!.item ? { item: round.requests[q]!.item } : {}) }));
    const ways = this.waysOf(round, robot.id, requests);
    const result = await this.options.trips.create({ robot: robot.id, trays }, { keepOrder: true, shortestRoutes: true, ways, origin: { round: round.id, requests } });
    const context = { graph: this.options.graph, times: this.times };
    await this.apply(result.ok ? tripSent(context, trip, result.trip.id, this.options.clock.now()) : tripRefused([...this.rounds.values()], trip, result.message));
  }

  /**
   * Applies the round core's effects in order. A `dispatch` without `wait` only starts: one asked
   * while a dispatch runs (a trip ended) runs after it, and must not wait for it.
   */
  private async apply(effects: RoundEffect[]): Promise<void> {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'sendTrip':
          await this.send(effect.trip);
          break;
        case 'tripSent':
          this.roundByTrip.set(effect.tripId, effect.round);
          break;
        case 'changed':
          this.changed(effect.round);
          break;
        case 'dispatch':
          if (effect.wait) await this.dispatch();
          else void this.dispatch();
          break;
        case 'improve':
          // A new round's first plan is awaited: its other trips wait for it.
          if (effect.round.start !== undefined) await this.firstPlan(effect.round, effect.ms);
          else this.improveFor(effect.round, effect.ms);
          break;
        case 'audit':
          this.options.audit(effect.line);
          break;
        case 'log':
          this.options.log[effect.level](effect.data, effect.message);
          break;
      }
    }
  }

  /**
   * The cars the plan picks for a trip about to leave (legs that ride another car than their
   * shortest way's), timed with the rest of the round: the trips under way queue on their way
   * home, and those still loading at the station ride up with this one.
   */
  private waysOf(round: Round, robot: string, requests: number[]) {
    // The round's first trip: nothing of the round rides before it and the plan's cars stand at
    // their lowest level, so the car whose leg ends first is the shortest way's.
    if (round.sent.length === 0) return [];
    const { problem, schedule } = this.planning(round, { robot, requests });
    const k = problem.robotIds.indexOf(robot);
    if (k < 0) return [];
    return firstTripWays(this.options.graph, problem, timeSchedule(problem.input, schedule, MAKESPAN_THEN_DELIVERY), k);
  }

  /**
   * The planner's input for what is left of a round: the rooms queued, and those on trips sent
   * but not yet loaded (or a trip about to be sent, `leaving`), each as its robot's first trip
   * with the robot at the station, kept as it is (`sent`, see `improveRound`). Taken from the
   * trips' ETAs instead, the first plan left out its first trip's lift rides and medic time
   * and had that robot back 100 s early: the plan came out 215 s longer once the trip was timed
   * in full (simulated 150-room hotel round, seed 1). `queueOf` turns a plan of it back into the
   * queue, without the trips sent.
   */
  private planning(round: Round, leaving?: { robot: string; requests: number[] }) {
    const planned = new Set(this.robotsNow().map((r) => r.id));
    const loading = round.sent.filter((s) => s.robot !== leaving?.robot && planned.has(s.robot) && this.options.trips.get(s.tripId)?.status === 'planned');
    const heads = [...(leaving ? [leaving] : []), ...loading];
    const queue = new Map(round.queue);
    for (const head of heads) queue.set(head.robot, [head.requests, ...(queue.get(head.robot) ?? [])]);
    const pending = [...heads.flatMap((h) => h.requests), ...pendingRequests(round)];
    const problem = this.problem(round, pending, [], new Set(heads.map((h) => h.robot)));
    return {
      problem,
      schedule: scheduleOf(problem, queue),
      sent: problem.robotIds.map((id) => (heads.some((h) => h.robot === id) ? 1 : 0)),
      queueOf: (plan: RoundPlan) => {
        const next = queueOf(problem, plan);
        for (const head of heads) next.get(head.robot)?.shift();
        return next;
      },
    };
  }

  /** Real-time deadline of each round's running improvement. */
  private readonly improving = new Map<Round, number>();
  /** Seed of the next improvement slice: each slice searches differently, the run stays repeatable. */
  private seed: number;

  /** Improves the trips not sent yet for `ms` of real time, or that much longer if it already runs. */
  private improveFor(round: Round, ms: number): void {
    if (this.options.budget === 'work') return this.improveOnWorkBudget(round, ms);
    const running = this.improving.has(round);
    this.improving.set(round, Math.max(this.improving.get(round) ?? 0, performance.now() + ms));
    if (running) return;
    this.improve(round).catch((error: Error) => this.options.log.warn({ round: round.id, err: error.message }, 'round improvement stopped'));
  }

  /**
   * A new round's first plan, from scratch (its quick construction is by floor), then its other
   * trips sent; on a budget of work the whole `ms` at once, else one slice on this thread (a
   * planner thread may still be starting, seconds on a busy machine, and the robots would wait
   * for it at the station; a longer plan here kept the event loop from the robots' state
   * messages long enough that a simulated fleet at ×500 went offline) and the rest of `ms`
   * improving while the robots are on their way.
   */
  private async firstPlan(round: Round, ms: number): Promise<void> {
    if (this.options.budget === 'work') this.improveOnWorkBudget(round, ms, true);
    else await this.improveSlice(round, true, { improve: inProcessRoundImprover, sliceMs: IMPROVE_SLICE_MS });
    await this.apply(firstPlanDone(round));
    if (this.options.budget !== 'work') this.improveFor(round, ms);
  }

  /** Improves the trips not sent yet, a slice at a time, until the round's deadline in `improving`. */
  private async improve(round: Round): Promise<void> {
    try {
      let more = true;
      while (more && performance.now() < (this.improving.get(round) ?? 0)) more = await this.improveSlice(round);
    } finally {
      // Synchronously with the loop's end, so a trip ending now starts a new run instead of
      // extending one that has already stopped.
      this.improving.delete(round);
    }
  }

  /**
   * One slice of improvement of the trips not sent yet (`fresh`: see the planner's
   * `RoundOptions.fresh`), by `improver` (default the manager's); false when there is nothing to
   * improve or no robot left to plan for (they all went offline).
   */
  private async improveSlice(round: Round, fresh = false, improver = this.options.improver ?? { improve: inProcessRoundImprover, sliceMs: IMPROVE_SLICE_MS }): Promise<boolean> {
    if (pendingRequests(round).length === 0 || this.robots().length === 0) return false;
    const version = round.version;
    const { problem, schedule, sent, queueOf } = this.planning(round);
    const current = timeSchedule(problem.input, schedule, MAKESPAN_THEN_DELIVERY);
    const better = await improver.improve(problem.input, current, { timeLimitMs: improver.sliceMs, seed: this.seed++, fresh, sent });
    await new Promise((resolve) => setImmediate(resolve));
    await this.apply(improvementDone(round, version, current.objective, { objective: better.objective, queue: () => queueOf(better) }));
    return true;
  }

  /** Improves the trips not sent yet by `ms` of the planner's work clock, at once: the same input and seed give the same plan. */
  private improveOnWorkBudget(round: Round, ms: number, fresh = false): void {
    if (pendingRequests(round).length === 0 || this.robots().length === 0) return;
    const { problem, schedule, sent, queueOf } = this.planning(round);
    const current = timeSchedule(problem.input, schedule, MAKESPAN_THEN_DELIVERY);
    const better = improveRound(problem.input, current, 0, { clock: workClock(), timeLimitMs: ms, seed: this.seed++, fresh, sent });
    void this.apply(improvementDone(round, round.version, current.objective, { objective: better.objective, queue: () => queueOf(better) }));
  }

  /** The planner's input for `pending`; robots in `atStation` are taken as free at the station now. */
  private problem(round: Round, pending: number[], extraRooms: string[] = [], atStation: ReadonlySet<string> = new Set()) {
    const robots = plannerRobots(this.options.graph, this.times, this.robotsNow(atStation), this.options.clock.now());
    return remainingProblem(this.options.graph, round.requests, pending, robots, this.times, this.options.clock.now(), extraRooms);
  }

  private anyRunning(): boolean {
    for (const round of this.rounds.values()) if (round.finishedAtMs === undefined) return true;
    return false;
  }

  private robots() {
    return this.options.fleet.list().filter((r) => r.online);
  }

  /**
   * The robots a plan is for (online and, if any is, available), each with its last node and its
   * trip under way; those in `atStation` as free at the station now.
   */
  private robotsNow(atStation: ReadonlySet<string> = new Set()): RobotNow[] {
    const online = this.robots();
    const available = online.filter((r) => this.options.available?.(r.id) !== false);
    return (available.length ? available : online).map((r) => {
      const active = atStation.has(r.id) ? undefined : this.options.trips.activeTripOf(r.id);
      const at = r.node === null ? undefined : { node: r.node, sinceMs: this.etas.robotPosition(r.id)?.sinceMs ?? this.options.clock.now() };
      const activeRound = active && this.roundOfTrip(active.id);
      return { id: r.id, trays: r.trays, ...(at ? { at } : {}), ...(active ? { active } : {}), ...(activeRound ? { activeRound } : {}) };
    });
  }

  private roundOfTrip(tripId: string): Round | undefined {
    return this.roundByTrip.get(tripId);
  }

  private changed(round: Round): void {
    const view = this.view(round);
    const ended = round.finishedAtMs === undefined && view.status === 'done';
    if (ended) round.finishedAtMs = this.options.clock.now();
    const record = roundRecordOf(round);
    // Not awaited: a trip is saved before its order leaves, and a restart counts a saved trip of a round as sent.
    writeInBackground(() => this.options.store.saveRound(record), this.options.log, `round ${round.id}`);
    this.emit('round', view);
    this.etas.worthPushing(
      round,
      view.rooms.map((r) => r.etaMs),
    );
    if (ended) this.forgetOldFinished();
  }

  /** Beyond the newest `keepFinished` finished rounds, the oldest leave memory (not the store), and with them their trips. */
  private forgetOldFinished(): void {
    const forget = roundsToForget(this.rounds.values(), this.options.keepFinished ?? KEEP_FINISHED_ROUNDS);
    for (const round of forget) {
      this.rounds.delete(round.id);
      this.improving.delete(round);
      for (const sent of round.sent) this.roundByTrip.delete(sent.tripId);
    }
    if (forget.length && !this.restoring) this.options.trips.forgetOldFinished();
  }

  /** True while the constructor restores rounds: the trip manager cannot ask this one about its trips yet. */
  private restoring = false;

  private view(round: Round, etas = this.etasOf(round)): RoundView {
    return roundView(round, (id) => this.options.trips.get(id), this.predictedFinishS(round), etas);
  }

  /** The planner's makespan of what is not sent yet, from now; kept per queue version. */
  private predictedFinishS(round: Round): number | null {
    // Not before the first plan: the first order would wait for the travel times.
    if (round.start !== undefined) return null;
    if (round.prediction?.version === round.version) return round.prediction.seconds;
    const pending = pendingRequests(round);
    let seconds: number | null = null;
    if (pending.length > 0 && this.robots().length > 0) {
      const { problem, schedule } = this.planning(round);
      seconds = Math.round(timeSchedule(problem.input, schedule, MAKESPAN_THEN_DELIVERY).metrics.makespanS);
    }
    round.prediction = { version: round.version, seconds };
    return seconds;
  }
}
