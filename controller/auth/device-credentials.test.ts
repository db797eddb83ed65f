import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOLS, toolPresent } from '../../test-support/tools.js';
import { openDatabase } from '../storage/database.js';
import { derivedDevicePassword, deviceTopics, mosquittoPasswordHash, parseDeviceId, verifyMosquittoPasswordHash } from './device-credentials.js';
import { SqliteDeviceStore } from './device-store.js';
import { buildMosquittoUsers, mosquittoFiles } from './mosquitto-files.js';

const MOSQUITTO_PASSWD = TOOLS.mosquitto_passwd.path;

describe('device credentials', () => {
  it('derives a stable per-device password from the secret', () => {
    const a = derivedDevicePassword('s3cret', 'acme/r1');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(derivedDevicePassword('s3cret', 'acme/r1')).toBe(a);
    expect(derivedDevicePassword('s3cret', 'acme/r2')).not.toBe(a);
    expect(derivedDevicePassword('other', 'acme/r1')).not.toBe(a);
  });

  it('reads ids: a robot has one slash, a drone none; wildcards, colons and the controller are no device', () => {
    expect(parseDeviceId('acme/r1')).toEqual({ kind: 'robot', id: 'acme/r1', manufacturer: 'acme', serialNumber: 'r1' });
    expect(parseDeviceId('d1')).toEqual({ kind: 'drone', id: 'd1', droneId: 'd1' });
    for (const bad of ['acme/r1/x', 'acme/+', '#', 'a:b', 'controller', '', 'a b', '/r1', 'acme/']) expect(parseDeviceId(bad), bad).toBeUndefined();
  });

  it('gives a robot and a drone exactly their own topics', () => {
    expect(deviceTopics(parseDeviceId('acme/r1')!)).toEqual({
      publish: ['uagv/v2/acme/r1/state', 'uagv/v2/acme/r1/visualization', 'uagv/v2/acme/r1/connection', 'uagv/v2/acme/r1/factsheet'],
      subscribe: ['uagv/v2/acme/r1/order', 'uagv/v2/acme/r1/instantActions'],
    });
    expect(deviceTopics(parseDeviceId('d1')!)).toEqual({
      publish: ['isofleet/v1/drones/d1/telemetry', 'isofleet/v1/drones/d1/connection'],
      subscribe: ['isofleet/v1/drones/d1/mission', 'isofleet/v1/drones/d1/command'],
    });
  });

  it('hashes in Mosquitto’s $7$ format', () => {
    const ours = mosquittoPasswordHash('pw-one');
    expect(ours).toMatch(/^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    expect(verifyMosquittoPasswordHash('pw-one', ours)).toBe(true);
    expect(verifyMosquittoPasswordHash('pw-two', ours)).toBe(false);
  });

  it.skipIf(!toolPresent('mosquitto_passwd'))('verifies mosquitto_passwd’s own output', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-pw-')), 'passwd');
    expect(spawnSync(MOSQUITTO_PASSWD, ['-c', '-b', file, 'alice', 'their secret']).status).toBe(0);
    const theirs = readFileSync(file, 'utf8').trim().split(':')[1]!;
    expect(verifyMosquittoPasswordHash('their secret', theirs)).toBe(true);
    expect(verifyMosquittoPasswordHash('not it', theirs)).toBe(false);
  });

  it('keeps provisioned devices with hashed passwords, shown once', () => {
    const store = new SqliteDeviceStore(openDatabase(':memory:'));
    const r = store.provision({ kind: 'robot', id: 'acme/r1' });
    if (!r.ok) throw new Error('not provisioned');
    expect(r.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.provision({ kind: 'robot', id: 'acme/r1' })).toEqual({ ok: false, reason: 'exists' });
    expect(store.verify('acme/r1', r.password)?.id).toBe('acme/r1');
    expect(store.verify('acme/r1', 'nope')).toBeUndefined();
    expect(JSON.stringify(store.credentials())).not.toContain(r.password);
    expect(store.list()).toEqual([{ kind: 'robot', id: 'acme/r1', username: 'acme/r1', createdAt: expect.any(String) }]);
    expect(store.delete('acme/r1')).toBe(true);
    expect(store.delete('acme/r1')).toBe(false);
  });
});

describe('Mosquitto files', () => {
  it('write a user block per device with exactly its topics, and readwrite # for the controller', () => {
    const built = buildMosquittoUsers({ env: { ISOFLEET_DEVICE_SECRET: 'x' }, robots: ['acme/r1'], drones: ['d1'] });
    if (!built.ok) throw new Error(built.errors.join());
    const { passwordFile, aclFile } = mosquittoFiles(built.users);
    expect(
      passwordFile
        .trim()
        .split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual(['controller', 'acme/r1', 'd1']);
    expect(passwordFile).not.toContain(derivedDevicePassword('x', 'acme/r1'));
    const blocks = aclFile.split('\n\n').filter((b) => b.startsWith('user'));
    expect(blocks).toEqual([
      'user controller\ntopic readwrite #',
      'user acme/r1\n' +
        ['state', 'visualization', 'connection', 'factsheet'].map((t) => `topic write uagv/v2/acme/r1/${t}`).join('\n') +
        '\n' +
        ['order', 'instantActions'].map((t) => `topic read uagv/v2/acme/r1/${t}`).join('\n'),
      'user d1\ntopic write isofleet/v1/drones/d1/telemetry\ntopic write isofleet/v1/drones/d1/connection\ntopic read isofleet/v1/drones/d1/mission\ntopic read isofleet/v1/drones/d1/command\n',
    ]);
  });

  it('of a site: usernames with @site, passwords derived for them, the controller kept to the site’s topics', () => {
    const built = buildMosquittoUsers({ env: { ISOFLEET_DEVICE_SECRET: 'x' }, robots: ['acme/r1'], doorSensors: ['305'], site: 'hotel-a' });
    if (!built.ok) throw new Error(built.errors.join());
    const { passwordFile, aclFile } = mosquittoFiles(built.users);
    const hashes = new Map(
      passwordFile
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as const),
    );
    expect([...hashes.keys()]).toEqual(['controller@hotel-a', 'acme/r1@hotel-a', 'sensors/doors/305@hotel-a']);
    expect(verifyMosquittoPasswordHash(derivedDevicePassword('x', 'acme/r1@hotel-a'), hashes.get('acme/r1@hotel-a')!)).toBe(true);
    expect(verifyMosquittoPasswordHash(derivedDevicePassword('x', 'acme/r1'), hashes.get('acme/r1@hotel-a')!)).toBe(false);
    const blocks = aclFile.split('\n\n').filter((b) => b.startsWith('user'));
    expect(blocks[0]).toBe('user controller@hotel-a\ntopic readwrite uagv-hotel-a/#\ntopic readwrite isofleet-hotel-a/#');
    expect(blocks[1]).toContain('topic write uagv-hotel-a/v2/acme/r1/state\n');
    expect(blocks[2]).toBe('user sensors/doors/305@hotel-a\ntopic write isofleet-hotel-a/v1/sensors/doors/305\n');
  });

  it('list what is wrong instead of writing half the files', () => {
    const built = buildMosquittoUsers({ env: {}, robots: ['acme/r1/x'], drones: ['a/b'] });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.errors).toEqual([
      'set ISOFLEET_CONTROLLER_PASSWORD or ISOFLEET_DEVICE_SECRET: the controller needs a password',
      'devices given by id need ISOFLEET_DEVICE_SECRET to derive their passwords',
      '--robot acme/r1/x: expected MANUFACTURER/SERIAL without + # : or blanks',
      '--drone a/b: expected an id without / + # : or blanks',
    ]);
  });

  it('the CLI writes both files from the database and from ids, passwd 0600, and prints no password', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-mqfiles-'));
    const dbFile = path.join(dir, 'isofleet.db');
    const db = openDatabase(dbFile);
    const provisioned = new SqliteDeviceStore(db).provision({ kind: 'drone', id: 'd7' });
    db.close();
    if (!provisioned.ok) throw new Error('not provisioned');
    const run = spawnSync('npx', ['tsx', 'controller/auth/mosquitto-files-cli.ts', '--out', path.join(dir, 'out'), '--db', dbFile, '--robot', 'acme/r1', '--drone', 'd7'], {
      env: { ...process.env, ISOFLEET_DEVICE_SECRET: 'cli-secret' },
      encoding: 'utf8',
    });
    expect(run.stderr).toContain('d7 is provisioned in the database; its stored password is kept');
    expect(run.status, run.stderr).toBe(0);
    const passwd = readFileSync(path.join(dir, 'out', 'passwd'), 'utf8');
    expect(passwd.split('\n').map((l) => l.split(':')[0])).toEqual(['controller', 'd7', 'acme/r1', '']);
    expect(statSync(path.join(dir, 'out', 'passwd')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'out', 'acl'), 'utf8')).toContain('user acme/r1\n');
    const printed = run.stdout + run.stderr;
    for (const secret of [provisioned.password, derivedDevicePassword('cli-secret', 'acme/r1'), derivedDevicePassword('cli-secret', 'controller'), 'cli-secret']) {
      expect(printed).not.toContain(secret);
    }
    expect(run.stdout).toContain('acl_file');
    expect(run.stdout).toContain('use_username_as_clientid true');
  }, 60_000); // npx and tsx start a process: seconds on a busy machine
});
