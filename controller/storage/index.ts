export { openDatabase, migrate, type Db, type Migration } from './database.js';
export { SqliteStore } from './sqlite-store.js';
export { PostgresStore, SiteTakenError } from './postgres-store.js';
export { openStore, isPostgresUrl, redactLocation, StoreUnavailableError, type OpenedStore } from './open-store.js';
export { writeInBackground } from './write-in-background.js';
export type { SiteDirectory, SiteReport } from './site-directory.js';
export type {
  Awaitable,
  Store,
  TripRecord,
  TripWindow,
  Page,
  RoundRecord,
  AuditEntry,
  Audit,
  MissionRecord,
  MissionSetup,
  MissionProgress,
  CoverageSnapshot,
  CoverageSample,
} from './store.js';
