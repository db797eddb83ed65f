export { openDatabase, migrate, type Db, type Migration } from './database.js';
export { SqliteStore } from './sqlite-store.js';
export type { Store, TripRecord, RoundRecord, AuditEntry, Audit, MissionRecord, MissionSetup, MissionProgress, CoverageSnapshot, CoverageSample } from './store.js';
