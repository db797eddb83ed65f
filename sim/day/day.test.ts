import { describe, expect, it } from 'vitest';
import { runDay, startCharges } from './day-run.js';

describe('a shortened day of service', () => {
  it('runs a medicine round, urgent medicine and a breakfast end to end: every room delivered, not collected or failed, nobody under the reserve', async () => {
    const lines: string[] = [];
    const result = await runDay({
      site: 'hotel',
      seed: 3,
      robots: 3,
      // The day is defined on the virtual clock, which cannot see into a broker in another
      // process: an embedded broker always, so not an `integration` file (CI's Mosquitto pass).
      speed: 2000,
      // 06:25 to the end of breakfast: medicine 1 at 06:30, urgent medicine during it, breakfast at 07:30.
      fromS: 6.4 * 3600,
      untilS: 7.5 * 3600,
      schedule: { occupied: 12, medicineRooms: 5, only: ['medicine 1', 'breakfast'], urgentCount: [1, 1], urgentWindowS: [6.55 * 3600, 6.6 * 3600] },
      onProgress: (line) => lines.push(line),
    });
    expect(result.startChargePct).toEqual(startCharges(3, 3));
    expect(result.startChargePct.every((pct) => pct >= 60 && pct <= 100)).toBe(true);
    expect(result.services.map((s) => s.name)).toEqual(['medicine 1', 'breakfast']);
    // The urgent medicine rides in the medicine round under way (6 rooms) or a round of its own.
    const rooms = result.services.reduce((n, s) => n + s.rooms, 0);
    expect(rooms).toBe(5 + 12 + 1);
    expect(result.trays).toBe(rooms);
    for (const s of result.services) expect(s.delivered + s.notCollected + s.failed).toBe(s.rooms);
    expect(result.delivered + result.notCollected + result.failed).toBe(result.trays);
    expect(result.delivered).toBeGreaterThan(0);
    expect(result.failed).toBe(0);
    expect(result.medicine).toBe(6);
    expect(result.urgent).toBe(1);
    expect(result.lateMedicine).toEqual({ count: 0, minutes: 0 });
    expect(result.belowReserve).toBe(0);
    expect(result.lowestChargePct).toBeGreaterThan(20);
    expect(result.deadlocks).toBe(0);
    // Robots rode lifts to the upper floors: they stood at landings and in cars.
    expect(result.queueWaitS.lift).toBeGreaterThan(0);
    expect(result.simH).toBeGreaterThanOrEqual(7.5);
    // Every delivered room had its ETA recorded at its round's start and at its tray's loading.
    expect(result.etaError.atStart.n).toBe(result.delivered);
    expect(result.etaError.atLoad.n).toBe(result.delivered);
    expect(result.headOn).toBe(0);
    expect(lines.some((l) => /^06:30 {2}medicine 1 started: 5 rooms, due by 08:00/.test(l))).toBe(true);
    expect(lines.some((l) => /urgent medicine for room \d+/.test(l))).toBe(true);
    expect(lines.some((l) => /breakfast done/.test(l))).toBe(true);
  }, 120_000);
});
