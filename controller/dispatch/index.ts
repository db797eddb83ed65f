/**
 * Public surface of the dispatch planners: the routing engine (CVRP/VRPTW, SISR ruin-and-recreate),
 * the Clarke-Wright baseline, benchmark file parsing and checking, and the meal-round planner.
 */
export { makeProblem, workClock, type ClockMs, type ProblemInput, type Vehicle, type VrpProblem, type VrpSolution } from './types.js';
export { solveVrp, routesCost, type SolveOptions, type SolveStats } from './solve.js';
export { clarkeWright, type SavingsResult } from './savings.js';
export { SISR_DEFAULTS, type RuinRecreateParams } from './ruin-recreate.js';
export {
  parseCvrplib,
  parseSolomon,
  parseInstance,
  parseSolutionFile,
  instanceToProblem,
  instanceMatrix,
  legCost,
  type CostConvention,
  type ParseError,
  type ParseResult,
  type VrpInstance,
} from './instance.js';
export { checkAnswer, type CheckReport } from './check.js';
export { solveInstance, savingsInstance, type InstanceAnswer } from './benchmark-run.js';
export { planRound, planRoundByFloor, insertUrgent, improveRound, validateRoundInput, type RoundOptions, type UrgentOptions } from './round.js';
export {
  MAKESPAN_THEN_DELIVERY,
  type LegWay,
  type LiftCar,
  type LiftRide,
  type PlannedRide,
  type PlannedStop,
  type PlannedTrip,
  type RobotAvailability,
  type RobotPlan,
  type RoomRequest,
  type RoundInput,
  type RoundLifts,
  type RoundMetrics,
  type RoundObjective,
  type RoundPlan,
  type RoundPriority,
} from './round-types.js';
export { timeSchedule, type Schedule, type Trip as ScheduledTrip } from './round-timing.js';
export { randomInstance, type RandomInstanceOptions } from './random-instance.js';
export { syntheticRound, type BuildingOptions } from './random-building.js';
