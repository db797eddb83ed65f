import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITES_DIR } from '../site/index.js';
import { openStore } from '../storage/index.js';
import { asFlags, controllerEnvSchema, demoDatabaseFile, demoEnvSchema, simFlagsSchema } from './process-settings.js';
import { parseSettings } from './settings.js';

/** The shipped sites' names, as an unknown SITE lists them. */
const siteNames = () =>
  readdirSync(SITES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .join(', ');
const lines = (r: ReturnType<typeof parseSettings>) => (r.ok ? [] : r.lines);

describe('process settings: one line naming the setting and the rule', () => {
  it('takes the defaults and ignores empty variables', () => {
    const r = parseSettings(controllerEnvSchema, { PORT: '', PATH: '/usr/bin' });
    expect(r).toMatchObject({ ok: true, value: { PORT: 8080, MQTT_PORT: 1883, SITE: 'hotel', LOG_LEVEL: 'info', ISOFLEET_DB: 'data/isofleet.db' } });
    expect(parseSettings(demoEnvSchema, { SIM_SPEED: '50', PORT: '0' })).toMatchObject({ ok: true, value: { SIM_SPEED: 50, PORT: 0, SIM_ROBOTS: 5 } });
  });
  it("keeps the demo's database in a file per site, since a file is tied to the site it was made for", () => {
    expect(demoDatabaseFile(undefined)).toBe('data/demo.db');
    expect(demoDatabaseFile('hotel')).toBe('data/demo.db');
    expect(demoDatabaseFile('clinic')).toBe('data/demo-clinic.db');
    expect(demoDatabaseFile('/srv/sites/ward-3.json')).toBe('data/demo-ward-3.db');
  });
  it('names a short admin password, a malformed broker URL, a bad port, a missing site file, an unknown log level (never the password itself)', () => {
    expect(lines(parseSettings(controllerEnvSchema, { ISOFLEET_ADMIN_PASSWORD: 'short' }))).toEqual(['ISOFLEET_ADMIN_PASSWORD=…: must have at least 10 characters']);
    expect(lines(parseSettings(controllerEnvSchema, { MQTT_URL: 'localhost:1883' }))).toEqual(['MQTT_URL=localhost:1883: must be a broker URL mqtt://HOST:PORT']);
    expect(lines(parseSettings(controllerEnvSchema, { MQTT_URL: 'http://broker:1883' }))).toEqual(['MQTT_URL=http://broker:1883: must be a broker URL mqtt://HOST:PORT']);
    for (const port of ['80a', '70000', '-1', '8.5']) expect(lines(parseSettings(controllerEnvSchema, { PORT: port }))).toEqual([`PORT=${port}: must be a port number (0-65535)`]);
    expect(lines(parseSettings(controllerEnvSchema, { SITE: 'sites/nowhere.json' }))).toEqual(['SITE=sites/nowhere.json: must be a site name (hotel) or an existing site file']);
    expect(lines(parseSettings(controllerEnvSchema, { LOG_LEVEL: 'loud' }))).toEqual(['LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent']);
    expect(lines(parseSettings(controllerEnvSchema, { ISOFLEET_DB: tmpdir() }))).toEqual([`ISOFLEET_DB=${tmpdir()}: is a directory; give the database file`]);
  });
  it('takes a site id and a public URL, naming a site id that is not one safe topic level', () => {
    expect(parseSettings(controllerEnvSchema, { ISOFLEET_SITE_ID: 'hotel-a', ISOFLEET_PUBLIC_URL: 'https://hotel-a.example:8081' })).toMatchObject({
      ok: true,
      value: { ISOFLEET_SITE_ID: 'hotel-a', ISOFLEET_PUBLIC_URL: 'https://hotel-a.example:8081' },
    });
    expect(lines(parseSettings(controllerEnvSchema, { ISOFLEET_SITE_ID: 'hotel/a' }))).toEqual([
      'ISOFLEET_SITE_ID=hotel/a: must be 1-32 lower-case letters, digits and dashes, starting and ending with a letter or digit',
    ]);
    expect(lines(parseSettings(controllerEnvSchema, { ISOFLEET_PUBLIC_URL: 'ftp://x' }))).toEqual(['ISOFLEET_PUBLIC_URL=ftp://x: must be an http:// or https:// URL']);
  });
  it('names each bad setting of npm start and each bad flag of npm run sim', () => {
    expect(lines(parseSettings(demoEnvSchema, { SIM_SPEED: '0', SIM_ROBOTS: 'five' }))).toEqual([
      'SIM_ROBOTS=five: must be a whole number from 0 to 50',
      'SIM_SPEED=0: must be a number above 0, at most 1000',
    ]);
    // So slow that a minute's timer would pass Node's longest delay (fired at once instead).
    expect(lines(parseSettings(demoEnvSchema, { SIM_SPEED: '1e-9' }))).toEqual(['SIM_SPEED=1e-9: at least 0.1 (simulated seconds per real second)']);
    const sim = { broker: 'mqtt://127.0.0.1:1883', site: 'hotel', robots: '5', drones: '0', zones: 'sites/park/zones.geojson', speed: '1', seed: '1', manufacturer: 'isofleet' };
    expect(parseSettings(simFlagsSchema, asFlags(sim)).ok).toBe(true);
    expect(lines(parseSettings(simFlagsSchema, asFlags({ ...sim, zones: 'nope.geojson', credentials: 'creds.json', robots: '-2' })))).toEqual([
      '--robots -2: must be a whole number from 0 to 50',
      '--zones nope.geojson: no such file',
      '--credentials creds.json: no such file',
    ]);
  });
});

describe('the processes stop with exit 1 and one line, no stack trace', () => {
  const ROOT = path.resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-settings-'));
  const start = (script: string, args: string[], env: Record<string, string>) => {
    const { MQTT_URL: _u, ISOFLEET_DEVICE_SECRET: _s, ISOFLEET_ADMIN_PASSWORD: _p, ...inherited } = process.env;
    return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...inherited, ISOFLEET_DB: path.join(dir, 'db.sqlite'), ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  };
  it('npm run controller: a short admin password; a broker that is not there', () => {
    const short = start('controller/cli.ts', [], { ISOFLEET_ADMIN_PASSWORD: 'short', PORT: '0' });
    expect([short.status, short.stderr]).toEqual([1, 'controller: ISOFLEET_ADMIN_PASSWORD=…: must have at least 10 characters\n']);
    const away = start('controller/cli.ts', [], { MQTT_URL: 'mqtt://127.0.0.1:1', PORT: '0' });
    expect([away.status, away.stderr.trim()]).toEqual([1, 'controller: MQTT_URL=mqtt://127.0.0.1:1: cannot reach the broker (ECONNREFUSED)']);
    // An address this machine does not have (TEST-NET-3): binding fails at once, nothing is sent.
    const host = start('controller/cli.ts', [], { HOST: '203.0.113.7', PORT: '0', MQTT_PORT: '0' });
    expect([host.status, host.stderr.trim()]).toEqual([1, 'controller: HOST=203.0.113.7: no such address on this machine']);
  }, 120_000);
  it('npm start: a site there is no file of; a database file made for another site', async () => {
    const unknown = start('apps/demo/main.ts', [], { SITE: 'no-such-site', PORT: '0', MQTT_PORT: '0' });
    expect([unknown.status, unknown.stderr]).toEqual([
      1,
      `start: SITE=no-such-site: no site "no-such-site": the sites here are ${siteNames()} (sites/NAME.json), or give the path of a site file\n`,
    ]);
    const file = path.join(dir, 'hotel-a.sqlite');
    await (await openStore(file, { site: 'hotel-a', log: { error: () => {} } })).close();
    const other = start('apps/demo/main.ts', [], { PORT: '0', MQTT_PORT: '0', ISOFLEET_DB: file });
    expect([other.status, other.stderr]).toEqual([
      1,
      `start: ISOFLEET_DB=${file}: the file holds site "hotel-a", not "hotel": give site "hotel" a file of its own, or start this controller as site "hotel-a" (ISOFLEET_SITE_ID, or SITE without one)\n`,
    ]);
  }, 120_000);
  it('npm start --help prints its usage, and a flag is refused, exit 2, starting nothing', () => {
    // Free ports: a demo that ignored its arguments would start and run until spawnSync's timeout.
    const settings = { PORT: '0', MQTT_PORT: '0', ISOFLEET_DB: path.join(dir, 'demo-flags.sqlite') };
    const help = start('apps/demo/main.ts', ['--help'], settings);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^usage: npm start /);
    const flag = start('apps/demo/main.ts', ['--port', '9000'], settings);
    expect([flag.status, flag.stderr]).toEqual([2, expect.stringMatching(/^start: Unknown option '--port'[^\n]*\n$/)]);
  }, 120_000);
  it('npm run sim --help prints its usage and exits 0, connecting to nothing', () => {
    const help = start('sim/cli.ts', ['--help'], {});
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^usage: npm run sim -- \[--broker /);
  }, 60_000);
  it('npm start: a bad port; npm run sim: an unknown flag', () => {
    const demo = start('apps/demo/main.ts', [], { PORT: '99999' });
    expect([demo.status, demo.stderr]).toEqual([1, 'start: PORT=99999: must be a port number (0-65535)\n']);
    const host = start('apps/demo/main.ts', [], { HOST: '203.0.113.7', PORT: '0', MQTT_PORT: '0', ISOFLEET_DB: path.join(dir, 'demo.sqlite') });
    expect([host.status, host.stderr.trim()]).toEqual([1, 'start: HOST=203.0.113.7: no such address on this machine']);
    const flag = start('sim/cli.ts', ['--robot', '2'], {});
    expect(flag.status).toBe(1);
    expect(flag.stderr).toMatch(/^sim: Unknown option '--robot'[^\n]*\n$/);
  }, 120_000);
});
