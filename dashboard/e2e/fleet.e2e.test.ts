import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 40, robots: 4, autoTrips: true });
});
afterAll(async () => system?.stop());

describe.skipIf(!hasChromium)('fleet view', () => {
  it('lists every robot, draws the floor map with robots moving, and the delivery timeline', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/fleet'));
    await expect.poll(() => page.getByTestId('robot-row').count()).toBe(4);
    // Robots move: the map's pixels change between two moments.
    const canvas = page.getByTestId('floor-canvas');
    await expect.poll(() => canvas.isVisible()).toBe(true);
    await page.waitForTimeout(1500);
    const a = await canvas.screenshot();
    // Within a few seconds some robot moves on the level shown (a loaded machine may hold them at doors or lifts a while).
    await expect.poll(async () => Buffer.compare(a, await canvas.screenshot()), { timeout: 30_000, interval: 1500 }).not.toBe(0);
    await expect.poll(() => page.getByTestId('timeline').locator('[data-trip]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, 'fleet');
    await page.getByTestId('level-F1').click();
    await screenshot(page, 'fleet-level-F1');
  });
});
