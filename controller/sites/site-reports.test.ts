import { describe, expect, it } from 'vitest';
import type { SiteDirectory, SiteReport } from '../storage/index.js';
import { REPORT_STALE_MS, startSiteReports } from './site-reports.js';

const health = { robots: 2, robotsOnline: 1, drones: 0, dronesOnline: 0, tripsUnderWay: 1, openAlerts: 3 };

/** The directory's rows in memory (the PostgreSQL one is in sites.integration). */
function memoryDirectory(site: string, rows: SiteReport[]): SiteDirectory {
  return {
    report: async (report) => {
      rows.splice(0, rows.length, ...rows.filter((r) => r.site !== site), { site, ...report });
    },
    reports: async () => [...rows].sort((a, b) => a.site.localeCompare(b.site)),
  };
}

describe('site reports', () => {
  it('lists the own site live first, then the others; a site silent for 30 s is not current', async () => {
    let now = Date.parse('2026-11-30T02:00:00Z');
    const rows: SiteReport[] = [{ site: 'a', map: 'hotel', address: null, health, reportedAt: new Date(now - REPORT_STALE_MS).toISOString() }];
    const reports = startSiteReports({ directory: memoryDirectory('b', rows), site: 'b', map: 'park', address: 'http://b', health: () => health, log: { warn: () => {} }, now: () => now });
    await Promise.resolve();
    expect(rows.map((r) => r.site)).toEqual(['a', 'b']);
    now += 1000;
    const list = await reports.list();
    reports.stop();
    expect(list.map((s) => [s.site, s.own, s.current, s.address])).toEqual([
      ['b', true, true, 'http://b'],
      ['a', false, false, null],
    ]);
    expect(list[0]!.reportedAt).toBe(new Date(now).toISOString());
  });

  it('is the own site alone without a shared database', async () => {
    const reports = startSiteReports({ site: 'hotel', map: 'hotel', address: null, health: () => health, log: { warn: () => {} } });
    expect((await reports.list()).map((s) => [s.site, s.own, s.health])).toEqual([['hotel', true, health]]);
    reports.stop();
  });
});
