import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, generatePassword, hashPassword, verifyAgainstNothing, verifyPassword } from './password-hash.js';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('round-trips with the default cost, stored as scrypt$N$r$p$salt$hash', async () => {
    const stored = await hashPassword('correct horse battery', DEFAULT_SCRYPT);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts every hash, and reads the cost from the hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', CHEAP), hashPassword('same password', CHEAP)]);
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('treats Unicode compositions of the same password alike (NFC)', async () => {
    const stored = await hashPassword('caf\u00e9-password', CHEAP);
    expect(await verifyPassword('cafe\u0301-password', stored)).toBe(true);
  });

  it('refuses tampered, truncated and foreign hashes without throwing', async () => {
    const stored = await hashPassword('some password', CHEAP);
    const parts = stored.split('$');
    const tampered = [...parts.slice(0, 5), Buffer.alloc(32, 1).toString('base64url')].join('$');
    for (const bad of [tampered, parts.slice(0, 5).join('$'), '', 'scrypt$0$8$1$aa$bb', 'scrypt$99999999$8$1$aa$bb', '$7$101$abc$def', 'plain']) {
      expect(await verifyPassword('some password', bad), bad).toBe(false);
    }
  });

  it('spends a verification on unknown users and says no', async () => {
    expect(await verifyAgainstNothing('anything', CHEAP)).toBe(false);
  });

  it('generates 24-character base64url passwords, all different', () => {
    const passwords = new Set(Array.from({ length: 100 }, generatePassword));
    expect(passwords.size).toBe(100);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
