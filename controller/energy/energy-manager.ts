import type { Logger } from '../../common/index.js';
import { assertOutbound, batteryChargeOf, orderSchema, robotAction, type Clock, type Order, type State } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import type { RobotView } from '../fleet/robot-view.js';
import type { Refusal } from '../refusal.js';
import type { SiteGraph } from '../site/index.js';
import { orderAlong } from '../trips/order-builder.js';
import { startNodeOf } from '../trips/start-node.js';
import type { VdaMaster } from '../vda-master/index.js';
import { addDemands, batteryProfileOf, factsheetLists, orderDemand, routeDemand, type BatteryProfile } from './battery-model.js';
import {
  availableForWork,
  chargingStep,
  DEFAULT_CHARGING_POLICY,
  emptyChargingState,
  type ChargingEffect,
  type ChargingPolicy,
  type ChargingRobot,
  type ChargingState,
} from './charging-core.js';
import { keepsReserve, reserveRefusal, unknownChargeNote, type TripCandidate } from './reserve-check.js';

export interface EnergyManagerOptions {
  fleet: FleetRegistry;
  graph: SiteGraph;
  /** How orders and instant actions reach the robots (the trips' own, so header ids stay in one count per robot). */
  master: VdaMaster;
  clock: Clock;
  log: Logger;
  /** Whether a robot is on a trip (not free to be sent to a charger). */
  onTrip: (robot: string) => boolean;
  /** Whether a round has rooms to send: charging robots are then taken off once charged enough. */
  demand: () => boolean;
  /** Whether the robot is contaminated (its way to a charger is disinfected first); unknown counts as its node's zone says. */
  contaminated?: (robot: string) => boolean | undefined;
  /** What is known of the robots' batteries beyond the defaults (see `DEFAULT_BATTERY_PROFILE`). */
  profile?: Partial<BatteryProfile>;
  policy?: Partial<ChargingPolicy>;
  /** How long (clock ms) a robot told to stop charging may take to show it stopped before its trip's order is given up ({@link untilOffCharger}). Default 60 s: as long as robot-watch lets a robot stay silent before it counts as offline (two state intervals), so a robot that answers at all answers in time. */
  stopChargingTimeoutMs?: number;
  /**
   * The site's single-width ways, as the trips reserve them (`TripNarrow`): a charger's order is
   * held at each way it enters until granted, like a trip's. Without, it is not held.
   */
  ways?: { follow(robot: string, order: Order, send: (update: Order) => Promise<void>): void };
}

/**
 * The robots' batteries: checks a trip against the robot's reserve before it is sent (the
 * trips call {@link checkTrip}), tells the rounds which robots may take work ({@link available}),
 * and sends robots to the site's chargers and takes them off (`charging-core`): an order to
 * the charger with a VDA `startCharging` at its node (an instant `startCharging` for a robot on
 * one already), an instant `stopCharging` when work needs it. Chargers reached only by a lift
 * ride are not used (a lift session for a charger trip is not worth its car).
 */
export class EnergyManager {
  private readonly state: ChargingState = emptyChargingState();
  private readonly policy: ChargingPolicy;
  private readonly chargers: string[];
  private readonly chargerSet: ReadonlySet<string>;
  /** Robots refused a trip for their battery since they last charged (see `ChargingRobot.refusedForBattery`). */
  private readonly refusedForBattery = new Set<string>();
  /** Clock ms since when each free robot has been free. */
  private readonly freeSince = new Map<string, number>();
  /** Robots told to stop charging whose state has not shown it yet: the `stopCharging`'s actionId, and who waits for it. */
  private readonly stopping = new Map<string, { actionId: string; waiters: ((refused: string | undefined) => void)[] }>();

  constructor(private readonly options: EnergyManagerOptions) {
    this.policy = { ...DEFAULT_CHARGING_POLICY, ...options.policy };
    this.chargers = options.graph.site.nodes.filter((n) => n.kind === 'charger').map((n) => n.id);
    this.chargerSet = new Set(this.chargers);
  }

  /** Each time a robot's charge fell under its reserve (it was at or above it before), in order. */
  private readonly dips: { robot: string; chargePct: number; atMs: number }[] = [];
  private readonly underReserve = new Set<string>();

  /**
   * Follows the robots (call before the rounds listen to the fleet: a robot's view, online again
   * after a silence, is then stepped over before a round may give it work); returns the teardown.
   */
  start(): () => void {
    const { fleet } = this.options;
    const onState = (robot: string, state: State) => {
      this.watchReserve(robot, state);
      this.watchStop(robot, state);
    };
    // On the view, not the state: it says online only after the state that ends a silence.
    const onRobot = (view: RobotView) => this.step(view.id);
    const onLost = (robot: string) => this.step(robot);
    fleet.on('state', onState);
    fleet.on('robot', onRobot);
    fleet.on('lost', onLost);
    return () => {
      fleet.off('state', onState);
      fleet.off('robot', onRobot);
      fleet.off('lost', onLost);
    };
  }

  /** Every time a robot's reported charge went under its reserve: what the reserve check is there to prevent (a day's count must be 0). */
  belowReserve(): readonly { robot: string; chargePct: number; atMs: number }[] {
    return this.dips;
  }

  private watchReserve(robot: string, state: State): void {
    const chargePct = batteryChargeOf(state);
    // Not known yet: no figure to judge by.
    if (chargePct === null) return;
    if (chargePct >= this.profileOf(robot).reservePct) {
      this.underReserve.delete(robot);
      return;
    }
    if (this.underReserve.has(robot)) return;
    this.underReserve.add(robot);
    this.dips.push({ robot, chargePct, atMs: this.options.clock.now() });
    this.options.log.warn({ robot, chargePct }, 'battery: under its reserve');
  }

  /**
   * Resolves once `robot`, told to stop charging, shows it (`batteryState.charging` false, or its
   * `stopCharging` FINISHED): VDA 5050 robots refuse an order while an instant action still
   * runs, so a trip's order waits for it. Resolves to the reason instead when the stop FAILED or
   * did not show within `stopChargingTimeoutMs`. Undefined when no stop is pending: send at once.
   */
  untilOffCharger(robot: string): Promise<string | undefined> | undefined {
    const pending = this.stopping.get(robot);
    if (!pending) return undefined;
    const { clock } = this.options;
    const timeoutMs = this.options.stopChargingTimeoutMs ?? 60_000;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => {
        pending.waiters = pending.waiters.filter((w) => w !== done);
        resolve(
          `${robot} still charging ${Math.round(timeoutMs / 1000)} s after it was told to stop (${pending.actionId}); its order was not sent, as a robot refuses an order while stopCharging runs`,
        );
      }, timeoutMs);
      const done = (refused: string | undefined) => {
        clock.clearTimeout(timer);
        resolve(refused);
      };
      pending.waiters.push(done);
    });
  }

  /** A robot's state: the stop it was told is over once it no longer charges or its `stopCharging` is final. */
  private watchStop(robot: string, state: State): void {
    const pending = this.stopping.get(robot);
    if (!pending) return;
    const action = state.actionStates.find((a) => a.actionId === pending.actionId);
    const refused =
      action?.actionStatus === 'FAILED'
        ? `${robot} could not stop charging (${pending.actionId} FAILED${action.resultDescription ? `: ${action.resultDescription}` : ''}); its order was not sent`
        : undefined;
    if (state.batteryState.charging && action?.actionStatus !== 'FINISHED' && !refused) return;
    this.stopping.delete(robot);
    for (const waiter of pending.waiters) waiter(refused);
  }

  /** Tells `robot` to stop charging, and notes it until its state shows it ({@link untilOffCharger}). */
  private stopCharging(robot: string, startActionId: string | undefined): void {
    const actionId = this.stopActionId(robot, startActionId);
    this.stopping.set(robot, { actionId, waiters: this.stopping.get(robot)?.waiters ?? [] });
    void this.options.master.instantAction(robot, robotAction('stopCharging', actionId, {}, 'NONE'));
  }

  /** The profile the controller uses for a robot (its state's `reach` and the configured values over the defaults). */
  profileOf(robot: string): BatteryProfile {
    return batteryProfileOf(this.options.fleet.lastState(robot), this.options.profile);
  }

  /** Which charger each robot the policy sent to one holds, and whether it is going, charging or being taken off. */
  assignments(): ReadonlyMap<string, { charger: string; phase: string }> {
    return this.state.assigned;
  }

  /** Whether a round may give this robot work now (see `availableForWork`): not one low or on a charger still charging up. */
  available(robot: string): boolean {
    const state = this.options.fleet.lastState(robot);
    return availableForWork(
      this.state,
      { id: robot, chargePct: state ? batteryChargeOf(state) : null, charging: state?.batteryState.charging ?? false, refusedForBattery: this.refusedForBattery.has(robot) },
      this.policy,
    );
  }

  /**
   * Whether `robot` may run the trip of `orders` (its first order starts where the robot
   * stands): a `conflict` refusal when it would end it below its reserve, naming a free robot
   * that can go instead. A robot on a charger that may go is taken off it (`stopCharging`) first;
   * its order waits for the stop to show ({@link untilOffCharger}).
   */
  checkTrip(robot: string, orders: readonly Order[]): Refusal | undefined {
    const { fleet, graph } = this.options;
    const state = fleet.lastState(robot);
    // No state yet: nothing to judge by (the trips refuse a robot in no known place anyway).
    if (!state) return undefined;
    const speed = fleet.factsheet(robot)?.physicalParameters.speedMax;
    const demand = orderDemand(graph, orders, speed);
    const own = { id: robot, chargePct: batteryChargeOf(state), profile: this.profileOf(robot), demand };
    if (own.chargePct === null) this.options.log.warn({ robot }, unknownChargeNote(robot));
    // The other robots' ways are looked up only for a robot that cannot go.
    const refused = keepsReserve(own).ok ? undefined : reserveRefusal(own, this.candidatesFor(robot, orders));
    if (refused) {
      // Off to a charger, if free and low (see `chargingStep`), and no round work before it charged.
      this.refusedForBattery.add(robot);
      queueMicrotask(() => this.step(robot));
      return refused;
    }
    this.release(robot, state);
    return undefined;
  }

  /** Every other free robot, with what the same trip asks of it from where it stands (its way to the first stop instead of this robot's). */
  private candidatesFor(robot: string, orders: readonly Order[]): TripCandidate[] {
    const { fleet, graph } = this.options;
    const [first, ...rest] = orders;
    if (!first) return [];
    const stop = first.nodes.findIndex((n) => n.actions.length > 0);
    const from = Math.max(0, stop);
    const tail = { nodes: first.nodes.slice(from), edges: first.edges.slice(from) };
    const candidates: TripCandidate[] = [];
    for (const view of fleet.list()) {
      const state = fleet.lastState(view.id);
      if (view.id === robot || !state || !this.isFree(view)) continue;
      const start = startNodeOf(graph, view.id, view.node, view.position);
      const way = start.ok ? routeDemand(graph, start.nodeId, first.nodes[from]!.nodeId, this.options.contaminated?.(view.id) ?? false) : undefined;
      if (!way) continue;
      const demand = addDemands(way, orderDemand(graph, [tail, ...rest], fleet.factsheet(view.id)?.physicalParameters.speedMax));
      candidates.push({ id: view.id, chargePct: batteryChargeOf(state), profile: this.profileOf(view.id), demand });
    }
    return candidates;
  }

  /** A robot given a trip: off its charger (told to stop when it charges), no longer the policy's. */
  private release(robot: string, state: State): void {
    const assignment = this.state.assigned.get(robot);
    this.state.assigned.delete(robot);
    if (state.batteryState.charging) this.stopCharging(robot, assignment?.actionId);
  }

  /** The id of a `stopCharging`: after its `startCharging`'s, else of its own (a robot found charging). */
  private stopActionId(robot: string, startActionId: string | undefined): string {
    return `${startActionId || `charge-${robot}-${Math.round(this.options.clock.now()).toString(36)}`}:stop`;
  }

  private isFree(view: RobotView): boolean {
    return view.online && view.state === 'idle' && !this.options.onTrip(view.id);
  }

  /**
   * One step of the charging policy: over the whole fleet (a round's change), or, after one
   * robot's message, over that robot and those the step must see with it (the robots sent to or
   * standing on chargers), so a message costs the same in a fleet of a thousand.
   */
  step(only?: string): void {
    const { fleet, clock } = this.options;
    const ids = only === undefined ? fleet.list().map((v) => v.id) : new Set([only, ...this.state.assigned.keys(), ...this.onCharger.keys()]);
    const robots: ChargingRobot[] = [];
    for (const id of ids) {
      const view = fleet.get(id);
      if (view) robots.push(this.chargingRobot(view));
      else this.onCharger.delete(id);
    }
    const effects = chargingStep(this.state, robots, this.chargers, this.options.demand(), clock.now(), this.policy, (from, to) => this.chargerDistanceS(from, to));
    for (const effect of effects) this.apply(effect);
  }

  /** Robots standing on a charger (by their last node), which the policy must see at every step. */
  private readonly onCharger = new Set<string>();

  private chargingRobot(view: RobotView): ChargingRobot {
    const { fleet, graph, clock } = this.options;
    const state = fleet.lastState(view.id);
    // Only a robot that lists startCharging (or has no factsheet yet: our own) is sent to charge.
    const free = this.isFree(view) && factsheetLists(fleet.factsheet(view.id), 'startCharging');
    if (state?.batteryState.charging) this.refusedForBattery.delete(view.id);
    if (!free) this.freeSince.delete(view.id);
    else if (!this.freeSince.has(view.id)) this.freeSince.set(view.id, clock.now());
    // A robot of another maker may report node ids of its own: where it is on the site, if anywhere
    // (looked up only for a free robot: only it may be sent).
    const node = view.node !== null && graph.nodes.has(view.node) ? view.node : free ? startNodeOf(graph, view.id, view.node, view.position) : undefined;
    const nodeId = typeof node === 'string' ? node : node?.ok ? node.nodeId : null;
    if (nodeId !== null && this.chargerSet.has(nodeId)) this.onCharger.add(view.id);
    else this.onCharger.delete(view.id);
    return {
      id: view.id,
      online: view.online,
      free,
      freeSinceMs: this.freeSince.get(view.id) ?? null,
      node: nodeId,
      chargePct: state ? batteryChargeOf(state) : null,
      charging: state?.batteryState.charging ?? false,
      refusedForBattery: this.refusedForBattery.has(view.id),
      actionStatus: (actionId) => state?.actionStates.find((a) => a.actionId === actionId)?.actionStatus,
    };
  }

  /** Seconds to a charger on the same floor; `Infinity` for one beyond a lift ride or out of reach. */
  private chargerDistanceS(from: string, charger: string): number {
    const route = this.options.graph.route(from, charger);
    return route && !route.hops.some((h) => h.lift !== undefined) ? route.timeS : Infinity;
  }

  private apply(effect: ChargingEffect): void {
    const { master, log } = this.options;
    switch (effect.kind) {
      case 'goCharge':
        if (effect.here) void master.instantAction(effect.robot, robotAction('startCharging', effect.actionId, {}, 'HARD'));
        else this.sendToCharger(effect.robot, effect.charger, effect.actionId);
        break;
      case 'stopCharging':
        this.stopCharging(effect.robot, this.state.assigned.get(effect.robot)?.actionId);
        break;
      case 'log':
        log[effect.level]({ robot: effect.robot }, `battery: ${effect.message}`);
        break;
    }
  }

  /** An order from where the robot stands to the charger, with `startCharging` at the charger's node. */
  private sendToCharger(robot: string, charger: string, actionId: string): void {
    const { fleet, graph, master, clock, log } = this.options;
    const view = fleet.get(robot);
    const start = view && startNodeOf(graph, robot, view.node, view.position);
    if (!view || !start?.ok) {
      this.state.assigned.delete(robot);
      log.warn({ robot, charger }, 'battery: cannot tell where the robot is, not sent to a charger');
      return;
    }
    const factsheet = fleet.factsheet(robot);
    let order: Order;
    try {
      order = orderAlong(
        {
          graph,
          orderId: actionId,
          manufacturer: view.manufacturer,
          serialNumber: view.serialNumber,
          headerId: master.nextOrderHeaderId(robot),
          timestamp: new Date(clock.now()).toISOString(),
          startContaminated: this.options.contaminated?.(robot) ?? graph.node(start.nodeId).zone !== 'green',
          disinfect: factsheetLists(factsheet, 'disinfect'),
          ...(this.options.ways ? { narrowWays: 'controller' as const } : {}),
        },
        start.nodeId,
        [{ nodeId: charger, actions: [robotAction('startCharging', actionId, {}, 'HARD')] }],
      );
    } catch (error) {
      this.state.assigned.delete(robot);
      log.warn({ robot, charger, err: (error as Error).message }, 'battery: no way to the charger');
      return;
    }
    assertOutbound(orderSchema, order);
    this.options.ways?.follow(robot, order, (update) => master.order(robot, update));
    void master.order(robot, order);
  }
}
