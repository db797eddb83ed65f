/**
 * `npm start`: the demo on one port. An embedded MQTT broker (unless MQTT_URL is set), the
 * controller, five simulated robots on the `hotel` site running the real bridge, a simulated
 * medic who keeps sending them lunch trips, and the live status page.
 *
 * Env: PORT (8080), HOST (0.0.0.0), MQTT_URL, MQTT_PORT (embedded broker, 1883; 0 = any free),
 * SITE (hotel), SIM_ROBOTS (5), SIM_SPEED (10: simulated seconds per real second).
 */
import { AutoMedic, endlessRooms } from '../sim/auto-medic.js';
import { seededRandom } from '../sim/random.js';
import { startSimRobotFleet } from '../sim/robot-fleet.js';
import { ScaledClock } from '../sim/scaled-clock.js';
import { SimWorld } from '../sim/world.js';
import { buildApp } from './app.js';
import { loadSite } from './site/index.js';
import { startEmbeddedBroker } from './transport/embedded-broker.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const speed = Number(process.env.SIM_SPEED ?? 10);
const robotCount = Number(process.env.SIM_ROBOTS ?? 5);

const site = await loadSite(process.env.SITE ?? 'hotel');
const broker = process.env.MQTT_URL ? undefined : await startEmbeddedBroker({ port: Number(process.env.MQTT_PORT ?? 1883), host: '127.0.0.1' });
const mqttUrl = process.env.MQTT_URL ?? broker!.url;
// The whole demo shares one simulated clock, so the controller's times match the robots'.
const clock = new ScaledClock(speed);
const app = await buildApp({
  site,
  mqttUrl,
  clock,
  logger: { level: process.env.LOG_LEVEL ?? 'warn', transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } },
});
const world = new SimWorld({ site, clock, seed: 1 });
const fleet = await startSimRobotFleet({ mqttUrl, world, count: robotCount, manufacturer: 'isofleet', visualizationIntervalMs: Math.max(1000, speed * 200) });

const rooms = site.nodes.flatMap((n) => (n.kind === 'room' && n.room ? [n.room] : []));
const medic = new AutoMedic({
  robots: () => app.fleet.list(),
  busy: (robot) => app.trips.activeTripOf(robot) !== undefined,
  rooms: endlessRooms(rooms, seededRandom(1)),
  trays: 4,
  createTrip: async (body) => (await app.inject({ method: 'POST', url: '/api/trips', payload: body })).statusCode === 201,
});
app.fleet.on('robot', () => void medic.dispatch());

await app.listen({ port, host });
const shown = host === '0.0.0.0' ? 'localhost' : host;
process.stdout.write(
  `isofleet demo running: http://${shown}:${port}/\n` +
    `  MQTT broker ${mqttUrl}${broker ? ' (embedded)' : ''}, ${robotCount} simulated robots on ${site.name}, time x${speed}\n` +
    `  Ctrl-C stops everything.\n`,
);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping…\n');
  await fleet.stop();
  await app.close();
  await broker?.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
