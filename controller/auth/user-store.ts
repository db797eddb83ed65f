import type { Role, User } from '../../protocol/index.js';
import { migrate, type Db } from '../storage/database.js';
import { DEFAULT_SCRYPT, generatePassword, hashPassword, verifyAgainstNothing, verifyPassword, type ScryptParams } from './password-hash.js';

/** What a change to the users can fail on. */
export type UserChangeResult = { ok: true } | { ok: false; reason: 'exists' | 'notFound' | 'lastAdmin' };

/** Users and their password hashes. The hashes never leave the store. */
export interface UserStore {
  /** Adds a user; `exists` when the name is taken. */
  create(user: { username: string; password: string; role: Role }): Promise<UserChangeResult>;
  findByName(username: string): User | undefined;
  /** All users, by name. */
  list(): User[];
  /** Replaces a user's password; `notFound` when there is no such user. */
  setPassword(username: string, password: string): Promise<UserChangeResult>;
  /** Removes a user (and, in SQLite, their sessions); never the last admin. */
  delete(username: string): UserChangeResult;
  /** The user when the password is theirs; takes as long for an unknown name. */
  verify(username: string, password: string): Promise<User | undefined>;
}

/** Migrations of the `auth` module (users, sessions, devices). Once shipped, a step never changes. */
export const AUTH_MIGRATIONS = [
  (db: Db) =>
    db.exec(`
      CREATE TABLE auth_users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'medic', 'operator', 'admin')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- Sessions: only the SHA-256 of each token is kept, so a copy of the file signs nobody in.
      CREATE TABLE auth_sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES auth_users (username) ON DELETE CASCADE,
        expires_at_ms INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL
      );
      CREATE INDEX auth_sessions_username ON auth_sessions (username);
      CREATE TABLE auth_devices (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('robot', 'drone')),
        -- Mosquitto's PBKDF2-SHA512 format, so the broker files can be written from it.
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `),
  // Door sensors join the device kinds: SQLite cannot change a CHECK, so the table is copied.
  (db: Db) =>
    db.exec(`
      CREATE TABLE auth_devices_2 (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('robot', 'drone', 'doorSensor')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      INSERT INTO auth_devices_2 SELECT id, kind, password_hash, created_at FROM auth_devices;
      DROP TABLE auth_devices;
      ALTER TABLE auth_devices_2 RENAME TO auth_devices;
    `),
];

/** Runs the `auth` module's migrations; each auth store calls it, so any of them may be built first. */
export function migrateAuth(db: Db): void {
  migrate(db, 'auth', AUTH_MIGRATIONS);
}

interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  created_at: string;
}
const toUser = (row: UserRow): User => ({ username: row.username, role: row.role, createdAt: row.created_at });

/** {@link UserStore} on the SQLite database (table `auth_users`). */
export class SqliteUserStore implements UserStore {
  private readonly statements;

  /** @param options.scrypt hashing cost; default {@link DEFAULT_SCRYPT} (tests pass a cheap one). */
  constructor(
    private readonly db: Db,
    private readonly options: { scrypt?: ScryptParams } = {},
  ) {
    migrateAuth(db);
    this.statements = {
      insert: db.prepare('INSERT INTO auth_users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      find: db.prepare('SELECT * FROM auth_users WHERE username = ?'),
      list: db.prepare('SELECT * FROM auth_users ORDER BY username'),
      setHash: db.prepare('UPDATE auth_users SET password_hash = ? WHERE username = ?'),
      remove: db.prepare('DELETE FROM auth_users WHERE username = ?'),
      admins: db.prepare("SELECT count(*) AS n FROM auth_users WHERE role = 'admin'"),
    };
  }

  private get scrypt(): ScryptParams {
    return this.options.scrypt ?? DEFAULT_SCRYPT;
  }

  async create(user: { username: string; password: string; role: Role }): Promise<UserChangeResult> {
    if (this.findByName(user.username)) return { ok: false, reason: 'exists' };
    const hash = await hashPassword(user.password, this.scrypt);
    const { changes } = this.statements.insert.run(user.username, user.role, hash, new Date().toISOString());
    return changes === 1 ? { ok: true } : { ok: false, reason: 'exists' };
  }

  findByName(username: string): User | undefined {
    const row = this.statements.find.get(username) as UserRow | undefined;
    return row && toUser(row);
  }

  list(): User[] {
    return (this.statements.list.all() as UserRow[]).map(toUser);
  }

  async setPassword(username: string, password: string): Promise<UserChangeResult> {
    if (!this.findByName(username)) return { ok: false, reason: 'notFound' };
    const { changes } = this.statements.setHash.run(await hashPassword(password, this.scrypt), username);
    return changes === 1 ? { ok: true } : { ok: false, reason: 'notFound' };
  }

  delete(username: string): UserChangeResult {
    return this.db.transaction((): UserChangeResult => {
      const user = this.findByName(username);
      if (!user) return { ok: false, reason: 'notFound' };
      if (user.role === 'admin' && (this.statements.admins.get() as { n: number }).n <= 1) return { ok: false, reason: 'lastAdmin' };
      this.statements.remove.run(username);
      return { ok: true };
    })();
  }

  async verify(username: string, password: string): Promise<User | undefined> {
    const row = this.statements.find.get(username) as UserRow | undefined;
    if (!row) return verifyAgainstNothing(password, this.scrypt).then(() => undefined);
    return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
  }
}

/** What {@link ensureFirstAdmin} did. `generatedPassword` is for the caller to print once, and nowhere else. */
export type FirstAdminResult = { created: false } | { created: true; username: string; generatedPassword?: string };

/**
 * Makes sure an admin exists. With none: creates `ISOFLEET_ADMIN_USER` (default `admin`) with
 * `ISOFLEET_ADMIN_PASSWORD`, or with a generated strong password that is returned (the caller
 * prints it once; it is not logged). Throws on a configured password shorter than 10 characters:
 * a configuration error to fix before the controller starts.
 */
export async function ensureFirstAdmin(store: UserStore, env: Record<string, string | undefined> = process.env): Promise<FirstAdminResult> {
  if (store.list().some((u) => u.role === 'admin')) return { created: false };
  const username = env.ISOFLEET_ADMIN_USER || 'admin';
  const configured = env.ISOFLEET_ADMIN_PASSWORD;
  if (configured !== undefined && configured.length < 10) throw new Error('ISOFLEET_ADMIN_PASSWORD must have at least 10 characters');
  const password = configured ?? generatePassword();
  const result = await store.create({ username, password, role: 'admin' });
  if (!result.ok) throw new Error(`cannot create the first admin '${username}': the name is taken by a user who is not an admin`);
  return configured === undefined ? { created: true, username, generatedPassword: password } : { created: true, username };
}
