import { describe, expect, it } from 'vitest';
import { derivedDevicePassword } from '../controller/auth/index.js';
import { deviceLogins, parseCredentialsFile } from './device-logins.js';

describe('npm run sim --credentials', () => {
  it('reads a map of device ids to passwords', () => {
    expect(parseCredentialsFile('{"isofleet/robot-1": "pw-1", "drone-1": "pw-2"}')).toEqual({ ok: true, passwords: { 'isofleet/robot-1': 'pw-1', 'drone-1': 'pw-2' } });
  });

  it('names the field that is wrong', () => {
    expect(parseCredentialsFile('{"isofleet/robot-1": 7}')).toEqual({ ok: false, error: 'isofleet/robot-1: Invalid input: expected string, received number' });
    expect(parseCredentialsFile('{"isofleet/robot-1": ""}')).toEqual({ ok: false, error: 'isofleet/robot-1: expected a password' });
    expect(parseCredentialsFile('{"a/b/c": "pw"}')).toEqual({ ok: false, error: 'a/b/c: not a device id: MANUFACTURER/SERIAL for a robot, an id without / for a drone' });
    expect(parseCredentialsFile('["pw"]')).toMatchObject({ ok: false, error: expect.stringContaining('expected record') });
    expect(parseCredentialsFile('{')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON/) });
  });

  it('logs each device in from the file, else from the secret; lists the ids that have neither', () => {
    const ids = ['isofleet/robot-1', 'drone-1'];
    const fileOnly = deviceLogins(ids, { passwords: { 'isofleet/robot-1': 'pw-1', 'drone-1': 'pw-2' } });
    if (!fileOnly.ok || !fileOnly.login) throw new Error('expected logins');
    expect(ids.map(fileOnly.login)).toEqual([
      { username: 'isofleet/robot-1', password: 'pw-1' },
      { username: 'drone-1', password: 'pw-2' },
    ]);

    expect(deviceLogins(ids, { passwords: { 'isofleet/robot-1': 'pw-1' } })).toEqual({ ok: false, missing: ['drone-1'] });
    // A drone may be called `constructor`; the file's object must not lend it Object.prototype's.
    expect(deviceLogins(['constructor'], { passwords: {} })).toEqual({ ok: false, missing: ['constructor'] });

    const both = deviceLogins(ids, { passwords: { 'drone-1': 'pw-2' }, secret: 's' });
    if (!both.ok || !both.login) throw new Error('expected logins');
    expect(both.login('isofleet/robot-1')).toEqual({ username: 'isofleet/robot-1', password: derivedDevicePassword('s', 'isofleet/robot-1') });
    expect(both.login('drone-1')).toEqual({ username: 'drone-1', password: 'pw-2' });

    expect(deviceLogins(ids, {})).toEqual({ ok: true, login: undefined });
  });
});
