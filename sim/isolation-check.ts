import type { Clock, SiteNode } from '../protocol/index.js';

/** A robot that entered the green zone contaminated: what the check caught. */
export interface IsolationBreach {
  robot: string;
  /** The green node it entered. */
  node: string;
  /** The last red node it was at before. */
  fromRed: string;
  /** Clock ms. */
  atMs: number;
}

/** A disinfection the simulated robot finished. */
export interface Disinfection {
  robot: string;
  station: string;
  atMs: number;
}

/**
 * The simulator's referee for the isolation rule, from what each robot did (the nodes its
 * driver reached, the disinfections its driver finished), not from the orders it was given: a
 * robot that enters a green node after a red one with no finished disinfection in between is a
 * breach, so a planner that forgot the station shows up here.
 */
export class IsolationCheck {
  readonly breaches: IsolationBreach[] = [];
  readonly disinfections: Disinfection[] = [];
  /** Per robot: the red node it was last at, while it has not been disinfected since. */
  private readonly contaminatedFrom = new Map<string, string>();
  private readonly zoneNow = new Map<string, SiteNode['zone']>();

  constructor(
    private readonly clock: Clock,
    /** Called on each breach as it happens (a log line). */
    private readonly onBreach: (breach: IsolationBreach) => void = () => {},
  ) {}

  /** The robot's driver reached `node` (or starts there). */
  arrive(robot: string, node: SiteNode): void {
    const before = this.zoneNow.get(robot);
    this.zoneNow.set(robot, node.zone);
    if (node.zone === 'red') {
      this.contaminatedFrom.set(robot, node.id);
      return;
    }
    const fromRed = this.contaminatedFrom.get(robot);
    // One breach per entry into green: moving on inside green is the same breach.
    if (node.zone === 'green' && fromRed !== undefined && before !== 'green') {
      const breach = { robot, node: node.id, fromRed, atMs: this.clock.now() };
      this.breaches.push(breach);
      this.onBreach(breach);
    }
  }

  /** The robot's driver finished a disinfection at `station`. */
  disinfected(robot: string, station: SiteNode): void {
    this.contaminatedFrom.delete(robot);
    this.disinfections.push({ robot, station: station.id, atMs: this.clock.now() });
  }

  /** Whether the robot entered red since its last disinfection. */
  contaminated(robot: string): boolean {
    return this.contaminatedFrom.has(robot);
  }
}
