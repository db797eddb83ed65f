/**
 * `npm run bridge -- robot --id … --ros2 --config FILE --start-node NODE [--namespace /robot1] …`: the
 * bridge for one ROS 2 (Nav2) robot; see `ros2/robot-cli.ts`.
 *
 * `npm run bridge -- drone --id drone-1 --mavlink tcp:127.0.0.1:5760 --broker mqtt://HOST:1883
 * [--credentials FILE] [--device-secret SECRET] [--site-id SITE] [--firmware ardupilot|px4] [--tank-l 20]
 * [--payload serial:/dev/ttyUSB1:115200 [--payload-has speaker,display]]`:
 * the bridge for one real drone: its autopilot over MAVLink (`tcp:HOST:PORT`, `udp:HOST:PORT`,
 * `udpin:HOST:PORT`, `serial:PATH:BAUD`) and the controller's broker. It logs in as the drone id
 * with the password from the credentials file (JSON `{droneId: password}`, as `POST /api/devices`
 * gave it) or derived from the device secret (default ISOFLEET_DEVICE_SECRET), as `npm run sim`
 * does; with neither, anonymously. `--payload`: the broadcast payload computer (loudspeaker, QR
 * display) on the line protocol of `drone/payload/line-payload.ts`. Flags are checked first; a bad one stops it with one line
 * naming it. Ctrl-C says OFFLINE and stops; the autopilot flies on with its mission and failsafes.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { brokerUrlSchema, parseBridgeFlags } from './bridge-flags.js';
import { siteIdSchema, systemClock } from '../protocol/index.js';
import { deviceLogins, parseCredentialsFile } from '../sim/device-logins.js';
import { DroneAgent } from './drone/drone-agent.js';
import { linkAddressSchema, openLink } from './drone/mavlink/link.js';
import { MavlinkDroneDriver } from './drone/mavlink/mavlink-drone-driver.js';
import { LinePayload } from './drone/payload/line-payload.js';
import type { Logger } from '../common/index.js';

/** The drone bridge's flags. */
export const droneBridgeFlagsSchema = z.object({
  id: z.string({ error: 'is required' }).regex(/^[^/#+\s]+$/, 'must be a drone id without /, #, + or spaces'),
  mavlink: linkAddressSchema,
  broker: brokerUrlSchema,
  credentials: z.string().optional(),
  'device-secret': z.string().optional(),
  'site-id': siteIdSchema.optional(),
  firmware: z.enum(['ardupilot', 'px4']),
  'tank-l': z.coerce.number().positive().max(100),
  payload: linkAddressSchema.optional(),
  'payload-has': z
    .string()
    .transform((text) => text.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(['speaker', 'display'], { error: 'is speaker, display or both, comma-separated' })).min(1)),
});
export type DroneBridgeFlags = z.infer<typeof droneBridgeFlagsSchema>;

/** Parses the command line; the error is one line naming the flag. */
export function parseBridgeArgs(argv: string[]): { ok: true; flags: DroneBridgeFlags } | { ok: false; error: string } {
  return parseBridgeFlags(
    argv,
    'drone',
    {
      id: { type: 'string' },
      mavlink: { type: 'string', default: 'tcp:127.0.0.1:5760' },
      broker: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
      credentials: { type: 'string' },
      'device-secret': { type: 'string', default: process.env.ISOFLEET_DEVICE_SECRET },
      'site-id': { type: 'string', default: process.env.ISOFLEET_SITE_ID },
      firmware: { type: 'string', default: 'ardupilot' },
      'tank-l': { type: 'string', default: '20' },
      payload: { type: 'string' },
      'payload-has': { type: 'string', default: 'speaker,display' },
    },
    droneBridgeFlagsSchema,
  );
}

const stderrLogger: Logger = {
  info: (object, message) => process.stderr.write(`${JSON.stringify({ level: 'info', msg: message, ...object })}\n`),
  warn: (object, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...object })}\n`),
};

const USAGE = `usage: npm run bridge -- robot --id ID --ros2 --config FILE --start-node NODE [--namespace /robot1] …
       npm run bridge -- drone --id ID --mavlink tcp:HOST:PORT|udp:HOST:PORT|udpin:HOST:PORT|serial:PATH:BAUD --broker mqtt://HOST:1883
         [--credentials FILE] [--device-secret SECRET] [--site-id SITE] [--firmware ardupilot|px4] [--tank-l 20]
         [--payload serial:/dev/ttyUSB1:115200 [--payload-has speaker,display]]
The bridge for one real robot (ROS 2, Nav2) or drone (MAVLink autopilot) and the controller's broker; see README.md.
`;

async function main(): Promise<void> {
  // It answered --help with "expected 'robot' or 'drone' first", exit 1.
  if (process.argv[2] === '--help' || process.argv[2] === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (process.argv[2] !== 'robot' && process.argv[2] !== 'drone') {
    process.stderr.write(`bridge: expected 'robot' or 'drone' first (npm run bridge -- robot --id … --ros2 … | drone --id … --mavlink …), got ${process.argv[2] ?? 'nothing'}\n`);
    process.exit(1);
  }
  if (process.argv[2] === 'robot') {
    // Loaded only for a robot: it is the one path that may load rclnodejs.
    const { runRobotBridge } = await import('./ros2/robot-cli.js');
    return runRobotBridge(process.argv.slice(2));
  }
  const parsed = parseBridgeArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`bridge: ${parsed.error}\n`);
    process.exit(1);
  }
  const flags = parsed.flags;
  let passwords: Record<string, string> | undefined;
  if (flags.credentials) {
    const text = await readFile(flags.credentials, 'utf8').catch((error: Error) => {
      process.stderr.write(`bridge: --credentials ${flags.credentials}: ${error.message}\n`);
      process.exit(1);
    });
    const file = parseCredentialsFile(text);
    if (!file.ok) {
      process.stderr.write(`bridge: --credentials ${flags.credentials}: ${file.error}\n`);
      process.exit(1);
    }
    passwords = file.passwords;
  }
  const logins = deviceLogins([flags.id], { passwords, secret: flags['device-secret'] || undefined, site: flags['site-id'] });
  if (!logins.ok) {
    process.stderr.write(`bridge: --credentials ${flags.credentials}: no password for ${flags.id} (add it, or give --device-secret)\n`);
    process.exit(1);
  }
  const link = flags.mavlink;
  const where = link.kind === 'serial' ? `serial:${link.path}:${link.baud}` : `${link.kind}:${link.host}:${link.port}`;
  process.stderr.write(`bridge: waiting for the autopilot's heartbeat on ${where}\n`);
  const driver = await MavlinkDroneDriver.connect({
    link: await openLink(flags.mavlink),
    firmware: flags.firmware,
    description: { model: `MAVLink ${flags.firmware}`, tankL: flags['tank-l'], maxSpeedMps: 10 },
    ...(flags.payload
      ? { payload: { device: new LinePayload(await openLink(flags.payload), { onProblem: (problem) => stderrLogger.warn({ drone: flags.id }, problem) }), has: flags['payload-has'] } }
      : {}),
  }).catch((error: Error) => {
    process.stderr.write(`bridge: ${error.message}\n`);
    process.exit(1);
  });
  const agent = new DroneAgent({ mqttUrl: flags.broker, droneId: flags.id, driver, clock: systemClock, credentials: logins.login?.(flags.id), site: flags['site-id'], logger: stderrLogger });
  await agent.start();
  process.stderr.write(`bridge: ${flags.id} online at ${flags.broker}\n`);
  const shutdown = async () => {
    await agent.stop();
    await driver.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
