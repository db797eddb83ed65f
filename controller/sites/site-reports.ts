/**
 * The site's line in the district's list of sites: every 10 s (real time) the controller writes
 * its fleet's health beside its lease in the shared database (see `SiteDirectory`), and answers
 * `GET /api/sites` with every site's last report, its own site live.
 */
import type { SiteEntry, SiteHealth } from '../../protocol/index.js';
import type { SiteDirectory, SiteReport } from '../storage/index.js';

/** A report older than this is not current: its controller stopped, or lost its database. */
export const REPORT_STALE_MS = 30_000;

export interface SiteReportsOptions {
  /** The shared list (PostgreSQL); none for a site alone (SQLite): the list is the own site. */
  directory?: SiteDirectory;
  site: string;
  map: string;
  address: string | null;
  health: () => SiteHealth;
  log: { warn: (details: object, message: string) => void };
  /** Real ms between reports. Default 10 000. */
  intervalMs?: number;
  /** Wall clock ms; default Date.now (people read these times, whatever clock the fleet runs on). */
  now?: () => number;
}

/** Starts reporting (the first report at once); `list` answers `GET /api/sites`. */
export function startSiteReports(options: SiteReportsOptions): { list(): Promise<SiteEntry[]>; stop(): void } {
  const now = options.now ?? Date.now;
  const line = (): Omit<SiteReport, 'site'> => ({ map: options.map, address: options.address, health: options.health(), reportedAt: new Date(now()).toISOString() });
  const own = (): SiteReport => ({ site: options.site, ...line() });
  const report = () => {
    options.directory?.report(line()).catch((error: Error) => options.log.warn({ err: error.message }, 'site report not written'));
  };
  report();
  const timer = options.directory ? setInterval(report, options.intervalMs ?? 10_000) : undefined;
  timer?.unref();
  return {
    async list() {
      const others = ((await options.directory?.reports()) ?? []).filter((r) => r.site !== options.site);
      const entry = (r: SiteReport, isOwn: boolean): SiteEntry => ({ ...r, own: isOwn, current: isOwn || now() - Date.parse(r.reportedAt) < REPORT_STALE_MS });
      return [entry(own(), true), ...others.map((r) => entry(r, false))];
    },
    stop: () => clearInterval(timer),
  };
}
