/**
 * HTTP contract of sign-in, users and devices: `POST /api/auth/login`, `POST /api/auth/logout`,
 * `GET /api/auth/me`, `PUT /api/auth/password`, `GET/POST /api/users`, `DELETE /api/users/:name`,
 * `GET/POST /api/devices`, `DELETE /api/devices/:id`.
 */
import { z } from 'zod';
import { doorSensorDeviceIdSchema } from '../sensors/doors.js';

/**
 * What a user may do (see `controller/auth/policy.ts` for the table): `viewer` reads only;
 * `medic` runs trips, rounds, tray confirmation, alerts and settings; `operator` runs drone
 * missions and acknowledges alerts; `admin` does everything, users, devices and the simulator included.
 */
export const roleSchema = z.enum(['viewer', 'medic', 'operator', 'admin']);
/** One of the four roles. */
export type Role = z.infer<typeof roleSchema>;
/** Every role, least privileged first. */
export const ROLES: readonly Role[] = roleSchema.options;

/** Lower-case letters, digits, `.`, `_`, `-`; 2 to 32 characters, starting with a letter or digit. */
export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'lower-case letters, digits, . _ -; 2 to 32 characters');

/** A new password: 10 to 256 characters (the upper bound keeps hashing cheap to refuse). */
export const newPasswordSchema = z.string().min(10, 'at least 10 characters').max(256);

/** `POST /api/auth/login` body. Any length up to 256 is accepted here; the policy applies to new passwords. */
export const loginBodySchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
/** `POST /api/auth/login` body. */
export type LoginBody = z.infer<typeof loginBodySchema>;

/** Who is signed in, and until when (ISO time). */
export const sessionSchema = z.object({ username: z.string(), role: roleSchema, expiresAt: z.string() });
/** Who is signed in. */
export type Session = z.infer<typeof sessionSchema>;

/** `POST /api/auth/login` reply: the bearer token for `Authorization: Bearer …` and the session. */
export const loginReplySchema = sessionSchema.extend({ token: z.string() });
/** `POST /api/auth/login` reply. */
export type LoginReply = z.infer<typeof loginReplySchema>;

/** `PUT /api/auth/password` body: a user changes their own password. Other sessions of the user end. */
export const changePasswordBodySchema = z.object({ currentPassword: z.string().min(1).max(256), newPassword: newPasswordSchema });
/** `PUT /api/auth/password` body. */
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

/** A user as the API shows it (never the password hash). `createdAt` is ISO time. */
export const userSchema = z.object({ username: z.string(), role: roleSchema, createdAt: z.string() });
/** A user. */
export type User = z.infer<typeof userSchema>;

/** `POST /api/users` body. */
export const createUserBodySchema = z.object({ username: usernameSchema, password: newPasswordSchema, role: roleSchema });
/** `POST /api/users` body. */
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

/** `PUT /api/users/:name/password` body (admin): the user's new password; their sessions end. */
export const resetPasswordBodySchema = z.object({ password: newPasswordSchema });
/** `PUT /api/users/:name/password` body. */
export type ResetPasswordBody = z.infer<typeof resetPasswordBodySchema>;

/** `robot` (VDA 5050), `drone` (isofleet/v1/drones) or `doorSensor` (isofleet/v1/sensors/doors). */
export const deviceKindSchema = z.enum(['robot', 'drone', 'doorSensor']);
/** A device kind. */
export type DeviceKind = z.infer<typeof deviceKindSchema>;

/** The MQTT username the controller itself uses; no device may take it. */
export const CONTROLLER_USERNAME = 'controller';

// No MQTT wildcards or separators inside a part, no ':' (Mosquitto's password file separator), no
// '@' (it puts the site in a username, see siteUsername), no blanks.
const idPart = '[^/+#:@\\s]+';
/** A robot id: `{manufacturer}/{serialNumber}`, as in its topics `uagv/v2/{manufacturer}/{serialNumber}/…`. */
export const robotDeviceIdSchema = z
  .string()
  .max(128)
  .regex(new RegExp(`^${idPart}/${idPart}$`), 'manufacturer/serialNumber, without + # : @ or blanks');
/** A drone id, as in its topics `isofleet/v1/drones/{id}/…`. */
export const droneDeviceIdSchema = z
  .string()
  .max(128)
  .regex(new RegExp(`^${idPart}$`), 'no / + # : @ or blanks')
  .refine((id) => id !== CONTROLLER_USERNAME, `'${CONTROLLER_USERNAME}' is reserved`);

/**
 * `POST /api/devices` body. A device's id is also its MQTT username: a robot's has one `/`, a
 * drone's none, a door sensor's two (`sensors/doors/{room}`), so the id alone tells the kind.
 */
export const provisionDeviceBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('robot'), id: robotDeviceIdSchema }),
  z.object({ kind: z.literal('drone'), id: droneDeviceIdSchema }),
  z.object({ kind: z.literal('doorSensor'), id: doorSensorDeviceIdSchema }),
]);
/** `POST /api/devices` body. */
export type ProvisionDeviceBody = z.infer<typeof provisionDeviceBodySchema>;

/** A provisioned device. `username` is its MQTT username (equal to `id`); `createdAt` is ISO time. */
export const deviceSchema = z.object({ kind: deviceKindSchema, id: z.string(), username: z.string(), createdAt: z.string() });
/** A provisioned device. */
export type Device = z.infer<typeof deviceSchema>;

/** `POST /api/devices` reply: the device and its MQTT password, shown this once. */
export const provisionedDeviceSchema = deviceSchema.extend({ password: z.string() });
/** `POST /api/devices` reply. */
export type ProvisionedDevice = z.infer<typeof provisionedDeviceSchema>;
