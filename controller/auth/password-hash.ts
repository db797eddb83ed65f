import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and ~60–120 ms per hash on a small server (measured 124 ms on
 * the dev VM). Logins are rare (once a shift) and rate-limited, so the cost falls on guessing.
 * The parameters are stored in each hash, so raising them later keeps old hashes valid.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must exceed 128·N·r; node's default (32 MiB) is exactly 2^15·8·128 and too tight.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * Hashes a password with scrypt and a random 16-byte salt, as
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url). Runs on the libuv pool, not the event loop.
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Parses a stored hash; `undefined` when it is not one of ours. */
function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return undefined;
  return { params: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64url'), key: Buffer.from(parts[5]!, 'base64url') };
}

/** True when `password` matches `stored` (from {@link hashPassword}); compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length !== KEY_BYTES) return false;
  const key = await scryptAsync(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time of one verification and returns false: for unknown usernames, so that the
 * response time does not tell which usernames exist.
 */
export async function verifyAgainstNothing(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'), params);
  await verifyPassword(password, await dummy);
  return false;
}

/** A strong random password: 18 random bytes as 24 base64url characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
