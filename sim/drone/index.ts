export { startSimDroneFleet, simDroneIds, type SimDroneFleet, type SimDroneFleetOptions, type SimDrone, type SimDroneFault } from './fleet.js';
export { SimDroneWorld, padsFromZones, type SimDroneWorldOptions, type SimPad, type WindModel, type SimBody } from './world.js';
export { SimDroneDriver, SPEAKER_QUAD_SIM_PROFILE, T20_SIM_PROFILE, type SimDroneProfile } from './sim-drone-driver.js';
export { SimBroadcastPayload, type PayloadLogEntry } from './sim-payload.js';
export { runDroneScenario, type DroneScenarioOptions, type DroneScenarioResult } from './scenario.js';
