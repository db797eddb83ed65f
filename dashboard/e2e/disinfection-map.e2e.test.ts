import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TripView } from '../../protocol/index.js';
import { hasChromium, screenshot, type Page } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 40, robots: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

/** Pixels of the floor map in the badge's colour (#0f6b5c), which nothing else on the map uses. */
const badgePixels = (page: Page) =>
  page.getByTestId('floor-canvas').evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === 0x0f && data[i + 1] === 0x6b && data[i + 2] === 0x5c) n++;
    return n;
  });

describe.skipIf(!hasChromium)('disinfections on the floor map', () => {
  it('marks the ground floor’s station once a robot back from a red floor was disinfected there', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/fleet'));
    await page.getByTestId('level-G').click();
    await expect.poll(() => page.getByTestId('floor-canvas').isVisible()).toBe(true);
    expect(await badgePixels(page)).toBe(0);
    const sent = await system.api<{ id: string }>('POST', '/api/trips', { robot: 'robot-1', trays: [{ tray: 1, room: '101' }] });
    expect(sent.status).toBe(201);
    await expect.poll(async () => (await system.api<TripView>('GET', `/api/trips/${sent.body.id}`)).body.status, { timeout: 60_000, interval: 500 }).toBe('done');
    await expect.poll(() => badgePixels(page), { timeout: 10_000 }).toBeGreaterThan(20);
    await screenshot(page, 'fleet-disinfections');
  });
});
