import { VDA_VERSION, type Factsheet, type VehicleId } from '../protocol/index.js';
import type { RobotDriver } from './driver.js';

/**
 * The factsheet a robot publishes (retained), built from its driver's description and actions;
 * with `liftRides` (the bridge has a lift port) also `liftRide` (EDGE) and `liftGranted` (INSTANT).
 */
export function buildFactsheet(vehicle: VehicleId, driver: RobotDriver, timestamp: string, options: { liftRides?: boolean } = {}): Factsheet {
  const d = driver.description;
  return {
    headerId: 0,
    timestamp,
    version: VDA_VERSION,
    ...vehicle,
    typeSpecification: {
      seriesName: d.seriesName,
      seriesDescription: `delivery robot with ${d.trays} trays`,
      agvKinematic: 'DIFF',
      agvClass: 'CARRIER',
      maxLoadMass: 40,
      localizationTypes: ['NATURAL'],
      navigationTypes: ['AUTONOMOUS'],
    },
    physicalParameters: {
      speedMin: 0,
      speedMax: d.speedMaxMps,
      accelerationMax: 0.5,
      decelerationMax: 0.5,
      heightMax: d.heightM,
      width: d.widthM,
      length: d.lengthM,
    },
    protocolLimits: { maxStringLens: {}, maxArrayLens: {}, timing: { minOrderInterval: 0.1, minStateInterval: 0.05, defaultStateInterval: 30 } },
    protocolFeatures: {
      optionalParameters: [{ parameter: 'order.edges.length', support: 'SUPPORTED' }],
      agvActions: [
        // No blockingTypes: the official 2.1.0 schema declares it an array whose value must equal
        // one of the strings NONE/SOFT/HARD, which no array can, so any value fails validation.
        // Charging is an instant action or one at a charger's node (VDA 5050 2.1 §6.8.1), never on an edge.
        ...driver.actionTypes.map((actionType) => ({
          actionType,
          actionScopes: actionType === 'startCharging' || actionType === 'stopCharging' ? ['INSTANT' as const, 'NODE' as const] : ['NODE' as const, 'EDGE' as const],
        })),
        ...(options.liftRides ? [{ actionType: 'liftRide', actionScopes: ['EDGE' as const] }] : []),
        ...[...(options.liftRides ? ['liftGranted'] : []), 'confirmLoaded', 'stateRequest', 'factsheetRequest', 'cancelOrder', 'startPause', 'stopPause'].map((actionType) => ({
          actionType,
          actionScopes: ['INSTANT' as const],
        })),
      ],
    },
    agvGeometry: {},
    loadSpecification: { loadPositions: Array.from({ length: d.trays }, (_, i) => `tray${i + 1}`) },
  };
}
