import type { DroneTelemetry, State } from '../protocol/index.js';

/**
 * The body of an idle robot's VDA 5050 state (no order, at the loading station `G-loading`,
 * 80 % charged, no errors), without the header (`headerId`, `timestamp`, `version`,
 * `manufacturer`, `serialNumber`): tests and benches spread their own header and `over` on top.
 */
export function idleRobotStateBody(over: Partial<State> = {}): Omit<State, 'headerId' | 'timestamp' | 'version' | 'manufacturer' | 'serialNumber'> {
  return {
    orderId: '',
    orderUpdateId: 0,
    lastNodeId: 'G-loading',
    lastNodeSequenceId: 0,
    driving: false,
    operatingMode: 'AUTOMATIC',
    nodeStates: [],
    edgeStates: [],
    actionStates: [],
    batteryState: { batteryCharge: 80, charging: false },
    errors: [],
    safetyState: { eStop: 'NONE', fieldViolation: false },
    ...over,
  };
}

/** A drone's telemetry on its pad at `lat`/`lon`: landed, full battery, tank of `tankL` litres, pump off, 1 m/s of wind; `over` on top. */
export function landedDroneTelemetry(droneId: string, at: { lat: number; lon: number; tankL: number }, over: Partial<DroneTelemetry> = {}): DroneTelemetry {
  return {
    headerId: 0,
    timestamp: '2026-11-29T00:00:00.000Z',
    droneId,
    lat: at.lat,
    lon: at.lon,
    altM: 0,
    groundSpeedMps: 0,
    headingDeg: 0,
    batteryPct: 100,
    tankL: at.tankL,
    tankSource: 'measured',
    pumpOn: false,
    flowLPerMin: 0,
    sprayedL: 0,
    windMps: 1,
    windDirDeg: 0,
    mode: 'landed',
    lastCompletedSortie: -1,
    autopilot: { armed: false, flightMode: 'SIM', gpsOk: true, ekfOk: true, capabilities: [] },
    ...over,
  };
}
