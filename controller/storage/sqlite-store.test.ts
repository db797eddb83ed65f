import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';
import { describeStoreContract } from './store-contract.test-support.js';

describeStoreContract('SQLite', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'isofleet.db');
  return { store: new SqliteStore(file), reopen: async () => new SqliteStore(file) };
});

describe('SQLite store', () => {
  it('writes ahead (WAL): readers never block the writer', () => {
    const store = new SqliteStore(path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-')), 'isofleet.db'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
  });

  it('refuses to change or delete audit entries', () => {
    const store = new SqliteStore(':memory:');
    store.audit({ at: 'x', actor: 'a', action: 'b', subject: 'c' });
    expect(() => store.db.prepare("UPDATE audit SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(store.auditLog({ subject: 'c' })).toHaveLength(1);
  });

  it('runs each migration once', () => {
    const store = new SqliteStore(':memory:');
    // A second store on the same database finds the tables in place.
    expect(() => new SqliteStore(store.db)).not.toThrow();
    expect(store.db.prepare("SELECT version FROM schema_migrations WHERE module = 'storage'").get()).toEqual({ version: 4 });
  });
});
