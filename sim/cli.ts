/**
 * `npm run sim -- --broker mqtt://HOST:PORT --site hotel --robots 5 [--drones 4 --zones FILE] --speed 10
 * [--credentials FILE] [--device-secret SECRET] [--vda-version 2.0.0|2.1.0]`:
 * the simulated fleet alone, each robot and drone its own MQTT client running the real bridge,
 * for a controller in another process (`npm run controller`) or on another machine. Drones stand
 * on the pads of the zones file (default the park). Devices log in with the passwords in the
 * credentials file (JSON `{deviceId: password}`, as `POST /api/devices` gave them: robots
 * `MANUFACTURER/robot-N`, drones `drone-N`), else with ones derived from the device secret
 * (default ISOFLEET_DEVICE_SECRET); with neither, anonymously. Robots speak VDA 5050 2.1.0 until a
 * master speaks another served version to them; `--vda-version 2.0.0` starts them in 2.0.0 for a
 * 2.0 master that drops other versions. Ctrl-C stops it.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { VDA_VERSIONS, type CreateMissionBody } from '../protocol/index.js';
import { padsFromZones, SimDroneWorld, simDroneIds, startSimDroneFleet } from './drone/index.js';
import { loadSite } from '../controller/site/index.js';
import { deviceLogins, parseCredentialsFile } from './device-logins.js';
import { simRobotSerials, startSimRobotFleet } from './robot-fleet.js';
import { ScaledClock } from './scaled-clock.js';
import { SimWorld } from './world.js';

const { values } = parseArgs({
  options: {
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
  },
});

const speed = Number(values.speed);
const robots = Number(values.robots);
const droneCount = Number(values.drones);
if (!(speed > 0) || !(robots >= 0) || !(droneCount >= 0)) {
  process.stderr.write('--speed must be positive, --robots and --drones counts\n');
  process.exit(2);
}
const vdaVersion = VDA_VERSIONS.find((v) => v === values['vda-version']);
if (!vdaVersion) {
  process.stderr.write(`--vda-version ${values['vda-version']}: one of ${VDA_VERSIONS.join(', ')}\n`);
  process.exit(2);
}
let passwords: Record<string, string> | undefined;
if (values.credentials) {
  const text = await readFile(values.credentials, 'utf8').catch((error: Error) => {
    process.stderr.write(`--credentials ${values.credentials}: ${error.message}\n`);
    process.exit(2);
  });
  const parsed = parseCredentialsFile(text);
  if (!parsed.ok) {
    process.stderr.write(`--credentials ${values.credentials}: ${parsed.error}\n`);
    process.exit(2);
  }
  passwords = parsed.passwords;
}
const deviceIds = [...simRobotSerials(robots).map((serial) => `${values.manufacturer}/${serial}`), ...simDroneIds(droneCount)];
const logins = deviceLogins(deviceIds, { passwords, secret: values['device-secret'] || undefined });
if (!logins.ok) {
  process.stderr.write(`--credentials ${values.credentials}: no password for ${logins.missing.join(', ')} (add them, or give --device-secret)\n`);
  process.exit(2);
}
const credentials = logins.login;
const site = await loadSite(values.site!);
const clock = new ScaledClock(speed);
const world = new SimWorld({ site, clock, seed: Number(values.seed) });
const fleet = await startSimRobotFleet({
  mqttUrl: values.broker!,
  world,
  count: robots,
  manufacturer: values.manufacturer!,
  visualizationIntervalMs: Math.max(1000, speed * 200),
  credentials,
  vdaVersion,
});
const zones = JSON.parse(await readFile(values.zones!, 'utf8')) as CreateMissionBody['zones'];
const drones = await startSimDroneFleet({
  mqttUrl: values.broker!,
  world: new SimDroneWorld({ clock, pads: padsFromZones(zones), seed: Number(values.seed) }),
  count: droneCount,
  credentials,
});
process.stdout.write(`${robots} simulated robots on ${site.name} and ${droneCount} drones on ${values.zones} connected to ${values.broker} at x${speed}\n`);

async function shutdown(): Promise<void> {
  await drones.stop();
  await fleet.stop();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
