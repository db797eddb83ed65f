export { DroneAgent, type DroneAgentOptions } from './drone-agent.js';
export { SortiePilot, type PilotSettings } from './sortie-pilot.js';
export type {
  BroadcastPayload,
  DroneCapability,
  DroneDriver,
  FlightArrival,
  DroneStatus,
  DroneDescription,
  DroneLogEntry,
  FenceSetup,
  FlightLeg,
  FlightPlan,
  FlightProgress,
  GoToTarget,
  TankSource,
} from './driver.js';
