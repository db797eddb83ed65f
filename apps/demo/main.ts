/**
 * `npm start`: the demo on one port (see {@link startDemo}).
 *
 * Env: PORT (8080), HOST (127.0.0.1; 0.0.0.0 for every interface), MQTT_URL, MQTT_PORT (embedded broker, 1883; 0 = any free),
 * SITE (hotel), SIM_ROBOTS (5), SIM_DRONES (4), SIM_SPEED (10: simulated seconds per real second), LOG_LEVEL (warn),
 * ISOFLEET_DB (SQLite file, data/demo.db, data/demo-SITE.db for another site: users and sessions survive a restart),
 * ISOFLEET_ADMIN_PASSWORD (the first admin's; generated and printed once when not set),
 * ISOFLEET_DEVICE_SECRET (device broker passwords derive from it; random when not set).
 * A bad setting or a port in use stops it with one line naming the setting and the rule, exit 1.
 * It takes no flags: `npm start -- --help` prints the settings, any other flag is refused, exit 2.
 */
import { demoDatabaseFile, demoEnvSchema } from '../../controller/config/process-settings.js';
import { exitWithSettingErrors, settingsOrExit } from '../../controller/config/settings.js';
import { loadSite } from '../../controller/site/index.js';
import { redactLocation, StoreUnavailableError } from '../../controller/storage/index.js';
import { sitePath } from '../../protocol/index.js';
import { startDemo } from './demo.js';
import { parseCliArgs } from '../../common/cli-args.js';

const USAGE = `usage: npm start  (settings in the environment, no flags)
The demo on one port: embedded broker, controller, simulated robots and drones, dashboard. PORT (8080), HOST (127.0.0.1),
MQTT_URL or MQTT_PORT (1883), SITE (hotel), SIM_ROBOTS (5), SIM_DRONES (4), SIM_SPEED (10), LOG_LEVEL (warn),
ISOFLEET_DB (data/demo.db), ISOFLEET_ADMIN_PASSWORD, ISOFLEET_DEVICE_SECRET; see README.md.
`;
// Before anything starts: `npm start -- --help` or `--port 9000` started the demo, ignoring them.
parseCliArgs('start', USAGE, { options: {} });
const env = settingsOrExit('start', demoEnvSchema, process.env);
const databaseFile = env.ISOFLEET_DB ?? demoDatabaseFile(env.SITE);
const siteName = env.SITE ?? 'hotel';
const site = await loadSite(siteName).catch((error: Error) => exitWithSettingErrors('start', [`SITE=${siteName}: ${error.message}`]));
const demo = await startDemo({
  port: env.PORT,
  host: env.HOST,
  mqttUrl: env.MQTT_URL,
  mqttPort: env.MQTT_PORT,
  site,
  robots: env.SIM_ROBOTS,
  drones: env.SIM_DRONES,
  speakerDrones: 1,
  speed: env.SIM_SPEED,
  adminPassword: env.ISOFLEET_ADMIN_PASSWORD,
  // Kept on disk, as `npm run controller` keeps its own: the admin and every session survive a restart.
  databaseFile,
  deviceSecret: env.ISOFLEET_DEVICE_SECRET,
  logger: { level: env.LOG_LEVEL, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } },
}).catch((error: NodeJS.ErrnoException) => {
  // A file made for another site (a SQLite file keeps its site).
  if (error instanceof StoreUnavailableError) exitWithSettingErrors('start', [`ISOFLEET_DB=${redactLocation(databaseFile)}: ${error.message}`]);
  // The broker listens first, then HTTP: the error's port says which setting it was.
  const port = (error as { port?: number }).port;
  const setting = port === env.MQTT_PORT && !env.MQTT_URL ? `MQTT_PORT=${env.MQTT_PORT}` : `PORT=${env.PORT}`;
  if (error.code === 'EADDRINUSE') exitWithSettingErrors('start', [`${setting}: port in use by another process`]);
  if (error.code === 'EACCES') exitWithSettingErrors('start', [`${setting}: no permission to listen there (ports below 1024 need privileges)`]);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') exitWithSettingErrors('start', [`HOST=${env.HOST}: no such address on this machine`]);
  throw error;
});
process.stdout.write(
  `isofleet demo running: ${demo.url} (also ${demo.url.replace(/\/$/, '')}${sitePath(demo.world.site.name)}/)\n` +
    `  MQTT broker ${demo.mqttUrl}${process.env.MQTT_URL ? '' : ' (embedded)'}, ${demo.robots.length} simulated robots on the ${demo.world.site.name}, ${demo.drones.drones.length} drones on the park, time x${demo.clock.speed}\n` +
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
