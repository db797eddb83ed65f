/**
 * The Nav2 driver against the ROS 2 stand-in (`stand-in/`: the rclnodejs graph, Nav2's
 * navigate_to_pose, map server and AMCL, an Open-RMF door, the tray board), on a scaled clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderEdge } from '../../protocol/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import type { DriveTarget } from '../driver.js';
import { DoorModeValue, RmfTopics, yawOf, type DoorRequest, type PoseWithCovarianceStamped } from './messages.js';
import { Nav2RobotDriver } from './nav2-robot-driver.js';
import { RmfDoorPort } from './rmf-door-port.js';
import { ros2RobotConfigSchema } from './robot-config.js';
import { StandInNav2Robot } from './stand-in/nav2-robot.js';
import { StandInRmfDoor } from './stand-in/rmf-building.js';
import { RosGraph } from './stand-in/ros-graph.js';
import { StandInTrayRobot } from './stand-in/tray-robot.js';

const config = ros2RobotConfigSchema.parse({
  startMapId: 'L1',
  maps: { L1: '/maps/L1.yaml', L2: '/maps/L2.yaml' },
  lifts: { A: { L1: { x: 0, y: 5, theta: 1.57 }, L2: { x: 0.2, y: 5.1, theta: -1.57 } } },
  doors: [{ door: 'ward_door', lanes: [['corridor', 'ward']] }],
});

function target(fromNodeId: string, nodeId: string, x: number, y: number, mapId = 'L1'): DriveTarget {
  const edge: OrderEdge = { edgeId: `${fromNodeId}-${nodeId}`, sequenceId: 1, startNodeId: fromNodeId, endNodeId: nodeId, released: true, actions: [] };
  return { fromNodeId, nodeId, edgeId: edge.edgeId, position: { x, y, mapId }, edge };
}

function setup() {
  const clock = new ScaledClock(40);
  const graph = new RosGraph();
  const ros = graph.ros('/robot1');
  const nav2 = new StandInNav2Robot({ graph, clock, namespace: '/robot1', start: { x: 0, y: 0 }, maps: ['/maps/L1.yaml', '/maps/L2.yaml'], batteryPct: 76.5 });
  const door = new StandInRmfDoor({ graph, clock, name: 'ward_door' });
  const trays = new StandInTrayRobot(graph, clock, '/robot1');
  const doors = new RmfDoorPort({ ros, clock, requester: 'robot-1' });
  const driver = new Nav2RobotDriver({ ros, clock, config, doors });
  return { clock, graph, nav2, door, trays, driver, close: () => door.close() };
}

describe('Nav2RobotDriver over the ROS 2 stand-in', () => {
  let current: ReturnType<typeof setup> | undefined;
  afterEach(() => {
    current?.close();
    current = undefined;
  });

  it('drives an edge as one navigate_to_pose goal in the map frame; feedback, position, speed and battery reach its status', async () => {
    current = setup();
    const { driver, nav2 } = current;
    const drive = driver.driveTo(target('station', 'corridor', 4, 0), new AbortController().signal);
    await waitFor(() => driver.status().navigation !== undefined, 5000, 'feedback');
    const during = driver.status();
    expect(during.navigation!.distanceRemainingM).toBeGreaterThan(0);
    expect(during.navigation!.distanceRemainingM).toBeLessThan(4);
    expect(during.navigation!.etaS).toBeCloseTo(during.navigation!.distanceRemainingM / 0.8, 0);
    expect(during.speedMps).toBeCloseTo(0.8);
    expect(during.position.x).toBeGreaterThan(0);
    expect(during.batteryPct).toBeCloseTo(76.5, 0);
    expect(during.positionInitialized).toBe(true);
    await drive;
    expect(nav2.goals).toEqual([{ x: 4, y: 0, frame: 'map' }]);
    await waitFor(() => driver.status().speedMps === 0, 2000, 'odometry at rest');
    const after = driver.status();
    expect(after.position).toMatchObject({ mapId: 'L1' });
    expect(after.position.x).toBeCloseTo(4, 1);
    expect(after.navigation).toBeUndefined();
  });

  it('reports its charge as unknown (null, not 0 %) until the first battery_state, then the figure', async () => {
    current = setup();
    const { driver, nav2 } = current;
    expect(driver.status().batteryPct).toBeNull();
    nav2.publishPose(0);
    await waitFor(() => driver.status().batteryPct !== null, 2000, 'battery_state');
    expect(driver.status().batteryPct).toBeCloseTo(76.5, 1);
  });

  it('a goal Nav2 rejects rejects the drive, naming the node', async () => {
    current = setup();
    current.nav2.rejectGoals(1);
    await expect(current.driver.driveTo(target('station', 'corridor', 4, 0), new AbortController().signal)).rejects.toThrow('Nav2 rejected the goal to node corridor');
  });

  it('a goal Nav2 aborts mid-way rejects the drive with its error code, the robot where it stopped', async () => {
    current = setup();
    current.nav2.abortNextAfterM(1.5, { error_code: 104, error_msg: 'no valid path' });
    await expect(current.driver.driveTo(target('station', 'corridor', 4, 0), new AbortController().signal)).rejects.toThrow(
      'Nav2 aborted the goal to node corridor (error_code 104: no valid path)',
    );
    expect(current.nav2.pose.x).toBeGreaterThan(1.4);
    expect(current.nav2.pose.x).toBeLessThan(2);
  });

  it('a cancelled order cancels the goal: Nav2 stops the robot and the drive rejects with the reason', async () => {
    current = setup();
    const { driver, nav2 } = current;
    const abort = new AbortController();
    const drive = driver.driveTo(target('station', 'corridor', 4, 0), abort.signal);
    await waitFor(() => nav2.pose.x > 0.5, 5000, 'moving');
    abort.abort(new Error('cancelled'));
    await expect(drive).rejects.toThrow('cancelled');
    await waitFor(() => !nav2.navigating, 2000, 'Nav2 stopped');
    const stoppedAt = nav2.pose.x;
    expect(stoppedAt).toBeLessThan(3.9);
    await new Promise((r) => setTimeout(r, 100));
    expect(nav2.pose.x).toBe(stoppedAt);
  });

  it('pause cancels the goal and holds the robot; resume sends the same goal again and it arrives', async () => {
    current = setup();
    const { driver, nav2 } = current;
    const drive = driver.driveTo(target('station', 'corridor', 4, 0), new AbortController().signal);
    await waitFor(() => nav2.pose.x > 0.5, 5000, 'moving');
    driver.pause();
    await waitFor(() => !nav2.navigating, 2000, 'stopped for the pause');
    const heldAt = nav2.pose.x;
    await new Promise((r) => setTimeout(r, 150));
    expect(nav2.pose.x).toBe(heldAt);
    driver.resume();
    await drive;
    expect(nav2.goals).toEqual([
      { x: 4, y: 0, frame: 'map' },
      { x: 4, y: 0, frame: 'map' },
    ]);
    expect(nav2.pose.x).toBeCloseTo(4, 1);
  });

  it('an order cancelled while paused ends the drive instead of waiting for a resume', async () => {
    current = setup();
    const { driver, nav2 } = current;
    const abort = new AbortController();
    const drive = driver.driveTo(target('station', 'corridor', 4, 0), abort.signal);
    await waitFor(() => nav2.pose.x > 0.5, 5000, 'moving');
    driver.pause();
    await waitFor(() => !nav2.navigating, 2000, 'stopped for the pause');
    abort.abort(new Error('cancelled while paused'));
    await expect(drive).rejects.toThrow('cancelled while paused');
    driver.resume();
    expect(nav2.goals).toHaveLength(1);
  });

  it('a lift ride: boards to the car pose, then loads the new level’s map, sets AMCL’s pose in the car and drives out onto the landing', async () => {
    current = setup();
    const { driver, nav2, graph } = current;
    const ride = target('lift-A-L1', 'lift-A-L2', 0.5, 4, 'L2');
    await driver.boardLift('A', ride, new AbortController().signal);
    expect(nav2.goals.at(-1)).toEqual({ x: 0, y: 5, frame: 'map' });
    await driver.leaveLift('A', ride, new AbortController().signal);
    expect(nav2.mapUrl).toBe('/maps/L2.yaml');
    const initial = graph.messages<PoseWithCovarianceStamped>('/robot1/initialpose');
    expect(initial).toHaveLength(1);
    expect(initial[0]!.pose.pose.position).toMatchObject({ x: 0.2, y: 5.1 });
    expect(yawOf(initial[0]!.pose.pose.orientation)).toBeCloseTo(-1.57);
    expect(nav2.goals.at(-1)).toEqual({ x: 0.5, y: 4, frame: 'map' });
    expect(driver.status().position).toMatchObject({ mapId: 'L2' });
    expect(driver.status().position.y).toBeCloseTo(4, 1);
  });

  it('a level without a map, or a map the map server cannot load, fails the ride with the reason', async () => {
    current = setup();
    const { driver } = current;
    const problems = driver.checkRoute({
      nodes: [
        { nodeId: 'a', sequenceId: 0, released: true, actions: [], nodePosition: { x: 0, y: 0, mapId: 'L9' } },
        { nodeId: 'b', sequenceId: 2, released: true, actions: [] },
      ],
      edges: [],
    });
    expect(problems.map((p) => p.nodeId)).toEqual(['a', 'b']);
    const broken = new Nav2RobotDriver({
      ros: current.graph.ros('/robot1'),
      clock: current.clock,
      config: { ...config, maps: { ...config.maps, L2: '/maps/missing.yaml' } },
    });
    await expect(broken.leaveLift('A', target('lift-A-L1', 'lift-A-L2', 0.5, 4, 'L2'), new AbortController().signal)).rejects.toThrow(
      'map_server/load_map /maps/missing.yaml: RESULT_MAP_DOES_NOT_EXIST',
    );
  });

  it('a lane through a door: the door is asked open (Open-RMF DoorRequest) and open before the robot moves, and asked closed after', async () => {
    current = setup();
    const { driver, nav2, door, graph } = current;
    let openWhenMoving: number | undefined;
    const watch = setInterval(() => {
      if (openWhenMoving === undefined && nav2.navigating) openWhenMoving = door.mode;
    }, 1);
    await driver.driveTo(target('corridor', 'ward', 2, 0), new AbortController().signal);
    clearInterval(watch);
    expect(openWhenMoving).toBe(DoorModeValue.OPEN);
    const requests = graph.messages<DoorRequest>(RmfTopics.adapterDoorRequests);
    expect(requests[0]).toMatchObject({ requester_id: 'robot-1', door_name: 'ward_door', requested_mode: { value: DoorModeValue.OPEN } });
    expect(requests.at(-1)).toMatchObject({ requester_id: 'robot-1', door_name: 'ward_door', requested_mode: { value: DoorModeValue.CLOSED } });
    await waitFor(() => door.mode === DoorModeValue.CLOSED, 2000, 'door closed again');
    // A lane without a door asks nothing.
    await driver.driveTo(target('ward', 'room', 3, 0), new AbortController().signal);
    expect(graph.messages(RmfTopics.adapterDoorRequests)).toHaveLength(requests.length);
  });

  it('a door that is offline fails the drive naming it, before the robot moves', async () => {
    current = setup();
    const { driver, nav2, door } = current;
    door.goOffline();
    await expect(driver.driveTo(target('corridor', 'ward', 2, 0), new AbortController().signal)).rejects.toThrow('door ward_door is offline');
    expect(nav2.goals).toEqual([]);
  });

  it('trays and speaker: loading ends on the robot’s own confirmations; the announcement waits for the speaker; a tray emptied is collected, one left full is not', async () => {
    current = setup();
    const { driver, trays } = current;
    const signal = new AbortController().signal;
    const loading = driver.loadTrays(
      {
        trays: [
          { tray: 1, room: '101' },
          { tray: 2, room: '102', item: 'medicine' },
        ],
      },
      signal,
    );
    trays.medicLoads([1, 2]);
    await loading;
    expect(driver.status().trays).toEqual([
      { tray: 1, loadId: 'room-101' },
      { tray: 2, loadId: 'medicine' },
    ]);
    await driver.announce('Guest 101, your meal is on tray 1', { room: '101', tray: 1 }, signal);
    expect(trays.spoken).toEqual(['Guest 101, your meal is on tray 1']);
    trays.collectS = (tray) => (tray === 1 ? 3 : undefined);
    expect(await driver.waitForPickup({ tray: 1, timeoutS: 20 }, signal)).toBe('collected');
    expect(await driver.waitForPickup({ tray: 2, timeoutS: 10 }, signal)).toBe('notCollected');
    expect(trays.opened).toEqual([1, 2]);
    expect(driver.status().trays).toEqual([{ tray: 2, loadId: 'medicine' }]);
  });
});
