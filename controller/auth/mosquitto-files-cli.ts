/**
 * `npm run mosquitto-files -- --out DIR [--site SITE_ID] [--db FILE] [--robot MANUFACTURER/SERIAL]… [--drone ID]… [--door-sensor ROOM]…`
 *
 * Writes `DIR/passwd` (mode 0600) and `DIR/acl` for a site that runs Mosquitto instead of the
 * embedded broker, with the same rules (see `mosquittoFiles`), and prints the mosquitto.conf
 * lines that use them. Devices come from the controller's database (`--db`: the provisioned
 * ones, with their stored hashes) and/or from ids given here, whose passwords are derived from
 * `ISOFLEET_DEVICE_SECRET`. The controller's password is `ISOFLEET_CONTROLLER_PASSWORD`, else
 * derived from `ISOFLEET_DEVICE_SECRET`. No password is printed.
 *
 * `--site` (default `ISOFLEET_SITE_ID`): the files of that site of a shared broker, usernames
 * `{id}@{site}` and the controller `controller@{site}` kept to the site's topics; the files of
 * several sites are concatenated into the broker's (`cat a/passwd b/passwd > passwd`, same for
 * `acl`).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { siteIdSchema } from '../../protocol/index.js';
import { openDatabase } from '../storage/database.js';
import { SqliteDeviceStore } from './device-store.js';
import { buildMosquittoUsers, mosquittoConfLines, writeMosquittoFiles } from './mosquitto-files.js';

const USAGE = 'usage: npm run mosquitto-files -- --out DIR [--site SITE_ID] [--db FILE] [--robot MANUFACTURER/SERIAL]... [--drone ID]... [--door-sensor ROOM]...\n';

function flags() {
  return parseArgs({
    options: {
      out: { type: 'string' },
      site: { type: 'string' },
      db: { type: 'string' },
      robot: { type: 'string', multiple: true },
      drone: { type: 'string', multiple: true },
      'door-sensor': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}

function main(): number {
  let values: ReturnType<typeof flags>;
  try {
    values = flags();
  } catch (error) {
    // A flag without its value or an unknown flag: one line, not a stack trace.
    process.stderr.write(`mosquitto-files: ${(error as Error).message.split('\n')[0]}\n${USAGE}`);
    return 2;
  }
  if (values.help || !values.out) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 2;
  }
  const site = values.site ?? (process.env.ISOFLEET_SITE_ID || undefined);
  const siteCheck = site === undefined ? undefined : siteIdSchema.safeParse(site);
  if (siteCheck && !siteCheck.success) {
    process.stderr.write(`mosquitto-files: --site ${site}: ${siteCheck.error.issues[0]!.message}\n`);
    return 1;
  }
  if (values.db && !existsSync(values.db)) {
    process.stderr.write(`mosquitto-files: no database at ${values.db}\n`);
    return 1;
  }
  const db = values.db ? openDatabase(values.db) : undefined;
  let built: ReturnType<typeof buildMosquittoUsers>;
  try {
    built = buildMosquittoUsers({ env: process.env, devices: db && new SqliteDeviceStore(db, site), site, robots: values.robot, drones: values.drone, doorSensors: values['door-sensor'] });
  } finally {
    db?.close();
  }
  if (!built.ok) {
    for (const error of built.errors) process.stderr.write(`mosquitto-files: ${error}\n`);
    return 1;
  }
  for (const note of built.notes) process.stderr.write(`mosquitto-files: ${note}\n`);
  const written = writeMosquittoFiles(values.out, built.users);
  process.stdout.write(
    `wrote ${written.passwordFile} and ${written.aclFile} (${built.users.length - 1} devices and the controller)\n` +
      `mosquitto.conf:\n${mosquittoConfLines(written)
        .map((line) => `  ${line}\n`)
        .join('')}`,
  );
  return 0;
}

process.exitCode = main();
