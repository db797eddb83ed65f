export { DroneAgent, type DroneAgentOptions } from './drone-agent.js';
export { SortiePilot, type PilotSettings } from './sortie-pilot.js';
export type { DroneDriver, DroneStatus, DroneDescription, GoToTarget } from './driver.js';
export type { LinkGate } from '../transport/connect-mqtt.js';
