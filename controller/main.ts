/**
 * `npm start`: the demo on one port (see {@link startDemo}).
 *
 * Env: PORT (8080), HOST (127.0.0.1; 0.0.0.0 for every interface), MQTT_URL, MQTT_PORT (embedded broker, 1883; 0 = any free),
 * SITE (hotel), SIM_ROBOTS (5), SIM_DRONES (4), SIM_SPEED (10: simulated seconds per real second), LOG_LEVEL (warn),
 * ISOFLEET_DB (SQLite file, data/demo.db: users and sessions survive a restart),
 * ISOFLEET_ADMIN_PASSWORD (the first admin's; generated and printed once when not set),
 * ISOFLEET_DEVICE_SECRET (device broker passwords derive from it; random when not set).
 */
import { startDemo } from './demo.js';

const demo = await startDemo({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST,
  mqttUrl: process.env.MQTT_URL,
  mqttPort: Number(process.env.MQTT_PORT ?? 1883),
  site: process.env.SITE,
  robots: Number(process.env.SIM_ROBOTS ?? 5),
  drones: Number(process.env.SIM_DRONES ?? 4),
  speed: Number(process.env.SIM_SPEED ?? 10),
  adminPassword: process.env.ISOFLEET_ADMIN_PASSWORD,
  // Kept on disk, as `npm run controller` keeps its own: the admin and every session survive a restart.
  databaseFile: process.env.ISOFLEET_DB ?? 'data/demo.db',
  deviceSecret: process.env.ISOFLEET_DEVICE_SECRET,
  logger: { level: process.env.LOG_LEVEL ?? 'warn', transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } },
});
process.stdout.write(
  `isofleet demo running: ${demo.url}\n` +
    `  MQTT broker ${demo.mqttUrl}${process.env.MQTT_URL ? '' : ' (embedded)'}, ${demo.robots.length} simulated robots on the hotel, ${demo.drones.drones.length} drones on the park, time x${demo.clock.speed}\n` +
    `  Ctrl-C stops everything.\n`,
);
// Shown once, when this start created the admin; never logged.
if (demo.firstAdmin?.created && demo.firstAdmin.generatedPassword) {
  process.stdout.write(`  Sign in as '${demo.firstAdmin.username}' with password ${demo.firstAdmin.generatedPassword} (shown only now).\n`);
}

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('stopping…\n');
  await demo.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
