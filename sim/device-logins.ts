import { z } from 'zod';
import { derivedCredentials, parseDeviceId } from '../controller/auth/index.js';
import type { MqttCredentials } from '../common/index.js';
import { describeProblems, parseJsonWith, siteUsername } from '../protocol/index.js';

/**
 * The file `npm run sim -- --credentials FILE` reads: each simulated device's broker password by
 * device id, as `POST /api/devices` gave it, e.g. `{"isofleet/robot-1": "…", "drone-1": "…"}`.
 */
export const deviceCredentialsFileSchema = z.record(z.string(), z.string().min(1, 'expected a password')).superRefine((passwords, ctx) => {
  for (const id of Object.keys(passwords)) {
    if (!parseDeviceId(id)) ctx.addIssue({ code: 'custom', path: [id], message: 'not a device id: MANUFACTURER/SERIAL for a robot, an id without / for a drone' });
  }
});

/** Reads {@link deviceCredentialsFileSchema} from the file's text; the error names the field. */
export function parseCredentialsFile(text: string): { ok: true; passwords: Record<string, string> } | { ok: false; error: string } {
  const parsed = parseJsonWith(deviceCredentialsFileSchema, text);
  return parsed.ok ? { ok: true, passwords: parsed.value } : { ok: false, error: describeProblems(parsed.problems) };
}

/** Where the simulated devices' passwords come from; neither means no logins (an open broker). */
export interface DeviceLoginSources {
  /** From `--credentials`: passwords by device id. */
  passwords?: Record<string, string>;
  /** `--device-secret`: derived passwords for any id the file does not hold. */
  secret?: string;
  /** The devices' site on a broker shared by several: usernames `{id}@{site}` (see `siteUsername`). */
  site?: string;
}

/**
 * Each of `deviceIds`' broker login (username `{id}@{site}` at a site): its password from the file, else derived from the secret.
 * Without either source, `undefined` logins (the devices connect anonymously); with a file but
 * no secret, the ids the file lacks are listed instead.
 */
export function deviceLogins(
  deviceIds: readonly string[],
  sources: DeviceLoginSources,
): { ok: true; login: ((deviceId: string) => MqttCredentials) | undefined } | { ok: false; missing: string[] } {
  const { passwords, secret, site } = sources;
  const fromSecret = secret === undefined ? undefined : derivedCredentials(secret);
  const derived = fromSecret && ((id: string) => fromSecret(siteUsername(id, site)));
  if (!passwords) return { ok: true, login: derived };
  // hasOwn: a device id such as `constructor` must not find Object.prototype's.
  const fromFile = (id: string) => (Object.hasOwn(passwords, id) ? passwords[id] : undefined);
  const missing = derived ? [] : deviceIds.filter((id) => fromFile(id) === undefined);
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    login: (id) => {
      const password = fromFile(id);
      if (password !== undefined) return { username: siteUsername(id, site), password };
      if (derived) return derived(id);
      throw new Error(`no login for ${id}: not one of the ids deviceLogins checked`);
    },
  };
}
