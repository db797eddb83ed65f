/**
 * TEST STAND-IN for the robot side of isofleet's tray and speaker interface (`../tray-board.ts`,
 * README "Real robots"), as a robot integrator implements it: speaks what comes on
 * `isofleet/announce` and reports `isofleet/announce_done` after `announceS`; opens the tray
 * named on `isofleet/tray_open`, where the resident empties it after `collectS(tray)` seconds
 * (undefined: nobody comes); reports tray occupancy on `isofleet/trays` on every change.
 */
import type { Clock } from '../../../protocol/index.js';
import { RosTypes } from '../messages.js';
import { resolveName, type RosGraph } from './ros-graph.js';

export class StandInTrayRobot {
  readonly occupancy: number[];
  readonly spoken: string[] = [];
  readonly opened: number[] = [];
  /** Seconds until the resident empties an opened tray; undefined: nobody comes. */
  collectS: (tray: number) => number | undefined = () => 5;

  constructor(
    private readonly graph: RosGraph,
    clock: Clock,
    private readonly namespace = '',
    trays = 4,
    announceS = 2,
  ) {
    this.occupancy = new Array<number>(trays).fill(0);
    graph.subscribe(this.name('isofleet/announce'), RosTypes.string, (m: { data: string }) => {
      this.spoken.push(m.data);
      clock.setTimeout(() => graph.publish(this.name('isofleet/announce_done'), RosTypes.string, { data: m.data }), announceS * 1000);
    });
    graph.subscribe(this.name('isofleet/tray_open'), RosTypes.uint8, (m: { data: number }) => {
      this.opened.push(m.data);
      const delayS = this.collectS(m.data);
      if (delayS !== undefined) clock.setTimeout(() => this.set(m.data, 0), delayS * 1000);
    });
  }

  /** The medic puts something on `trays` and confirms each on the robot's screen. */
  medicLoads(trays: number[]): void {
    for (const tray of trays) this.set(tray, 1);
    for (const tray of trays) this.graph.publish(this.name('isofleet/tray_confirmed'), RosTypes.uint8, { data: tray });
  }

  private set(tray: number, value: number): void {
    this.occupancy[tray - 1] = value;
    this.graph.publish(this.name('isofleet/trays'), RosTypes.uint8MultiArray, { layout: { dim: [], data_offset: 0 }, data: [...this.occupancy] });
  }

  private name(relative: string): string {
    return resolveName(relative, this.namespace);
  }
}
