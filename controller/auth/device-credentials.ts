import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CONTROLLER_USERNAME,
  doorSensorDeviceIdSchema,
  doorSensorTopic,
  droneDeviceIdSchema,
  droneTopic,
  robotDeviceIdSchema,
  isofleetInterfaceName,
  roomOfDoorSensor,
  siteUsername,
  splitSiteUsername,
  vdaInterfaceName,
  vdaTopic,
  type Device,
  type DeviceKind,
} from '../../protocol/index.js';

/**
 * A device as the broker knows it. Its id tells the kind: `{manufacturer}/{serialNumber}` for a
 * robot, `{droneId}` for a drone, `sensors/doors/{room}` for a room's door sensor (no `/`, one,
 * two). Its MQTT username is its id, with `@{site}` after it when it belongs to a site of a
 * shared broker (see `siteUsername`).
 */
export type DeviceIdentity = (
  | { kind: 'robot'; id: string; manufacturer: string; serialNumber: string }
  | { kind: 'drone'; id: string; droneId: string }
  | { kind: 'doorSensor'; id: string; room: string }
) & { site?: string };

/** Reads an MQTT username (`id` or `id@site`) as a device; `undefined` for anything else (the controller included). */
export function parseDeviceId(username: string): DeviceIdentity | undefined {
  const split = splitSiteUsername(username);
  if (!split) return undefined;
  const { id } = split;
  const site = split.site === undefined ? {} : { site: split.site };
  if (robotDeviceIdSchema.safeParse(id).success) {
    const [manufacturer, serialNumber] = id.split('/') as [string, string];
    return { kind: 'robot', id, manufacturer, serialNumber, ...site };
  }
  if (droneDeviceIdSchema.safeParse(id).success) return { kind: 'drone', id, droneId: id, ...site };
  if (doorSensorDeviceIdSchema.safeParse(id).success) return { kind: 'doorSensor', id, room: roomOfDoorSensor(id), ...site };
  return undefined;
}

/** A device's MQTT username: its id, `@{site}` after it at a site. */
export const deviceUsername = (device: DeviceIdentity): string => siteUsername(device.id, device.site);

/** The device of `kind` with id `id` at `site`, or `undefined` when `id` is not one of that kind. */
export function deviceOfKind(kind: DeviceKind, id: string, site?: string): DeviceIdentity | undefined {
  const device = parseDeviceId(id);
  return device?.kind === kind && device.site === undefined ? { ...device, ...(site === undefined ? {} : { site }) } : undefined;
}

/**
 * The topics a device may use, and only those (exact topics of its own site, no wildcards):
 * a robot publishes its `state`, `visualization`, `connection`, `factsheet` and subscribes to its
 * `order`, `instantActions`; a drone publishes its `telemetry`, `connection` and subscribes to
 * its `mission`, `command`; a door sensor publishes its own room's door topic and subscribes to
 * nothing.
 */
export function deviceTopics(device: DeviceIdentity): { publish: string[]; subscribe: string[] } {
  if (device.kind === 'robot') {
    const vehicle = { manufacturer: device.manufacturer, serialNumber: device.serialNumber };
    return {
      publish: (['state', 'visualization', 'connection', 'factsheet'] as const).map((t) => vdaTopic(vehicle, t, device.site)),
      subscribe: (['order', 'instantActions'] as const).map((t) => vdaTopic(vehicle, t, device.site)),
    };
  }
  if (device.kind === 'doorSensor') return { publish: [doorSensorTopic(device.room, device.site)], subscribe: [] };
  return {
    publish: (['telemetry', 'connection'] as const).map((t) => droneTopic(device.droneId, t, device.site)),
    subscribe: (['mission', 'command'] as const).map((t) => droneTopic(device.droneId, t, device.site)),
  };
}

/**
 * Whether the controller of `site` may publish to a topic, or subscribe to a filter: its first
 * level is one of the site's interface names (`uagv-{site}`, `isofleet-{site}`), so the filter
 * covers nothing of another site. A wildcard first level (`#`, `+/…`) is refused.
 */
export function withinSite(site: string, topicOrFilter: string): boolean {
  const first = topicOrFilter.split('/', 1)[0];
  return first === vdaInterfaceName(site) || first === isofleetInterfaceName(site);
}

/**
 * The session a client signed in as `username` gets for the `clientId` it presented, or
 * `undefined` when it is refused (CONNACK 2). A device may present any client id (vda-5050-lib,
 * for one, makes up a random one each start): its session is bound to its username, so it
 * always gets its own session, never another device's (its subscriptions, its queued orders),
 * whatever id it presents, and a persistent session resumes under the same username whatever id
 * it presents next time. This is what Mosquitto's `use_username_as_clientid true` does.
 * The controller (`controller`, or `controller@{site}`) keeps the id it presents, `controller` or `controller:` and anything after it
 * (see {@link controllerClientId}), so controllers sharing one broker without logins (the tests)
 * stay apart; any other id is refused, so the controller cannot take over a device's session.
 */
export function sessionIdFor(username: string, clientId: string): string | undefined {
  if (splitSiteUsername(username)?.id === CONTROLLER_USERNAME) return clientId === CONTROLLER_USERNAME || clientId.startsWith(`${CONTROLLER_USERNAME}:`) ? clientId : undefined;
  return username;
}

/** A fresh client id for the controller, `controller:` and 8 random hex digits; see {@link sessionIdFor}. */
export function controllerClientId(): string {
  return `${CONTROLLER_USERNAME}:${randomBytes(4).toString('hex')}`;
}

/**
 * A device's MQTT password derived from a shared secret (`ISOFLEET_DEVICE_SECRET`):
 * HMAC-SHA256(secret, `isofleet-device:` + id), base64url. For development and tests: the
 * controller and the simulator both derive it, so a simulated fleet joins with no provisioning.
 * Anyone holding the secret can be any device, the controller included; production sites
 * provision devices instead. Pass {@link CONTROLLER_USERNAME} for the controller's password.
 */
export function derivedDevicePassword(secret: string, deviceId: string): string {
  return createHmac('sha256', secret).update(`isofleet-device:${deviceId}`).digest('base64url');
}

/** Compares two secrets in constant time whatever their lengths (HMACs of both). */
export function secretsEqual(a: string, b: string): boolean {
  const key = randomBytes(16);
  const mac = (s: string) => createHmac('sha256', key).update(s).digest();
  return timingSafeEqual(mac(a), mac(b));
}

/** Mosquitto 2.x's default iterations (`mosquitto_passwd`, PW_DEFAULT_ITERATIONS). */
const MOSQUITTO_ITERATIONS = 101;

/**
 * A password hash in Mosquitto 2.x's `password_file` format: `$7$101$salt$hash`, PBKDF2-SHA512,
 * 101 iterations, 12-byte salt, 64-byte key, both base64 (checked against `mosquitto_passwd`
 * 2.0.11). So few iterations are fine here because device passwords are 256 random bits, not
 * words a person chose; users' passwords use scrypt.
 */
export function mosquittoPasswordHash(password: string, salt: Buffer = randomBytes(12)): string {
  const key = pbkdf2Sync(password, salt, MOSQUITTO_ITERATIONS, 64, 'sha512');
  return `$7$${MOSQUITTO_ITERATIONS}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches a {@link mosquittoPasswordHash} (any iteration count up to 10^6). */
export function verifyMosquittoPasswordHash(password: string, stored: string): boolean {
  const match = /^\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match) return false;
  const iterations = Number(match[1]);
  const expected = Buffer.from(match[3]!, 'base64');
  if (iterations < 1 || iterations > 1_000_000 || expected.length !== 64) return false;
  return timingSafeEqual(pbkdf2Sync(password, Buffer.from(match[2]!, 'base64'), iterations, 64, 'sha512'), expected);
}

/** A device password: 32 random bytes, base64url. */
export function generateDevicePassword(): string {
  return randomBytes(32).toString('base64url');
}

/** One provisioned device with its stored hash, for writing the broker's files. */
export interface DeviceCredential {
  device: Device;
  /** {@link mosquittoPasswordHash} of its password. */
  mosquittoHash: string;
}

/** Devices provisioned through the admin API, with hashed MQTT passwords. */
export interface DeviceStore {
  /** Adds a device with a fresh random password, returned this once; `exists` when the id is taken. */
  provision(device: { kind: DeviceKind; id: string }): { ok: true; device: Device; password: string } | { ok: false; reason: 'exists' };
  find(id: string): Device | undefined;
  /** All devices, by id. */
  list(): Device[];
  /** Removes a device; false when there was none. Its open MQTT connection stays until it reconnects. */
  delete(id: string): boolean;
  /** The device when `password` is its password. */
  verify(id: string, password: string): Device | undefined;
  /** Every device with its hash, for the Mosquitto files. */
  credentials(): DeviceCredential[];
}

/** Broker logins derived from `ISOFLEET_DEVICE_SECRET`: a device signs in with its id and the HMAC of it. */
export function derivedCredentials(secret: string): (deviceId: string) => { username: string; password: string } {
  return (deviceId) => ({ username: deviceId, password: derivedDevicePassword(secret, deviceId) });
}
