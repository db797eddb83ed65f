import { createHash, randomBytes } from 'node:crypto';
import { systemClock, type Clock, type Role } from '../../protocol/index.js';
import type { Db } from '../storage/database.js';
import { migrateAuth } from './user-store.js';

/** A signed-in user, as a token resolves. */
export interface AuthUser {
  username: string;
  /** The user's role now: a role change applies to open sessions at once. */
  role: Role;
  /** When the session ends, ms since the epoch in the store's clock. */
  expiresAtMs: number;
}

/**
 * Bearer tokens. Opaque: 32 random bytes, base64url; the server keeps the session, so logout,
 * deleting a user and changing a password end sessions at once (a signed token would need a
 * revocation list, that is server state anyway).
 */
export interface SessionStore {
  /** Opens a session for an existing user. */
  issue(username: string): { token: string; expiresAtMs: number };
  /** The session's user, or `undefined` when the token is unknown, revoked or expired. */
  resolve(token: string): AuthUser | undefined;
  /** Ends one session (logout). */
  revoke(token: string): void;
  /** Ends every session of a user but `keep` (after a password change). */
  revokeUser(username: string, keep?: string): void;
}

/** Default session length: 12 h, one shift. */
export const DEFAULT_SESSION_TTL_MS = 12 * 3600_000;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * {@link SessionStore} in SQLite (`auth_sessions`): sessions survive a restart, and only each
 * token's SHA-256 is stored. A lookup is one primary-key read (microseconds), cheap enough for
 * every request. Expired rows are swept on each issue.
 */
export class SqliteSessionStore implements SessionStore {
  private readonly statements;
  private readonly clock: Clock;
  private readonly ttlMs: number;

  /** @param options.ttlMs session length, default {@link DEFAULT_SESSION_TTL_MS}; `clock` default system time. */
  constructor(db: Db, options: { ttlMs?: number; clock?: Clock } = {}) {
    migrateAuth(db);
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.statements = {
      insert: db.prepare('INSERT INTO auth_sessions (token_hash, username, expires_at_ms, created_at_ms) VALUES (?, ?, ?, ?)'),
      resolve: db.prepare(
        'SELECT s.username, u.role, s.expires_at_ms AS expiresAtMs FROM auth_sessions s JOIN auth_users u ON u.username = s.username WHERE s.token_hash = ? AND s.expires_at_ms > ?',
      ),
      revoke: db.prepare('DELETE FROM auth_sessions WHERE token_hash = ?'),
      revokeUser: db.prepare('DELETE FROM auth_sessions WHERE username = ? AND token_hash <> ?'),
      sweep: db.prepare('DELETE FROM auth_sessions WHERE expires_at_ms <= ?'),
    };
  }

  issue(username: string): { token: string; expiresAtMs: number } {
    const now = this.clock.now();
    this.statements.sweep.run(now);
    const token = randomBytes(32).toString('base64url');
    const expiresAtMs = now + this.ttlMs;
    this.statements.insert.run(digest(token), username, expiresAtMs, now);
    return { token, expiresAtMs };
  }

  resolve(token: string): AuthUser | undefined {
    // Tokens are 43 characters; refusing others early keeps junk headers from being hashed.
    if (token.length !== 43) return undefined;
    return this.statements.resolve.get(digest(token), this.clock.now()) as AuthUser | undefined;
  }

  revoke(token: string): void {
    this.statements.revoke.run(digest(token));
  }

  revokeUser(username: string, keep?: string): void {
    this.statements.revokeUser.run(username, keep === undefined ? '' : digest(keep));
  }
}
