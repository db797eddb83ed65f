import { sleep, type Clock, type Site, type SiteNode } from '../protocol/index.js';
import { IsolationCheck, type IsolationBreach } from './isolation-check.js';
import { Semaphore } from './semaphore.js';
import { SimNarrowWays } from './sim-narrow-ways.js';
import { SimDoors } from './sim-doors.js';
import { SimLifts } from './sim-lift.js';
import { seededRandom } from '../protocol/index.js';

/** How residents answer the door. Defaults are the benchmark profile (DESIGN.md). */
export interface ResidentModel {
  /** Seconds until a resident who comes collects: uniform in [minS, maxS]. */
  minS: number;
  maxS: number;
  /** Share of visits where nobody comes, 0–1. */
  neverShare: number;
}

export interface SimWorldOptions {
  site: Site;
  clock: Clock;
  seed: number;
  residents?: Partial<ResidentModel>;
  /** `auto`: the simulated medic loads and confirms; `manual`: a person confirms on the dashboard. Default auto. */
  medic?: MedicMode;
  /** Seconds the simulated medic takes per tray at the loading station. Default 10. */
  medicPerTrayS?: number;
  /** Seconds a robot takes to announce at a door. Default 5. */
  announceS?: number;
  /** Seconds a robot may stand behind another on a single-width way before it counts as a long wait (see {@link SimNarrowWays}). Default 120. */
  narrowWaitLimitS?: number;
  /** Told of each robot that enters green from red undisinfected (see {@link IsolationCheck}). */
  onIsolationBreach?: (breach: IsolationBreach) => void;
}

/** Who confirms trays at the loading station. */
export type MedicMode = 'auto' | 'manual';

/**
 * Everything around the simulated robots: the building, its lifts (cars that travel to the
 * caller; who rides is the controller's lift session), the residents behind each door and the medic at the loading
 * station. Deterministic for a seed: each visit to a room draws from its own stream.
 */
export class SimWorld {
  readonly site: Site;
  readonly clock: Clock;
  readonly residents: ResidentModel;
  readonly medicPerTrayS: number;
  /** Can be switched while running (the developer panel does). */
  medicMode: MedicMode;
  readonly announceS: number;
  private readonly nodes = new Map<string, SiteNode>();
  /** The lift cars; each robot's bridge drives them through `lifts.port(robot)`. */
  readonly lifts: SimLifts;
  /** The doors on the robots' way; a robot's driver asks them open as it passes. */
  readonly doors: SimDoors;
  /** Where each robot went and was disinfected, and who broke the isolation rule. */
  readonly isolation: IsolationCheck;
  /** The single-width ways: nobody passes there; head-on meetings (`narrow.headOn.length`) and long waits (`narrow.longWaits`) counted. */
  readonly narrow: SimNarrowWays;
  private readonly medic = new Semaphore(1);
  private readonly visits = new Map<string, number>();
  private readonly residentListeners = new Set<(room: string, delayS: number | undefined) => void>();

  constructor(private readonly options: SimWorldOptions) {
    this.site = options.site;
    this.clock = options.clock;
    this.residents = { minS: 10, maxS: 60, neverShare: 0.05, ...options.residents };
    this.medicPerTrayS = options.medicPerTrayS ?? 10;
    this.medicMode = options.medic ?? 'auto';
    this.announceS = options.announceS ?? 5;
    for (const node of options.site.nodes) this.nodes.set(node.id, node);
    this.lifts = new SimLifts(options.site.lifts, options.clock);
    this.doors = new SimDoors(options.site, options.clock);
    this.isolation = new IsolationCheck(options.clock, options.onIsolationBreach);
    this.narrow = new SimNarrowWays(options.site, options.clock, options.narrowWaitLimitS);
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  node(id: string): SiteNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`the simulated site has no node ${id}`);
    return node;
  }

  /** The medic loads `trays` trays, one robot at a time. */
  async loadAtStation(trays: number, signal: AbortSignal): Promise<void> {
    const release = await this.medic.acquire(signal);
    try {
      await sleep(this.clock, trays * this.medicPerTrayS * 1000, signal);
    } finally {
      release();
    }
  }

  /** How often a robot has waited at this room's door so far. */
  visitsTo(room: string): number {
    return this.visits.get(room) ?? 0;
  }

  /** Seconds until the resident of `room` collects on this visit; `undefined` if nobody comes. */
  residentDelayS(room: string): number | undefined {
    const visit = (this.visits.get(room) ?? 0) + 1;
    this.visits.set(room, visit);
    const random = seededRandom(this.options.seed ^ hash(`${room}#${visit}`));
    const delayS = random() < this.residents.neverShare ? undefined : this.residents.minS + random() * (this.residents.maxS - this.residents.minS);
    for (const listener of this.residentListeners) listener(room, delayS);
    return delayS;
  }

  /**
   * Calls `listener` each time a robot calls a room's resident, with the seconds until the
   * resident comes to the door (`undefined`: nobody comes), as {@link residentDelayS} drew them:
   * what the room's door sensor sees. Returns its teardown.
   */
  onResidentCalled(listener: (room: string, delayS: number | undefined) => void): () => void {
    this.residentListeners.add(listener);
    return () => this.residentListeners.delete(listener);
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
