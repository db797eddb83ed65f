import { describe, expect, it } from 'vitest';
import { doorSensorTopic, parseDoorSensorTopic } from './sensors/doors.js';
import { droneTopic, parseDroneTopic } from './drone/topics.js';
import { isofleetInterfaceName, siteIdSchema, siteTopicFilters, siteUsername, splitSiteUsername, vdaInterfaceName } from './site-id.js';
import { parseVdaTopic, vdaTopic } from './vda5050/topics.js';

describe('sites on the wire', () => {
  it('takes site ids that are one safe topic level, and nothing else', () => {
    for (const good of ['a', 'hotel-a', 'h7', 'x'.repeat(32)]) expect(siteIdSchema.safeParse(good).success, good).toBe(true);
    for (const bad of ['', 'Hotel', 'a/b', 'a+b', '#', '-a', 'a-', 'a b', 'a@b', 'a.b', 'x'.repeat(33)]) expect(siteIdSchema.safeParse(bad).success, bad).toBe(false);
    expect(() => vdaTopic({ manufacturer: 'm', serialNumber: 'r1' }, 'state', 'a/b')).toThrow(/site id/);
  });

  it('puts the site in the VDA 5050 interface name and keeps the rest of the topic as the spec has it', () => {
    const vehicle = { manufacturer: 'acme', serialNumber: 'r1' };
    expect(vdaInterfaceName()).toBe('uagv');
    expect(vdaTopic(vehicle, 'state')).toBe('uagv/v2/acme/r1/state');
    const atA = vdaTopic(vehicle, 'state', 'hotel-a');
    expect(atA).toBe('uagv-hotel-a/v2/acme/r1/state');
    expect(parseVdaTopic(atA, 'hotel-a')).toEqual({ ...vehicle, topic: 'state' });
    // Another site's robot of the same serial number, and the plain topic, are not this site's.
    expect(parseVdaTopic(vdaTopic(vehicle, 'state', 'hotel-b'), 'hotel-a')).toBeUndefined();
    expect(parseVdaTopic('uagv/v2/acme/r1/state', 'hotel-a')).toBeUndefined();
    expect(parseVdaTopic(atA)).toBeUndefined();
  });

  it('puts the site in the drones’ and door sensors’ first level too', () => {
    expect(droneTopic('d1', 'telemetry', 'hotel-a')).toBe('isofleet-hotel-a/v1/drones/d1/telemetry');
    expect(parseDroneTopic('isofleet-hotel-a/v1/drones/d1/telemetry', 'hotel-a')).toEqual({ droneId: 'd1', topic: 'telemetry' });
    expect(parseDroneTopic('isofleet-hotel-a/v1/drones/d1/telemetry', 'hotel-b')).toBeUndefined();
    expect(parseDroneTopic('isofleet/v1/drones/d1/telemetry')).toEqual({ droneId: 'd1', topic: 'telemetry' });
    expect(doorSensorTopic('305', 'hotel-a')).toBe('isofleet-hotel-a/v1/sensors/doors/305');
    expect(parseDoorSensorTopic('isofleet-hotel-a/v1/sensors/doors/305', 'hotel-a')).toBe('305');
    expect(parseDoorSensorTopic('isofleet-hotel-a/v1/sensors/doors/305')).toBeUndefined();
    expect(isofleetInterfaceName('hotel-a')).toBe('isofleet-hotel-a');
  });

  it('covers a site’s topics with two filters that reach no other site’s', () => {
    expect(siteTopicFilters('a')).toEqual(['uagv-a/#', 'isofleet-a/#']);
  });

  it('puts the site after an @ in usernames and reads it back', () => {
    expect(siteUsername('acme/r1')).toBe('acme/r1');
    expect(siteUsername('acme/r1', 'hotel-a')).toBe('acme/r1@hotel-a');
    expect(splitSiteUsername('acme/r1@hotel-a')).toEqual({ id: 'acme/r1', site: 'hotel-a' });
    expect(splitSiteUsername('controller')).toEqual({ id: 'controller' });
    for (const bad of ['acme/r1@', 'acme/r1@Hotel', '@hotel-a', 'a@b/c']) expect(splitSiteUsername(bad), bad).toBeUndefined();
  });
});
