/**
 * The settings of each process, one schema each: `npm run controller` (env), `npm start` (env),
 * `npm run sim` (flags, some defaulting from env). Keys are the names the user writes.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SIM_SPEED_RANGE, simSpeedSchema, siteIdSchema, VDA_VERSIONS } from '../../protocol/index.js';
import { adminPasswordSetting, brokerUrlSetting, countSetting, existingFileSetting, logLevelSetting, portSetting, positiveSetting, siteSetting } from './settings.js';

const notADirectory = z.string().refine((v) => !statSync(v, { throwIfNoEntry: false })?.isDirectory(), 'is a directory; give the database file');

/** A scaled clock's speed: see {@link SIM_SPEED_RANGE}. */
const simSpeedSetting = positiveSetting(SIM_SPEED_RANGE.max).pipe(simSpeedSchema);

/** Environment of `npm run controller` (see controller/cli.ts). */
export const controllerEnvSchema = z.object({
  PORT: portSetting.default(8080),
  HOST: z.string().default('0.0.0.0'),
  MQTT_URL: brokerUrlSetting.optional(),
  MQTT_PORT: portSetting.default(1883),
  MQTT_HOST: z.string().default('0.0.0.0'),
  ISOFLEET_DB: notADirectory.default('data/isofleet.db'),
  ISOFLEET_AUTH_DB: notADirectory.default('data/auth.db'),
  SITE: siteSetting.default('hotel'),
  /** The site id on a broker and database shared by several sites (see `siteIdSchema`); unset: one site alone. */
  ISOFLEET_SITE_ID: siteIdSchema.optional(),
  /** This controller's dashboard address, the link in every site's list of sites. */
  ISOFLEET_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  ISOFLEET_MANUFACTURER: z.string().optional(),
  LOG_LEVEL: logLevelSetting.default('info'),
  ISOFLEET_ADMIN_PASSWORD: adminPasswordSetting.optional(),
  ISOFLEET_DEVICE_SECRET: z.string().optional(),
  ISOFLEET_CONTROLLER_PASSWORD: z.string().optional(),
});

/** Environment of `npm start` (see apps/demo/main.ts). */
export const demoEnvSchema = z.object({
  PORT: portSetting.default(8080),
  HOST: z.string().optional(),
  MQTT_URL: brokerUrlSetting.optional(),
  MQTT_PORT: portSetting.default(1883),
  SITE: siteSetting.optional(),
  SIM_ROBOTS: countSetting(0, 50).default(5),
  SIM_DRONES: countSetting(0, 16).default(4),
  SIM_SPEED: simSpeedSetting.default(10),
  LOG_LEVEL: logLevelSetting.default('warn'),
  ISOFLEET_ADMIN_PASSWORD: adminPasswordSetting.optional(),
  ISOFLEET_DEVICE_SECRET: z.string().optional(),
  /** The demo's database, kept on disk so the admin and every session survive a restart; default {@link demoDatabaseFile}. */
  ISOFLEET_DB: notADirectory.optional(),
});

/**
 * The demo's SQLite file when ISOFLEET_DB is not set: `data/demo.db` for the default site, else
 * one per site (`data/demo-clinic.db`), since a file is tied to the site it was made for.
 */
export function demoDatabaseFile(site: string | undefined): string {
  const name = site && path.basename(site).replace(/\.[^.]*$/, '');
  return name && name !== 'hotel' ? `data/demo-${name}.db` : 'data/demo.db';
}

/** Flags of `npm run sim` (see sim/cli.ts), after `node:util` parseArgs. */
export const simFlagsSchema = z.object({
  '--broker': brokerUrlSetting,
  '--site': siteSetting,
  '--robots': countSetting(0, 50),
  '--drones': countSetting(0, 16),
  '--zones': existingFileSetting,
  '--speed': simSpeedSetting,
  '--seed': countSetting(0, 2 ** 31 - 1),
  '--manufacturer': z.string().min(1, 'must not be empty'),
  '--device-secret': z.string().optional(),
  '--credentials': existingFileSetting.optional(),
  '--site-id': siteIdSchema.optional(),
  '--vda-version': z.enum(VDA_VERSIONS, { error: `must be one of ${VDA_VERSIONS.join(', ')}` }).default('2.1.0'),
});

/** Flags as parseArgs gives them (`robots`) → the names the user wrote (`--robots`). */
export function asFlags(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`--${k}`, v]));
}
