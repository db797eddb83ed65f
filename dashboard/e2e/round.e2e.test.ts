import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Round, TripView } from '../src/api/types.js';
import { hasChromium, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  // The trays are confirmed here, on the screen: the simulated medic would race the clicks (and load the robots itself when it wins).
  system = await startSystem({ speed: 40, robots: 2, autoTrips: false, medic: 'manual' });
});
afterAll(async () => system?.stop());

const ROOMS = ['101', '102', '103', '205', '206'];

describe.skipIf(!hasChromium)("a round's loading plan", () => {
  it('plans a round from room numbers and the medic confirms it tray by tray', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    await page.getByTestId('tab-plan').click();
    for (const room of ROOMS) {
      await page.getByTestId('round-add').click();
      for (const digit of room) await page.getByTestId(`key-${digit}`).click();
      await page.getByTestId('pad-ok').click();
    }
    await expect.poll(() => page.getByTestId('new-round-rooms').locator('button').count()).toBe(ROOMS.length);
    await page.getByTestId('round-create').click();
    await expect.poll(() => page.getByTestId('plan-tray').count(), { timeout: 20_000 }).toBe(ROOMS.length);
    await screenshot(page, 'round-plan');

    // The first trip that waits at the station: confirm its trays one by one.
    const waiting = page.locator('[data-testid=plan-trip].waiting').first();
    await expect.poll(() => waiting.count(), { timeout: 60_000 }).toBe(1);
    const tripId = (await waiting.getAttribute('data-trip'))!;
    const trays = (await system.api<TripView>('GET', `/api/trips/${tripId}`)).body.trays.map((t) => t.tray);
    expect(trays.length).toBeGreaterThan(0);
    for (const [i, tray] of trays.entries()) {
      const before = (await system.api<TripView>('GET', `/api/trips/${tripId}`)).body;
      expect(before.loading?.confirmedTrays ?? []).toHaveLength(i);
      await waiting.locator(`[data-testid=plan-tray][data-tray="${tray}"] [data-testid=plan-confirm]`).click();
      await expect.poll(async () => (await system.api<TripView>('GET', `/api/trips/${tripId}`)).body.loading?.confirmedTrays ?? []).toContain(tray);
      if (i === 0) await screenshot(page, 'round-plan-confirming');
    }
    // Each room's time next to it ("~12:41"), large enough to read in gloves at arm's length, from the API's ETA.
    const etas = page.getByTestId('plan-tray-eta');
    await expect.poll(() => etas.count(), { timeout: 20_000 }).toBe(ROOMS.length);
    // Predicted ("~12:41"), or when it was collected ("✓ 12:43").
    for (const text of await etas.allTextContents()) expect(text.trim()).toMatch(/^(~|✓ )\d\d:\d\d$/);
    expect(await etas.first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(24);
    const planned = (await system.api<Round>('GET', `/api/rounds/${(await page.getByTestId('round').getAttribute('data-round'))!}`)).body;
    for (const room of planned.rooms) expect(room.etaMs).toBeGreaterThan(Date.parse(planned.createdAt));
    // All confirmed: the robot leaves and the rooms go on their way.
    const roundId = (await page.getByTestId('round').getAttribute('data-round'))!;
    await expect
      .poll(
        async () => {
          const round = (await system.api<Round>('GET', `/api/rounds/${roundId}`)).body;
          return round.rooms.filter((r) => r.tripId === tripId).every((r) => r.status !== 'pending' && r.status !== 'loaded');
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    // The fleet view: a robot on its way shows its next room with its ETA, in English and in Chinese.
    const fleet = await system.browser.context.newPage();
    try {
      await fleet.goto(system.url('/fleet'));
      const next = fleet.getByTestId('robot-next-room');
      await expect.poll(() => next.count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const cell = next.first();
      const room = (await cell.getAttribute('data-room'))!;
      const robot = (await cell.locator('xpath=ancestor::tr').getAttribute('data-robot'))!;
      const now = (await system.api<Round>('GET', `/api/rounds/${roundId}`)).body;
      expect(now.rooms.some((r) => r.room === room && r.robot === robot)).toBe(true);
      expect((await cell.textContent())!.trim()).toMatch(new RegExp(`^Next: ${room} ~\\d\\d:\\d\\d$`));
      await screenshot(fleet, 'fleet-next-room');
      await fleet.getByTestId('language-switch').click();
      await expect.poll(async () => (await next.first().textContent())!.trim()).toMatch(/^下一间：\d+ 约\d\d:\d\d$/);
      await fleet.getByTestId('language-switch').click();
    } finally {
      await fleet.close();
    }
    await expect
      .poll(() => page.locator(`[data-testid=plan-trip][data-trip="${tripId}"] [data-testid=plan-tray][data-status=delivered]`).count(), { timeout: 150_000, interval: 500 })
      .toBeGreaterThan(0);
    // A collected room shows when it was collected.
    await expect.poll(async () => (await page.locator('[data-testid=plan-tray][data-status=delivered] [data-testid=plan-tray-eta]').first().textContent())?.trim()).toMatch(/^✓ \d\d:\d\d$/);
    await screenshot(page, 'round-plan-delivered');
  });
});
