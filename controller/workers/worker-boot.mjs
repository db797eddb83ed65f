// Entry of every planner worker thread. Workers start with no loader flags (the pool passes
// execArgv: []), so under `tsx`, `npm start` and Vitest alike tsx is registered here, then the
// TypeScript tasks are loaded. Piscina calls the named export the task asks for.
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./tasks.ts');

export const planSpray = tasks.planSprayTask;
export const improveRound = tasks.improveRoundTask;
export const planBroadcast = tasks.planBroadcastTask;
