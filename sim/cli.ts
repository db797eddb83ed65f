/**
 * `npm run sim -- --broker mqtt://HOST:PORT --site hotel --robots 5 --speed 10`: the simulated
 * fleet alone, each robot its own MQTT client running the real bridge, for a controller in
 * another process (`npm run controller`) or on another machine. Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { loadSite } from '../controller/site/index.js';
import { startSimRobotFleet } from './robot-fleet.js';
import { ScaledClock } from './scaled-clock.js';
import { SimWorld } from './world.js';

const { values } = parseArgs({
  options: {
    broker: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
    site: { type: 'string', default: 'hotel' },
    robots: { type: 'string', default: '5' },
    speed: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    manufacturer: { type: 'string', default: 'isofleet' },
  },
});

const speed = Number(values.speed);
const robots = Number(values.robots);
if (!(speed > 0) || !(robots >= 0)) {
  process.stderr.write('--speed must be positive and --robots a count\n');
  process.exit(2);
}
const site = await loadSite(values.site!);
const clock = new ScaledClock(speed);
const world = new SimWorld({ site, clock, seed: Number(values.seed) });
const fleet = await startSimRobotFleet({
  mqttUrl: values.broker!,
  world,
  count: robots,
  manufacturer: values.manufacturer!,
  visualizationIntervalMs: Math.max(1000, speed * 200),
});
process.stdout.write(`${robots} simulated robots on ${site.name} connected to ${values.broker} at x${speed}\n`);

async function shutdown(): Promise<void> {
  await fleet.stop();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
