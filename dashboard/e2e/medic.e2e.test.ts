import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TripView } from '../src/api/types.js';
import { hasChromium, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 40, robots: 3, autoTrips: false });
});
afterAll(async () => system?.stop());

/** Types a room on the number pad and confirms it. */
async function enterRoom(page: TestSystem['browser']['page'], room: string): Promise<void> {
  for (const digit of room) await page.getByTestId(`key-${digit}`).click();
  await page.getByTestId('pad-ok').click();
}

describe.skipIf(!hasChromium)('medic loading screen', () => {
  it('loads three trays, sends the robot, and shows them delivered', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    await page.getByTestId('robot-robot-1').click();
    await page.getByTestId('tray-1').click();
    // An unknown room is refused on the pad, before anything is sent.
    await enterRoom(page, '999');
    await expect.poll(() => page.getByTestId('pad-error').isVisible()).toBe(true);
    await page.getByTestId('key-clear').click();
    await enterRoom(page, '101');
    // The pad moves on to tray 2 by itself.
    await enterRoom(page, '102');
    await page.getByTestId('item-medicine').click();
    await enterRoom(page, '104');
    expect(await page.getByTestId('tray-room-1').textContent()).toBe('101');
    expect(await page.getByTestId('tray-room-3').textContent()).toBe('104');
    await screenshot(page, 'medic-loading');
    await page.getByTestId('review').click();
    await expect.poll(() => page.getByTestId('review-list').locator('li').count()).toBe(3);
    await screenshot(page, 'medic-review');
    await page.getByTestId('send').click();
    await expect.poll(() => page.getByTestId('medic-message').textContent()).toMatch(/trip|行程/i);

    const trips = (await system.api<TripView[]>('GET', '/api/trips')).body;
    expect(trips).toHaveLength(1);
    const trip = trips[0]!;
    expect(trip.robot).toBe('robot-1');
    expect(trip.trays.map((t) => [t.tray, t.room, t.item])).toEqual([
      [1, '101', 'meal'],
      [2, '102', 'meal'],
      [3, '104', 'medicine'],
    ]);

    // Live progress: the trip card appears, and every tray ends collected or coming back.
    const card = page.locator(`[data-testid=trip][data-trip="${trip.id}"]`);
    await expect.poll(() => card.count()).toBe(1);
    await expect.poll(async () => (await system.api<TripView>('GET', `/api/trips/${trip.id}`)).body.status, { timeout: 150_000, interval: 500 }).toBe('done');
    const final = (await system.api<TripView>('GET', `/api/trips/${trip.id}`)).body;
    // The screen shows exactly what the server says, tray by tray.
    for (const tray of final.trays) {
      await expect.poll(() => card.locator(`[data-testid=tray-progress][data-tray="${tray.tray}"]`).getAttribute('data-status'), { timeout: 5_000 }).toBe(tray.status);
    }
    await expect.poll(() => card.getAttribute('data-status')).toBe('done');
    expect(final.trays.filter((t) => t.status === 'delivered').length).toBeGreaterThanOrEqual(2);
    expect(await card.getByText('Collected').count()).toBe(final.trays.filter((t) => t.status === 'delivered').length);
    await screenshot(page, 'medic-delivered');
  });

  it('the robot kiosk is the same screen locked to one robot', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/kiosk/robot-2'));
    await expect.poll(() => page.getByTestId('kiosk-title').textContent()).toContain('robot-2');
    expect(await page.getByTestId('robot-robot-1').count()).toBe(0);
    await page.getByTestId('tray-1').click();
    // Recent rooms are one tap away.
    await page.getByTestId('recent-104').click();
    expect(await page.getByTestId('tray-room-1').textContent()).toBe('104');
    await page.getByTestId('review').click();
    await page.getByTestId('send').click();
    await expect.poll(async () => (await system.api<TripView[]>('GET', '/api/trips')).body.some((t) => t.robot === 'robot-2')).toBe(true);
    await screenshot(page, 'kiosk-robot-2');
  });

  it('serves /kiosk/robot-3 as a path too (SPA fallback)', async () => {
    const { page } = system.browser;
    await page.goto(`${system.demo.url}kiosk/robot-3`);
    await expect.poll(() => page.getByTestId('kiosk-title').textContent()).toContain('robot-3');
  });
});
