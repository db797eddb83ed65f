export { KEEP_FINISHED_ROUNDS, RoundManager, type RoundManagerOptions } from './round-manager.js';
export { remainingProblem, roundLifts, type RoundRequest, type RoundTimes } from './round-input.js';
