import type { MqttClient } from 'mqtt';
import { VDA_VERSION, toVdaVersion, vdaTopic, vdaVersionOf, type Action, type Clock, type Order, type VdaVersion } from '../../protocol/index.js';
import type { FleetRegistry } from '../fleet/fleet-registry.js';
import { vehicleOfRobotId } from '../fleet/robot-id.js';

/**
 * What the controller sends a robot: orders and instant actions, on the robot's own topics
 * (manufacturer + serialNumber), each in the VDA 5050 version the robot speaks (that of its
 * last state or factsheet; 2.1.0 before either), with a header id counting per robot and topic.
 */
export class RobotOutbox {
  private readonly headerIds = new Map<string, number>();

  constructor(
    private readonly client: MqttClient,
    private readonly fleet: FleetRegistry,
    private readonly clock: Clock,
  ) {}

  /** The next header id for a robot's topic. */
  nextHeaderId(robot: string, topic: 'order' | 'instantActions'): number {
    const key = topic === 'order' ? robot : `${robot}/instantActions`;
    const id = this.headerIds.get(key) ?? 0;
    this.headerIds.set(key, id + 1);
    return id;
  }

  /** The version to address the robot in. */
  versionOf(robot: string): VdaVersion {
    const check = vdaVersionOf(this.fleet.get(robot)?.version ?? VDA_VERSION);
    return check.ok ? check.version : VDA_VERSION;
  }

  async order(robot: string, order: Order): Promise<void> {
    const vehicle = vehicleOfRobotId(robot, this.fleet.ownManufacturer);
    await this.client.publishAsync(vdaTopic(vehicle, 'order', this.fleet.site), JSON.stringify(toVdaVersion('order', order, this.versionOf(robot))), { qos: 1 });
  }

  async instantAction(robot: string, action: Action): Promise<void> {
    const { manufacturer, serialNumber } = vehicleOfRobotId(robot, this.fleet.ownManufacturer);
    const version = this.versionOf(robot);
    const message = {
      headerId: this.nextHeaderId(robot, 'instantActions'),
      timestamp: new Date(this.clock.now()).toISOString(),
      version,
      manufacturer,
      serialNumber,
      actions: [action],
      // vda-5050-lib up to 1.4.0 (the npm release, 2.0.0) reads instant actions only under
      // `instantActions`; the 2.0.0 schema allows extra keys, so a 2.0.0 peer gets both.
      ...(version === '2.0.0' ? { instantActions: [action] } : {}),
    };
    await this.client.publishAsync(vdaTopic({ manufacturer, serialNumber }, 'instantActions', this.fleet.site), JSON.stringify(message), { qos: 1 });
  }
}
