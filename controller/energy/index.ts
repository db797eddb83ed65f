export {
  addDemands,
  batteryProfileOf,
  chargeTimeS,
  chargeUsedPct,
  DEFAULT_BATTERY_PROFILE,
  endChargePct,
  factsheetLists,
  orderDemand,
  routeDemand,
  type BatteryProfile,
  type TripDemand,
} from './battery-model.js';
export {
  availableForWork,
  chargingStep,
  DEFAULT_CHARGING_POLICY,
  emptyChargingState,
  type ChargingEffect,
  type ChargingPolicy,
  type ChargingRobot,
  type ChargingState,
} from './charging-core.js';
export { keepsReserve, reserveRefusal, unknownChargeNote, type TripCandidate } from './reserve-check.js';
export { EnergyManager, type EnergyManagerOptions } from './energy-manager.js';
