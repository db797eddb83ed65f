import { describe, expect, it } from 'vitest';
import { parseVdaTopic, vdaTopic } from './topics.js';

describe('VDA topics', () => {
  it('builds and parses uagv/v2/{manufacturer}/{serialNumber}/{topic}', () => {
    const topic = vdaTopic({ manufacturer: 'isofleet', serialNumber: 'robot-3' }, 'state');
    expect(topic).toBe('uagv/v2/isofleet/robot-3/state');
    expect(parseVdaTopic(topic)).toEqual({ manufacturer: 'isofleet', serialNumber: 'robot-3', topic: 'state' });
  });

  it('builds subscription filters with +', () => {
    expect(vdaTopic({ manufacturer: 'isofleet', serialNumber: '+' }, 'connection')).toBe('uagv/v2/isofleet/+/connection');
  });

  it('refuses ids that would break the topic', () => {
    expect(() => vdaTopic({ manufacturer: 'a/b', serialNumber: 'x' }, 'state')).toThrow(/cannot be part/);
    expect(() => vdaTopic({ manufacturer: 'a', serialNumber: '#' }, 'state')).toThrow(/cannot be part/);
  });

  it('rejects topics that are not VDA topics', () => {
    expect(parseVdaTopic('uagv/v1/isofleet/robot-1/state')).toBeUndefined();
    expect(parseVdaTopic('uagv/v2/isofleet/robot-1/bogus')).toBeUndefined();
    expect(parseVdaTopic('uagv/v2/isofleet/state')).toBeUndefined();
    expect(parseVdaTopic('isofleet/v1/drones/d1/telemetry')).toBeUndefined();
  });
});
