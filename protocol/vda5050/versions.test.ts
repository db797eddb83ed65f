import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { instantActionsSchema } from './instant-actions.js';
import { officialSchemaValidator } from './official-schemas.test-support.js';
import { stateSchema, type State } from './state.js';
import { messageVersion, readInstantActionsKey, toVdaVersion, vdaVersionOf } from './versions.js';

// vda-5050-lib 1.4.0's own validators for VDA 5050 2.0: an independent reading of the 2.0 schemas.
const lib20 = createRequire(import.meta.url)('vda-5050-lib/common/vda-5050-validators-2.0.js') as Record<
  'validateState' | 'validateFactsheet' | 'validateConnection' | 'validateVisualization',
  ((m: unknown) => boolean) & { errors?: { instanceLocation: string; keywordLocation: string }[] }
>;

const header = { headerId: 3, timestamp: '2026-11-29T10:00:00.000Z', version: '2.1.0', manufacturer: 'isofleet', serialNumber: 'robot-1' };

const state: State = stateSchema.parse({
  ...header,
  orderId: 'o1',
  orderUpdateId: 0,
  lastNodeId: 'G-loading',
  lastNodeSequenceId: 0,
  driving: false,
  paused: false,
  operatingMode: 'AUTOMATIC',
  nodeStates: [{ nodeId: 'n2', sequenceId: 2, released: false, nodePosition: { x: 1, y: 2, mapId: 'G' } }],
  edgeStates: [{ edgeId: 'e1', sequenceId: 1, released: false }],
  agvPosition: { x: 0, y: 0, theta: 0, mapId: 'G', positionInitialized: true },
  actionStates: [{ actionId: 'a1', actionType: 'announce', actionStatus: 'RUNNING' }],
  batteryState: { batteryCharge: 87.5, batteryHealth: 93.6, reach: 1234.7, charging: false },
  errors: [{ errorType: 'noRouteError', errorLevel: 'WARNING', errorHint: 'send an order on the site map', errorReferences: [{ referenceKey: 'nodeId', referenceValue: 'X' }] }],
  safetyState: { eStop: 'NONE', fieldViolation: false },
});

describe('VDA 5050 versions', () => {
  it('serves 2.0.x and 2.1.x and refuses any other version, naming it', () => {
    expect(vdaVersionOf('2.0.0')).toEqual({ ok: true, version: '2.0.0' });
    expect(vdaVersionOf('2.0')).toEqual({ ok: true, version: '2.0.0' });
    expect(vdaVersionOf('2.1.0')).toEqual({ ok: true, version: '2.1.0' });
    expect(vdaVersionOf('2.1.3')).toEqual({ ok: true, version: '2.1.0' });
    for (const bad of ['1.1.0', '3.0.0', '2.2.0', '2.10.0', '', 2, undefined]) {
      const check = vdaVersionOf(bad);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problem).toMatch(/2\.0\.0 and 2\.1\.0/);
    }
    expect(messageVersion({ ...header, version: '1.1.0' })).toMatchObject({ ok: false, problem: expect.stringContaining('"1.1.0"') });
    expect(messageVersion('[]')).toMatchObject({ ok: false });
  });

  it('reads vda-5050-lib 1.4.0 instant actions sent under "instantActions"', () => {
    const actions = [{ actionType: 'startPause', actionId: 'p1', blockingType: 'HARD' }];
    const quirky = readInstantActionsKey({ ...header, version: '2.0.0', instantActions: actions });
    expect(quirky.quirk).toBe(true);
    expect(instantActionsSchema.parse(quirky.message).actions).toEqual(actions);
    const standard = { ...header, actions };
    expect(readInstantActionsKey(standard)).toEqual({ message: standard, quirk: false });
  });

  it('keeps 2.1.0 messages as they are, valid against the official 2.1.0 schemas', () => {
    const validate = officialSchemaValidator();
    const ours = toVdaVersion('state', state, '2.1.0');
    expect(ours).toEqual(state);
    expect(validate('state', ours)).toEqual([]);
  });

  it('produces 2.0.0 state that vda-5050-lib 1.4.0 takes: no errorHint or maps, integer battery health and reach', () => {
    const withMaps = { ...state, maps: [{ mapId: 'G', mapVersion: '1', mapStatus: 'ENABLED' }] };
    const old = toVdaVersion('state', withMaps, '2.0.0') as State & { maps?: unknown };
    expect(old.version).toBe('2.0.0');
    expect(old.maps).toBeUndefined();
    expect(old.errors[0]).not.toHaveProperty('errorHint');
    expect(old.errors[0]).toMatchObject({ errorType: 'noRouteError', errorReferences: [{ referenceKey: 'nodeId', referenceValue: 'X' }] });
    expect(old.batteryState).toMatchObject({ batteryCharge: 87.5, batteryHealth: 94, reach: 1234 });
    expect(lib20.validateState(old), JSON.stringify(lib20.validateState.errors)).toBe(true);
    // Ours is untouched.
    expect(state.errors[0]!.errorHint).toBe('send an order on the site map');
    expect(state.version).toBe('2.1.0');
  });

  it('fills heightMin and drops vehicleConfig in a 2.0.0 factsheet', () => {
    const factsheet = {
      ...header,
      physicalParameters: { speedMin: 0, speedMax: 0.8, accelerationMax: 0.5, decelerationMax: 0.5, heightMax: 1.3, width: 0.5, length: 0.5 },
      vehicleConfig: { versions: [] },
    };
    const old = toVdaVersion('factsheet', factsheet, '2.0.0') as typeof factsheet & { physicalParameters: { heightMin?: number } };
    expect(old.physicalParameters.heightMin).toBe(1.3);
    expect(old).not.toHaveProperty('vehicleConfig');
  });

  it('drops corridors from orders for a 2.0.0 AGV', () => {
    const order = { ...header, edges: [{ edgeId: 'e1', corridor: { leftWidth: 1, rightWidth: 1 } }] };
    expect(toVdaVersion('order', order, '2.0.0').edges[0]).toEqual({ edgeId: 'e1' });
    expect(toVdaVersion('order', order, '2.1.0').edges[0]).toHaveProperty('corridor');
  });
});
