export { DroneAgent, type DroneAgentOptions } from './drone-agent.js';
export { SortiePilot, type PilotSettings } from './sortie-pilot.js';
export type { DroneCapability, DroneDriver, DroneStatus, DroneDescription, DroneLogEntry, FenceSetup, FlightLeg, FlightPlan, FlightProgress, GoToTarget, TankSource } from './driver.js';
