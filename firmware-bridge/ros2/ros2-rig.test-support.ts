/**
 * A ROS 2 robot under the real bridge and controller, for the integration tests: the
 * controller (buildApp) on a real broker, and one robot whose bridge runs the Nav2 driver, the
 * Open-RMF lift and door ports over the ROS 2 stand-in (`stand-in/`: Nav2, the map server, AMCL,
 * one RMF lift, one RMF door, the tray board). The building is a generated hotel with a ground
 * floor and one guest floor; the ward door is on the guest floor's corridor, between the lift and
 * the rooms.
 */
import { siteSchema, type State } from '../../protocol/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { buildApp } from '../../controller/app.js';
import { generateHotel } from '../../controller/site/hotel-generator.js';
import { brokerForTests, uniqueManufacturer } from '../../controller/transport/test-broker.js';
import { RobotAgent } from '../robot-agent.js';
import { ros2RobotConfigSchema } from './robot-config.js';
import { ros2Robot } from './ros2-robot.js';
import { StandInNav2Robot } from './stand-in/nav2-robot.js';
import { StandInRmfDoor, StandInRmfLift } from './stand-in/rmf-building.js';
import { RosGraph } from './stand-in/ros-graph.js';
import { StandInTrayRobot } from './stand-in/tray-robot.js';

export const hotel = siteSchema.parse(generateHotel({ name: 'ros-hotel', floors: 1, roomsPerFloor: 2, lifts: 1, chargers: 1 }));
export const WARD_DOOR = 'F1_ward_door';

const node = (id: string) => hotel.nodes.find((n) => n.id === id)!;

/** The robot's config: a map per level, the car's pose on each (the landing, as the generated hotel draws no cabin), the ward door. */
export const rigConfig = ros2RobotConfigSchema.parse({
  startMapId: 'G',
  maps: { G: '/maps/hotel_G.yaml', F1: '/maps/hotel_F1.yaml' },
  lifts: { A: Object.fromEntries(hotel.nodes.filter((n) => n.kind === 'liftLanding').map((n) => [n.level, { x: n.x - 1, y: n.y, theta: Math.PI }])) },
  doors: [{ door: WARD_DOOR, lanes: [['F1-w', 'F1-c0']] }],
});

/** One ROS 2 robot at the charger over the stand-in, its bridge on `mqttUrl`. */
export async function startRos2StandInRobot(options: { mqttUrl: string; manufacturer: string; clock: ScaledClock; serial: string; liftTimeoutMs?: number }) {
  const { clock } = options;
  const graph = new RosGraph();
  const charger = node('G-charger1');
  const nav2 = new StandInNav2Robot({ graph, clock, namespace: `/${options.serial}`, start: { x: charger.x, y: charger.y }, maps: Object.values(rigConfig.maps) });
  const lift = new StandInRmfLift({ graph, clock, name: 'A', floors: ['G', 'F1'], startFloor: 'F1', doorS: 8, perFloorS: 3 });
  const door = new StandInRmfDoor({ graph, clock, name: WARD_DOOR, doorS: 3 });
  const trays = new StandInTrayRobot(graph, clock, `/${options.serial}`, 4, 5);
  const { driver, lift: liftPort } = ros2Robot({
    ros: graph.ros(`/${options.serial}`),
    clock,
    config: rigConfig,
    robotId: options.serial,
    lifts: 'rmf',
    doors: 'rmf',
    liftTimeoutMs: options.liftTimeoutMs,
  });
  // What a running robot keeps publishing (its pose, odometry and battery), once the bridge listens.
  nav2.publishPose(0);
  const agent = new RobotAgent({
    mqttUrl: options.mqttUrl,
    vehicle: { manufacturer: options.manufacturer, serialNumber: options.serial },
    driver,
    clock,
    startNodeId: 'G-charger1',
    visualizationIntervalMs: 20_000,
    lift: liftPort,
  });
  await agent.start();
  return {
    graph,
    nav2,
    lift,
    door,
    trays,
    driver,
    liftPort: liftPort!,
    stop: async () => {
      await agent.stop();
      lift.close();
      door.close();
    },
  };
}

/** The controller on a fresh broker with one ROS 2 robot (`ros-1`); the medic loads tray 1 (the tests' trips carry one tray) and confirms it on the robot as soon as it asks. */
export async function startRig(clock = new ScaledClock(50), options: { liftTimeoutMs?: number } = {}) {
  const broker = await brokerForTests();
  const manufacturer = uniqueManufacturer('ros2');
  const app = await buildApp({ site: hotel, mqttUrl: broker.url, manufacturer, clock });
  const robot = await startRos2StandInRobot({ mqttUrl: broker.url, manufacturer, clock, serial: 'ros-1', liftTimeoutMs: options.liftTimeoutMs });
  const states: State[] = [];
  app.fleet.on('state', (id: string, state: State) => {
    if (id !== 'ros-1') return;
    states.push(state);
    const loading = state.actionStates.find((a) => a.actionType === 'loadTrays' && a.actionStatus === 'RUNNING');
    if (loading && !loaded.has(loading.actionId)) {
      loaded.add(loading.actionId);
      robot.trays.medicLoads([1]);
    }
  });
  const loaded = new Set<string>();
  return {
    app,
    robot,
    states,
    clock,
    close: async () => {
      await app.close();
      await robot.stop();
      await broker.close();
    },
  };
}
