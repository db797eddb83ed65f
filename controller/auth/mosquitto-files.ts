import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTROLLER_USERNAME, doorSensorDeviceId, roomOfDoorSensor, siteTopicFilters, siteUsername, type DeviceKind } from '../../protocol/index.js';
import { derivedDevicePassword, deviceOfKind, deviceTopics, deviceUsername, mosquittoPasswordHash, parseDeviceId, type DeviceIdentity, type DeviceStore } from './device-credentials.js';

/** One MQTT user of the Mosquitto files: the controller (everything) or a device (its own topics). */
export interface MosquittoUser {
  /** The controller, or a device. */
  who: 'controller' | DeviceIdentity;
  /** `$7$…` hash of its password ({@link mosquittoPasswordHash}). */
  mosquittoHash: string;
  /** The controller's site (user `controller@{site}`, kept to its site's topics); none: user `controller`, everything. */
  site?: string;
}

/** The two files, as text. */
export interface MosquittoFiles {
  /** For `password_file`: `username:$7$101$salt$hash` lines (Mosquitto 2.x, PBKDF2-SHA512). */
  passwordFile: string;
  /** For `acl_file`: one `user` block per user with `topic read|write|readwrite` lines. */
  aclFile: string;
}

const usernameOf = (user: MosquittoUser) => (user.who === 'controller' ? siteUsername(CONTROLLER_USERNAME, user.site) : deviceUsername(user.who));

/**
 * Mosquitto's `password_file` and `acl_file` for the same rules as the embedded broker's
 * `brokerAuth`: the controller reads and writes everything (a site's controller, everything of
 * its site: `siteTopicFilters`); each device writes the topics it publishes and reads the ones it
 * subscribes to, exactly (no wildcards). The files of several sites sharing one broker are the
 * concatenation of each site's (their usernames differ by their `@{site}`). Explicit `user` blocks
 * rather than `pattern … %u` lines, because Mosquitto 2 refuses `%u` substitution for usernames
 * with a `/`, which every robot's has. Throws on a username given twice (a caller bug).
 */
export function mosquittoFiles(users: readonly MosquittoUser[]): MosquittoFiles {
  const names = users.map(usernameOf);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new Error(`${twice} is listed twice`);
  const password = users.map((user) => `${usernameOf(user)}:${user.mosquittoHash}\n`).join('');
  const acl = [
    '# Written by isofleet (npm run mosquitto-files). Anonymous clients get nothing: set allow_anonymous false',
    '# and use_username_as_clientid true (one session per device, see mosquittoConfLines).',
    '',
  ];
  for (const user of users) {
    acl.push(`user ${usernameOf(user)}`);
    if (user.who === 'controller') acl.push(...(user.site === undefined ? ['#'] : siteTopicFilters(user.site)).map((filter) => `topic readwrite ${filter}`));
    else {
      const topics = deviceTopics(user.who);
      acl.push(...topics.publish.map((t) => `topic write ${t}`), ...topics.subscribe.map((t) => `topic read ${t}`));
    }
    acl.push('');
  }
  return { passwordFile: password, aclFile: acl.join('\n') };
}

/** A user whose password is known (derived from the device secret, or given): hashed here. `site`: the controller's. */
export function mosquittoUser(who: 'controller' | DeviceIdentity, password: string, site?: string): MosquittoUser {
  return { who, mosquittoHash: mosquittoPasswordHash(password), ...(who === 'controller' && site !== undefined ? { site } : {}) };
}

/** What {@link buildMosquittoUsers} needs. */
export interface MosquittoFilesInput {
  env: Record<string, string | undefined>;
  /** Provisioned devices, with their stored hashes. */
  devices?: Pick<DeviceStore, 'credentials'>;
  robots?: string[];
  drones?: string[];
  /** Rooms whose door sensors (`sensors/doors/{room}`) get a login. */
  doorSensors?: string[];
  /** The site (`ISOFLEET_SITE_ID`): usernames `{id}@{site}`, the controller kept to the site's topics. */
  site?: string;
}

const MALFORMED: Record<DeviceKind, (id: string) => string> = {
  robot: (id) => `--robot ${id}: expected MANUFACTURER/SERIAL without + # : or blanks`,
  drone: (id) => `--drone ${id}: expected an id without / + # : or blanks`,
  doorSensor: (id) => `--door-sensor ${roomOfDoorSensor(id)}: expected a room number (letters, digits and dashes)`,
};

/** The users of the files; expected failures (a bad id, no secret) are an error list. */
export function buildMosquittoUsers(input: MosquittoFilesInput): { ok: true; users: MosquittoUser[]; notes: string[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const notes: string[] = [];
  const secret = input.env.ISOFLEET_DEVICE_SECRET || undefined;
  const { site } = input;
  const controllerPassword = input.env.ISOFLEET_CONTROLLER_PASSWORD || (secret && derivedDevicePassword(secret, siteUsername(CONTROLLER_USERNAME, site)));
  if (!controllerPassword) errors.push('set ISOFLEET_CONTROLLER_PASSWORD or ISOFLEET_DEVICE_SECRET: the controller needs a password');
  const users: MosquittoUser[] = [];
  const taken = new Set<string>();

  for (const { device, mosquittoHash } of input.devices?.credentials() ?? []) {
    const who = parseDeviceId(device.username);
    if (!who || who.site !== site) {
      errors.push(who ? `stored device ${device.username} is not of site ${site ?? '(none)'}` : `stored device ${device.id} has a malformed id`);
      continue;
    }
    users.push({ who, mosquittoHash });
    taken.add(device.id);
  }
  const listed: [DeviceKind, string][] = [
    ...(input.robots ?? []).map((id) => ['robot', id] as [DeviceKind, string]),
    ...(input.drones ?? []).map((id) => ['drone', id] as [DeviceKind, string]),
    ...(input.doorSensors ?? []).map((room) => ['doorSensor', doorSensorDeviceId(room)] as [DeviceKind, string]),
  ];
  if (listed.length > 0 && !secret) errors.push('devices given by id need ISOFLEET_DEVICE_SECRET to derive their passwords');
  for (const [kind, id] of listed) {
    const who = deviceOfKind(kind, id, site);
    if (!who) errors.push(MALFORMED[kind](id));
    else if (taken.has(id)) notes.push(`${id} is provisioned in the database; its stored password is kept`);
    else if (secret) {
      users.push(mosquittoUser(who, derivedDevicePassword(secret, deviceUsername(who))));
      taken.add(id);
    }
  }
  if (errors.length > 0 || !controllerPassword) return { ok: false, errors };
  return { ok: true, users: [mosquittoUser('controller', controllerPassword, site), ...users], notes };
}

/**
 * The mosquitto.conf lines that put the files to use: no anonymous clients, and
 * `use_username_as_clientid true`, with which Mosquitto replaces each client's id by its
 * username, so a device presenting another's client id gets its own session instead of taking
 * over the other's (the embedded broker does the same, see `sessionIdFor`). Persistent sessions
 * keep working: a device that comes back finds its session under its username.
 */
export function mosquittoConfLines(files: { passwordFile: string; aclFile: string }): string[] {
  return ['allow_anonymous false', 'use_username_as_clientid true', `password_file ${files.passwordFile}`, `acl_file ${files.aclFile}`];
}

/** Writes `passwd` (0600: it holds hashes) and `acl` into `dir`; returns their paths. */
export function writeMosquittoFiles(dir: string, users: readonly MosquittoUser[]): { passwordFile: string; aclFile: string } {
  const files = mosquittoFiles(users);
  mkdirSync(dir, { recursive: true });
  const passwordFile = path.resolve(dir, 'passwd');
  const aclFile = path.resolve(dir, 'acl');
  writeFileSync(passwordFile, files.passwordFile, { mode: 0o600 });
  chmodSync(passwordFile, 0o600); // writeFileSync's mode applies only to a new file
  writeFileSync(aclFile, files.aclFile);
  return { passwordFile, aclFile };
}
