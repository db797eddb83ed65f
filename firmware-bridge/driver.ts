import type { NodePosition, Order, OrderEdge, RobotActionParameters, RobotActionType, State, VdaError } from '../protocol/index.js';

/**
 * Where to drive next: the end node of an order edge, with the whole edge as the master sent it
 * (orientation, orientationType, rotationAllowed, edgeDescription, trajectory …) so a driver
 * needs no map of its own beside the order.
 */
export interface DriveTarget {
  fromNodeId: string;
  nodeId: string;
  edgeId: string;
  /**
   * Position of the target node with its `allowedDeviationXY` (m) and `allowedDeviationTheta`
   * (rad): how close counts as arrived. A change of `mapId` is a change of level (a lift ride).
   */
  position?: NodePosition;
  /** Position of the start node, when the order gave one. */
  fromPosition?: NodePosition;
  lengthM?: number;
  maxSpeedMps?: number;
  /** The order edge itself. */
  edge: OrderEdge;
}

/** VDA 5050 operating modes (state.operatingMode). Orders run only in AUTOMATIC and SEMIAUTOMATIC. */
export type OperatingMode = State['operatingMode'];

/** VDA 5050 e-stop kinds (state.safetyState.eStop); anything but NONE stops orders being accepted. */
export type EStop = State['safetyState']['eStop'];

/** A reason the robot cannot run a route, naming the node or edge (VDA noRouteError). */
export interface RouteProblem {
  nodeId?: string;
  edgeId?: string;
  description: string;
}

/** What the robot reports about itself at any moment. */
export interface RobotStatus {
  position: { x: number; y: number; theta: number; mapId: string };
  positionInitialized: boolean;
  /** Percent, 0–100; null while the robot has not reported it (the state then says the charge is unknown: `batteryUnknownInfo`). */
  batteryPct: number | null;
  charging: boolean;
  /** Metres per second, for visualisation. */
  speedMps: number;
  /** Trays that hold something; `loadId` is the item when known. */
  trays: { tray: number; loadId?: string }[];
  /** What the robot's own mode switch says (a key switch, a service laptop); AUTOMATIC for a robot the bridge drives. */
  operatingMode: OperatingMode;
  /** Which e-stop is pressed, NONE when none is. */
  eStop: EStop;
  /** A protective field is violated (something in the scanner's stop field). */
  fieldViolation: boolean;
  /**
   * Errors the robot itself raises (a blocked wheel, a localisation loss), reported in state as
   * long as they are listed here: the driver clears one by leaving it out.
   */
  errors: VdaError[];
  /** The navigation stack's estimate for the edge under way (Nav2's feedback), when it gives one. */
  navigation?: { distanceRemainingM: number; etaS: number };
}

/** Outcome of waiting at a door. */
export type PickupResult = 'collected' | 'notCollected';

/** Static facts about a robot, for its factsheet. */
export interface RobotDescription {
  seriesName: string;
  trays: number;
  speedMaxMps: number;
  widthM: number;
  lengthM: number;
  heightM: number;
}

/**
 * What the bridge needs from a delivery robot: motors, trays, speaker. Implemented by the
 * simulator and by hardware adapters; the bridge cannot tell them apart. Every long call
 * takes an AbortSignal and rejects with its reason when the order is cancelled.
 */
export interface RobotDriver {
  readonly description: RobotDescription;
  /** The custom actions this robot can run. */
  readonly actionTypes: readonly RobotActionType[];
  status(): RobotStatus;
  /** Calls `listener` when something in {@link status} changes on its own (a tray emptied, a charger plugged). Returns the teardown. */
  onStatusChange(listener: () => void): () => void;
  /**
   * Checks an order's route before it is accepted (VDA noRouteError): every node on the robot's
   * maps, every edge one it can drive. Returns the problems, empty when it can run the route.
   */
  checkRoute(route: Pick<Order, 'nodes' | 'edges'>): RouteProblem[];
  /** Drives along one edge to its end node; rejects when the robot cannot get there. */
  driveTo(target: DriveTarget, signal: AbortSignal): Promise<void>;
  /**
   * Drives from the start landing of the lift edge `target` into the car of `lift`, which stands
   * there with its doors open (see `LiftPort`); rejects when the robot cannot get in.
   */
  boardLift(lift: string, target: DriveTarget, signal: AbortSignal): Promise<void>;
  /** Drives out of the car of `lift`, whose doors are open at the end landing of `target`, onto that landing (the robot is then on its map). */
  leaveLift(lift: string, target: DriveTarget, signal: AbortSignal): Promise<void>;
  /** Stops motion where it is (VDA startPause); actions already running go on. */
  pause(): void;
  resume(): void;
  /** Resolves once the trays are on and a person confirmed it (on the robot or via the controller). */
  loadTrays(parameters: RobotActionParameters<'loadTrays'>, signal: AbortSignal): Promise<void>;
  /** The medic confirmed these trays from the controller (the dashboard); ends a running loadTrays once all are confirmed. */
  confirmLoading(trays: number[]): void;
  /** Speaks `text` at the door. */
  announce(text: string, parameters: RobotActionParameters<'announce'>, signal: AbortSignal): Promise<void>;
  /** Opens the tray and waits until it is emptied or the timeout passes. */
  waitForPickup(parameters: RobotActionParameters<'waitForPickup'>, signal: AbortSignal): Promise<PickupResult>;
  /**
   * Stands at the disinfection station it is at while it is disinfected (`method`, `durationS`;
   * see the `disinfect` action); resolves once done, rejects when it could not be (the robot is
   * then still contaminated, and the bridge fails the order so it goes no further).
   */
  disinfect(parameters: RobotActionParameters<'disinfect'>, signal: AbortSignal): Promise<void>;
  /**
   * Starts (`true`) or stops charging at the charger the robot stands on (VDA `startCharging`,
   * `stopCharging`, instant or at a node); resolves once `status().charging` says so, rejects when
   * it cannot (not on a charger). A driver that has it lists both actions in `actionTypes`.
   */
  setCharging?(on: boolean): Promise<void>;
}

/** Actions an order asks for that the driver cannot run; empty when it can run them all. */
export function unsupportedActions(driver: RobotDriver, actionTypes: Iterable<string>): string[] {
  return [...new Set(actionTypes)].filter((type) => !(driver.actionTypes as readonly string[]).includes(type));
}
