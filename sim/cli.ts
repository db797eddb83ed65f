/**
 * `npm run sim -- --broker mqtt://HOST:PORT --site hotel --robots 5 [--drones 4 --zones FILE] --speed 10
 * [--credentials FILE] [--device-secret SECRET] [--vda-version 2.0.0|2.1.0] [--site-id SITE]`:
 * the simulated fleet alone, each robot and drone its own MQTT client running the real bridge,
 * for a controller in another process (`npm run controller`) or on another machine. Drones stand
 * on the pads of the zones file (default the park). Devices log in with the passwords in the
 * credentials file (JSON `{deviceId: password}`, as `POST /api/devices` gave them: robots
 * `MANUFACTURER/robot-N`, drones `drone-N`), else with ones derived from the device secret
 * (default ISOFLEET_DEVICE_SECRET); with neither, anonymously. Robots speak VDA 5050 2.1.0 until a
 * master speaks another served version to them; `--vda-version 2.0.0` starts them in 2.0.0 for a
 * 2.0 master that drops other versions. `--site-id` (default ISOFLEET_SITE_ID): the site of a
 * broker shared by several, as the controller's ISOFLEET_SITE_ID. Ctrl-C stops it. A bad flag, a missing file or a broker it
 * cannot reach stops it with one line, exit 1; `--help` prints the usage, exit 0.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CreateMissionBody } from '../protocol/index.js';
import { padsFromZones, SimDroneWorld, simDroneIds, startSimDroneFleet } from './drone/index.js';
import { loadSite } from '../controller/site/index.js';
import { deviceLogins, parseCredentialsFile } from './device-logins.js';
import { simRobotSerials, startSimRobotFleet } from './robot-fleet.js';
import { ScaledClock } from './scaled-clock.js';
import { SimWorld } from './world.js';
import { asFlags, simFlagsSchema } from '../controller/config/process-settings.js';
import { brokerErrorLine, exitWithSettingErrors, settingsOrExit } from '../controller/config/settings.js';

const USAGE = `usage: npm run sim -- [--broker mqtt://127.0.0.1:1883] [--site hotel] [--robots 5] [--drones 0] [--zones sites/park/zones.geojson]
         [--speed 1] [--seed 1] [--manufacturer isofleet] [--credentials FILE | --device-secret SECRET] [--vda-version 2.0.0|2.1.0] [--site-id SITE]
The simulated fleet alone, each robot and drone its own MQTT client running the real bridge, for a controller in another process.
`;
const options = {
  help: { type: 'boolean', short: 'h' },
  broker: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
  site: { type: 'string', default: 'hotel' },
  robots: { type: 'string', default: '5' },
  drones: { type: 'string', default: '0' },
  zones: { type: 'string', default: 'sites/park/zones.geojson' },
  speed: { type: 'string', default: '1' },
  seed: { type: 'string', default: '1' },
  manufacturer: { type: 'string', default: 'isofleet' },
  'device-secret': { type: 'string', default: process.env.ISOFLEET_DEVICE_SECRET },
  credentials: { type: 'string' },
  'vda-version': { type: 'string', default: '2.1.0' },
  'site-id': { type: 'string', default: process.env.ISOFLEET_SITE_ID },
} as const;
let parsedArgs: ReturnType<typeof parseArgs<{ options: typeof options }>>;
try {
  parsedArgs = parseArgs({ options });
} catch (error) {
  // parseArgs names the flag: "Unknown option '--robot'", "Option '--robots <value>' argument missing".
  exitWithSettingErrors('sim', [(error as Error).message]);
}
// It answered --help with "Unknown option '--help'", exit 1.
if (parsedArgs.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const { help: _help, ...flags } = parsedArgs.values;
const values = settingsOrExit('sim', simFlagsSchema, asFlags(flags));
const speed = values['--speed'];
const robots = values['--robots'];
const droneCount = values['--drones'];
let passwords: Record<string, string> | undefined;
const credentialsFile = values['--credentials'];
if (credentialsFile) {
  const text = await readFile(credentialsFile, 'utf8').catch((error: Error) => exitWithSettingErrors('sim', [`--credentials ${credentialsFile}: ${error.message}`]));
  const parsed = parseCredentialsFile(text);
  if (!parsed.ok) exitWithSettingErrors('sim', [`--credentials ${credentialsFile}: ${parsed.error}`]);
  passwords = parsed.passwords;
}
const deviceIds = [...simRobotSerials(robots).map((serial) => `${values['--manufacturer']}/${serial}`), ...simDroneIds(droneCount)];
const siteId = values['--site-id'];
const logins = deviceLogins(deviceIds, { passwords, secret: values['--device-secret'] || undefined, site: siteId });
if (!logins.ok) exitWithSettingErrors('sim', [`--credentials ${credentialsFile}: no password for ${logins.missing.join(', ')} (add them, or give --device-secret)`]);
const credentials = logins.login;
const fail =
  (line: string) =>
  (error: Error): never =>
    exitWithSettingErrors('sim', [brokerErrorLine(line, error) ?? `${line}: ${error.message}`]);
const site = await loadSite(values['--site']).catch(fail(`--site ${values['--site']}`));
const zones = await readFile(values['--zones'], 'utf8')
  .then((text) => JSON.parse(text) as CreateMissionBody['zones'])
  .catch(fail(`--zones ${values['--zones']}`));
const broker = values['--broker'];
const clock = new ScaledClock(speed);
const world = new SimWorld({ site, clock, seed: values['--seed'] });
const fleet = await startSimRobotFleet({
  mqttUrl: broker,
  world,
  count: robots,
  manufacturer: values['--manufacturer'],
  visualizationIntervalMs: Math.max(1000, speed * 200),
  credentials,
  site: siteId,
  vdaVersion: values['--vda-version'],
}).catch(fail(`--broker ${broker}`));
const drones = await startSimDroneFleet({
  mqttUrl: broker,
  world: new SimDroneWorld({ clock, pads: padsFromZones(zones), seed: values['--seed'] }),
  count: droneCount,
  credentials,
  site: siteId,
}).catch(fail(`--broker ${broker}`));
process.stdout.write(`${robots} simulated robots on ${site.name} and ${droneCount} drones on ${values['--zones']} connected to ${broker} at x${speed}\n`);

async function shutdown(): Promise<void> {
  await drones.stop();
  await fleet.stop();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
