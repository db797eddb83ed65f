import { describe, expect, it } from 'vitest';
import { zonesFromMetres } from '../test-helpers.js';
import { validateZones } from './validate.js';

type P = [number, number];
const square = (x: number, y: number, s: number): P[] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
];
const base = () => ({ spray: [[square(0, 0, 100)]], geofence: square(-20, -20, 140), pads: [[-10, -10] as P], keepouts: [] as P[][] });
const messages = (z: unknown) => {
  const r = validateZones(z);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('validateZones', () => {
  it('accepts a valid zone set', () => {
    expect(messages(zonesFromMetres(base()))).toEqual([]);
  });
  it('rejects a bad shape with the JSON path', () => {
    expect(messages({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { role: 'lake' }, geometry: null }] }).join()).toMatch(/features\.0\.properties\.role/);
  });
  it('rejects a self-crossing ring', () => {
    const z = base();
    z.spray = [
      [
        [
          [0, 0],
          [100, 100],
          [100, 0],
          [0, 100],
        ],
      ],
    ];
    expect(messages(zonesFromMetres(z)).join()).toMatch(/features\.0.*self-crossing/);
  });
  it('rejects a pad outside the geofence', () => {
    expect(messages(zonesFromMetres({ ...base(), pads: [[500, 500]] })).join()).toMatch(/pad .* outside the geofence/);
  });
  it('rejects a pad inside a keepout', () => {
    expect(messages(zonesFromMetres({ ...base(), pads: [[50, 50]], keepouts: [square(40, 40, 20)] })).join()).toMatch(/inside a keepout/);
  });
  it('rejects spray outside the geofence', () => {
    expect(messages(zonesFromMetres({ ...base(), spray: [[square(0, 0, 200)]] })).join()).toMatch(/spray area outside the geofence/);
  });
  it('rejects an empty sprayable area', () => {
    expect(messages(zonesFromMetres({ ...base(), keepouts: [square(-5, -5, 110)], pads: [[-15, -15]] })).join()).toMatch(/empty sprayable area/);
  });
  it('requires exactly one geofence and a pad', () => {
    const z = zonesFromMetres({ ...base(), pads: [] });
    z.features = z.features.filter((f) => f.properties.role !== 'geofence');
    const m = messages(z).join();
    expect(m).toMatch(/exactly one geofence/);
    expect(m).toMatch(/no pad/);
  });
});
