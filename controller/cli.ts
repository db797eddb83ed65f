/**
 * `npm run controller`: the controller alone, for real deployments and chaos tests. Real time;
 * devices (or `npm run sim`) connect over MQTT.
 *
 * Env: PORT (8080), HOST (0.0.0.0), MQTT_URL (an external broker) or MQTT_PORT (start the
 * embedded one there, 1883) and MQTT_HOST (0.0.0.0), ISOFLEET_DB (SQLite file,
 * data/isofleet.db, or a postgres:// URL: the site's schema there, one controller per site),
 * ISOFLEET_AUTH_DB (with PostgreSQL: the SQLite file of users, sessions and device logins,
 * data/auth.db), SITE (hotel), ISOFLEET_MANUFACTURER (isofleet: the VDA manufacturer of the
 * robots), LOG_LEVEL (info), ISOFLEET_ADMIN_PASSWORD (the first admin's; generated and printed
 * once when not set), ISOFLEET_DEVICE_SECRET (devices may also log in with passwords derived
 * from it), ISOFLEET_CONTROLLER_PASSWORD (the controller's own broker password), ISOFLEET_SITE_ID
 * (unset: a site alone; set when several sites share one broker and database: its topics,
 * logins `controller@{id}` and `{device}@{id}`, and its PostgreSQL schema, see `siteIdSchema`),
 * ISOFLEET_PUBLIC_URL (its dashboard's address, the link in the admin's list of sites).
 *
 * The embedded broker always asks for logins: devices provisioned through `POST /api/devices`
 * get in, and with ISOFLEET_DEVICE_SECRET any device with its derived password. The controller
 * logs in as `controller` with ISOFLEET_CONTROLLER_PASSWORD, else the password derived from the
 * secret (the two `npm run mosquitto-files` writes for a site's Mosquitto), else, with the
 * embedded broker, one made for this process.
 *
 * A bad setting (controller/config) or a port in use stops it with one line naming the setting
 * and the rule, exit 1. It takes no flags: `--help` prints the settings, anything else on the
 * command line is refused (exit 2) before anything listens.
 */
import { CONTROLLER_USERNAME, sitePath, siteUsername } from '../protocol/index.js';
import { buildApp } from './app.js';
import { derivedCredentials, generateDevicePassword, type DeviceStore } from './auth/index.js';
import { brokerAuth } from './transport/broker-auth.js';
import { loadSite } from './site/index.js';
import { startEmbeddedBroker } from './transport/embedded-broker.js';
import { redactLocation, StoreUnavailableError } from './storage/index.js';
import { controllerEnvSchema } from './config/process-settings.js';
import { holdPort } from './config/hold-port.js';
import { brokerErrorLine, exitWithSettingErrors, settingsOrExit } from './config/settings.js';
import { parseCliArgs } from '../common/cli-args.js';

const USAGE = `usage: npm run controller  (settings in the environment, no flags)
The controller alone, in real time, for devices that connect over MQTT. PORT (8080), HOST (0.0.0.0),
MQTT_URL (an external broker) or MQTT_PORT (1883) and MQTT_HOST (0.0.0.0) of the embedded one,
ISOFLEET_DB (data/isofleet.db, or a postgres:// URL), ISOFLEET_AUTH_DB, SITE (hotel), ISOFLEET_SITE_ID,
ISOFLEET_MANUFACTURER, ISOFLEET_ADMIN_PASSWORD, ISOFLEET_DEVICE_SECRET, ISOFLEET_CONTROLLER_PASSWORD,
ISOFLEET_PUBLIC_URL, LOG_LEVEL (info); see README.md.
`;
// Before the settings are read: a person asking for help, or passing a flag meant as a setting
// (`--port 9000`), must not start a controller (it used to ignore its arguments and start).
parseCliArgs('controller', USAGE, { options: {} });

const env = settingsOrExit('controller', controllerEnvSchema, process.env);
/**
 * Stops the start with one line when a listener cannot be had: the port setting for a port in use
 * or out of reach, the host setting for an address this machine does not have. Anything else is a
 * bug and keeps its stack.
 */
const onListenError =
  (portSetting: string, hostSetting: string) =>
  (error: NodeJS.ErrnoException): never => {
    if (error.code === 'EADDRINUSE') exitWithSettingErrors('controller', [`${portSetting}: port in use by another process`]);
    if (error.code === 'EACCES') exitWithSettingErrors('controller', [`${portSetting}: no permission to listen there (ports below 1024 need privileges)`]);
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') exitWithSettingErrors('controller', [`${hostSetting}: no such address on this machine`]);
    throw error;
  };

// Taken before anything opens the store: a second controller on a port in use stops here.
const httpPort = await holdPort(env.PORT, env.HOST).catch(onListenError(`PORT=${env.PORT}`, `HOST=${env.HOST}`));
const site = await loadSite(env.SITE).catch((error: Error) => exitWithSettingErrors('controller', [`SITE=${env.SITE}: ${error.message}`]));
const secret = env.ISOFLEET_DEVICE_SECRET;
const givenPassword = env.ISOFLEET_CONTROLLER_PASSWORD;
const siteId = env.ISOFLEET_SITE_ID;
const controllerUsername = siteUsername(CONTROLLER_USERNAME, siteId);
const controllerLogin = givenPassword
  ? { username: controllerUsername, password: givenPassword }
  : secret
    ? derivedCredentials(secret)(controllerUsername)
    : { username: controllerUsername, password: generateDevicePassword() };
// The broker must be up before buildApp connects to it, and buildApp opens the device store:
// device logins wait for the store, the controller's does not.
let deviceStoreOpened!: (devices: DeviceStore) => void;
const devices = new Promise<DeviceStore>((resolve) => (deviceStoreOpened = resolve));
const broker = env.MQTT_URL
  ? undefined
  : await startEmbeddedBroker({
      port: env.MQTT_PORT,
      host: env.MQTT_HOST,
      auth: brokerAuth({ devices, secret, controllerPassword: controllerLogin.password, ...(siteId ? { site: siteId } : {}) }),
    }).catch(onListenError(`MQTT_PORT=${env.MQTT_PORT}`, `MQTT_HOST=${env.MQTT_HOST}`));
const mqttUrl = env.MQTT_URL ?? `mqtt://127.0.0.1:${broker!.port}`;
const app = await buildApp({
  site,
  ...(siteId ? { siteId } : {}),
  ...(env.ISOFLEET_PUBLIC_URL ? { publicUrl: env.ISOFLEET_PUBLIC_URL } : {}),
  mqttUrl,
  databaseFile: env.ISOFLEET_DB,
  authDatabaseFile: env.ISOFLEET_AUTH_DB,
  // Running on without a database would lose what it decides, and another controller may take the site.
  onStoreLost: () => {
    process.stderr.write('controller: lost the PostgreSQL connection; stopping (a service manager starts it again, and it carries on from the store)\n');
    process.exit(1);
  },
  manufacturer: env.ISOFLEET_MANUFACTURER,
  auth: { adminPassword: env.ISOFLEET_ADMIN_PASSWORD },
  ...(broker || secret || givenPassword ? { mqttCredentials: controllerLogin } : {}),
  logger: { level: env.LOG_LEVEL },
}).catch((error: Error) => {
  if (error instanceof StoreUnavailableError) exitWithSettingErrors('controller', [`ISOFLEET_DB=${redactLocation(env.ISOFLEET_DB)}: ${error.message}`]);
  const line = brokerErrorLine(env.MQTT_URL ? `MQTT_URL=${env.MQTT_URL}` : 'embedded broker', error);
  if (line) exitWithSettingErrors('controller', [line]);
  throw error;
});
if (!app.devices) throw new Error('buildApp with auth has no device store');
deviceStoreOpened(app.devices);
await httpPort.release();
await app.listen({ port: env.PORT, host: env.HOST }).catch(onListenError(`PORT=${env.PORT}`, `HOST=${env.HOST}`));
const address = app.server.address();
process.stdout.write(
  `isofleet controller on port ${typeof address === 'object' && address ? address.port : '?'}, MQTT ${mqttUrl}${broker ? ' (embedded)' : ''}; also served under ${sitePath(siteId ?? site.name)}/\n`,
);
// Shown once, when this start created the admin; never logged.
const first = app.firstAdmin;
if (first?.created && first.generatedPassword) process.stdout.write(`first admin '${first.username}', password ${first.generatedPassword} (shown only now)\n`);

async function shutdown(): Promise<void> {
  await app.close();
  await broker?.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
