import { siteUsername, type Device, type DeviceKind } from '../../protocol/index.js';
import type { Db } from '../storage/database.js';
import { generateDevicePassword, mosquittoPasswordHash, verifyMosquittoPasswordHash, type DeviceCredential, type DeviceStore } from './device-credentials.js';
import { migrateAuth } from './user-store.js';

interface DeviceRow {
  id: string;
  kind: DeviceKind;
  password_hash: string;
  created_at: string;
}
/**
 * {@link DeviceStore} in SQLite (`auth_devices`). Ids are checked by the API schema, not here.
 * The devices are those of one site (the controller's): their usernames are `{id}@{site}`.
 */
export class SqliteDeviceStore implements DeviceStore {
  private readonly statements;
  private readonly toDevice: (row: DeviceRow) => Device;

  constructor(db: Db, site?: string) {
    this.toDevice = (row) => ({ kind: row.kind, id: row.id, username: siteUsername(row.id, site), createdAt: row.created_at });
    migrateAuth(db);
    this.statements = {
      insert: db.prepare('INSERT INTO auth_devices (id, kind, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      find: db.prepare('SELECT * FROM auth_devices WHERE id = ?'),
      list: db.prepare('SELECT * FROM auth_devices ORDER BY id'),
      remove: db.prepare('DELETE FROM auth_devices WHERE id = ?'),
    };
  }

  provision(device: { kind: DeviceKind; id: string }): { ok: true; device: Device; password: string } | { ok: false; reason: 'exists' } {
    const password = generateDevicePassword();
    const { changes } = this.statements.insert.run(device.id, device.kind, mosquittoPasswordHash(password), new Date().toISOString());
    if (changes !== 1) return { ok: false, reason: 'exists' };
    return { ok: true, device: this.find(device.id)!, password };
  }

  find(id: string): Device | undefined {
    const row = this.statements.find.get(id) as DeviceRow | undefined;
    return row && this.toDevice(row);
  }

  list(): Device[] {
    return (this.statements.list.all() as DeviceRow[]).map(this.toDevice);
  }

  delete(id: string): boolean {
    return this.statements.remove.run(id).changes === 1;
  }

  verify(id: string, password: string): Device | undefined {
    const row = this.statements.find.get(id) as DeviceRow | undefined;
    return row && verifyMosquittoPasswordHash(password, row.password_hash) ? this.toDevice(row) : undefined;
  }

  credentials(): DeviceCredential[] {
    return (this.statements.list.all() as DeviceRow[]).map((row) => ({ device: this.toDevice(row), mosquittoHash: row.password_hash }));
  }
}
