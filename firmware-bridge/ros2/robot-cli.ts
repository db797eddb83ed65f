/**
 * `npm run bridge -- robot --id robot-7 --ros2 --config FILE --start-node NODE [--namespace /robot7]
 * [--manufacturer isofleet] [--broker mqtt://HOST:1883] [--credentials FILE] [--device-secret SECRET] [--site-id SITE]
 * [--lifts rmf|none] [--doors rmf|none] [--lift-timeout-s 300]`: the bridge for one ROS 2 robot
 * running Nav2, on the robot's own computer (see README, "Real robots"). `--config` is the
 * robot's building file (`robot-config.ts`: a map per level, the car poses, the doors). It logs
 * in to the broker as `MANUFACTURER/ID` like `npm run sim` does. Flags and the config are checked
 * first, then rclnodejs is loaded: without ROS 2 it stops with one line saying what to do.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { brokerUrlSchema, parseBridgeFlags } from '../bridge-flags.js';
import { describeProblems, siteIdSchema, systemClock } from '../../protocol/index.js';
import { deviceLogins, parseCredentialsFile } from '../../sim/device-logins.js';
import type { Logger } from '../../common/index.js';
import { RobotAgent } from '../robot-agent.js';
import { loadRos2 } from './ros-api.js';
import { ros2RobotConfigSchema, type Ros2RobotConfig } from './robot-config.js';
import { ros2Robot } from './ros2-robot.js';

const idPattern = /^[^/#+\s]+$/;

/** The robot bridge's flags. */
export const robotBridgeFlagsSchema = z.object({
  id: z.string({ error: 'is required' }).regex(idPattern, 'must be a serial number without /, #, + or spaces'),
  manufacturer: z.string().regex(idPattern, 'must be a manufacturer without /, #, + or spaces'),
  ros2: z.literal(true, { error: 'is required: the ROS 2 (Nav2) driver is the one robot driver the bridge has for real robots' }),
  namespace: z.string().regex(/^(\/[A-Za-z][A-Za-z0-9_]*)*$/, 'must be a ROS 2 namespace such as /robot1 (or empty)'),
  config: z.string({ error: 'is required (the robot building file: maps, lift car poses, doors)' }).min(1),
  'start-node': z.string({ error: 'is required (the site node the robot stands on)' }).min(1),
  broker: brokerUrlSchema,
  credentials: z.string().optional(),
  'device-secret': z.string().optional(),
  'site-id': siteIdSchema.optional(),
  lifts: z.enum(['rmf', 'none']),
  doors: z.enum(['rmf', 'none']),
  'lift-timeout-s': z.coerce.number().positive().max(3600),
});
export type RobotBridgeFlags = z.infer<typeof robotBridgeFlagsSchema>;

/** Parses the command line after `robot`; the error is one line naming the flag. */
export function parseRobotBridgeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): { ok: true; flags: RobotBridgeFlags } | { ok: false; error: string } {
  return parseBridgeFlags(
    argv,
    'robot',
    {
      id: { type: 'string' },
      manufacturer: { type: 'string', default: env.ISOFLEET_MANUFACTURER ?? 'isofleet' },
      ros2: { type: 'boolean', default: false },
      namespace: { type: 'string', default: '' },
      config: { type: 'string' },
      'start-node': { type: 'string' },
      broker: { type: 'string', default: env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
      credentials: { type: 'string' },
      'device-secret': { type: 'string', default: env.ISOFLEET_DEVICE_SECRET },
      'site-id': { type: 'string', default: env.ISOFLEET_SITE_ID },
      lifts: { type: 'string', default: env.ISOFLEET_LIFTS ?? 'rmf' },
      doors: { type: 'string', default: env.ISOFLEET_DOORS ?? 'rmf' },
      'lift-timeout-s': { type: 'string', default: '300' },
    },
    robotBridgeFlagsSchema,
  );
}

/** Reads and checks the robot's building file; the error names the file and the field. */
export async function readRobotConfig(file: string): Promise<{ ok: true; config: Ros2RobotConfig } | { ok: false; error: string }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { ok: false, error: `--config ${file}: ${(error as Error).message.split('\n')[0]}` };
  }
  const config = ros2RobotConfigSchema.safeParse(json);
  if (!config.success) return { ok: false, error: `--config ${file}: ${describeProblems(config.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })))}` };
  if (!(config.data.startMapId in config.data.maps)) return { ok: false, error: `--config ${file}: startMapId ${config.data.startMapId} has no entry in maps` };
  return { ok: true, config: config.data };
}

const stderrLogger: Logger = {
  info: (object, message) => process.stderr.write(`${JSON.stringify({ level: 'info', msg: message, ...object })}\n`),
  warn: (object, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...object })}\n`),
};

const fail = (message: string): never => {
  process.stderr.write(`bridge: ${message}\n`);
  process.exit(1);
};

/** Runs the robot bridge until SIGINT/SIGTERM (then OFFLINE and exit 0). */
export async function runRobotBridge(argv: string[]): Promise<void> {
  const parsed = parseRobotBridgeArgs(argv);
  if (!parsed.ok) return fail(parsed.error);
  const flags = parsed.flags;
  const config = await readRobotConfig(flags.config);
  if (!config.ok) return fail(config.error);
  const deviceId = `${flags.manufacturer}/${flags.id}`;
  let passwords: Record<string, string> | undefined;
  if (flags.credentials) {
    const text = await readFile(flags.credentials, 'utf8').catch((error: Error) => fail(`--credentials ${flags.credentials}: ${error.message}`));
    const file = parseCredentialsFile(text);
    if (!file.ok) return fail(`--credentials ${flags.credentials}: ${file.error}`);
    passwords = file.passwords;
  }
  const logins = deviceLogins([deviceId], { passwords, secret: flags['device-secret'] || undefined, site: flags['site-id'] });
  if (!logins.ok) return fail(`--credentials ${flags.credentials}: no password for ${deviceId} (add it, or give --device-secret)`);
  const loaded = await loadRos2(`isofleet_bridge_${flags.id.replace(/[^A-Za-z0-9_]/g, '_')}`, flags.namespace);
  if (!loaded.ok) return fail(loaded.error);
  const { driver, lift } = ros2Robot({
    ros: loaded.ros,
    clock: systemClock,
    config: config.config,
    robotId: flags.id,
    lifts: flags.lifts,
    doors: flags.doors,
    liftTimeoutMs: flags['lift-timeout-s'] * 1000,
    logger: stderrLogger,
  });
  const agent = new RobotAgent({
    mqttUrl: flags.broker,
    vehicle: { manufacturer: flags.manufacturer, serialNumber: flags.id },
    driver,
    clock: systemClock,
    startNodeId: flags['start-node'],
    logger: stderrLogger,
    credentials: logins.login?.(deviceId),
    site: flags['site-id'],
    ...(lift ? { lift } : {}),
  });
  await agent.start();
  process.stderr.write(`bridge: ${deviceId} online at ${flags.broker} (ROS 2 namespace ${flags.namespace || '/'})\n`);
  const shutdown = async () => {
    await agent.stop();
    loaded.ros.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
