export { RoundManager, type RoundManagerOptions, type RoundRefusal } from './round-manager.js';
export { remainingProblem, type RoundRequest, type RoundTimes } from './round-input.js';
