import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoorView } from '../src/api/types.js';
import { screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 20, robots: 1, drones: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

describe('doors on the medic screen', () => {
  it('shows a muted room with a glove-sized button that lifts the mute on the server, and mutes it again for 30 minutes', async () => {
    const { page } = system.browser;
    const muted = await system.api<DoorView>('PUT', '/api/doors/305/mute', { muted: true });
    expect(muted.status).toBe(200);
    await page.goto(system.url('/medic'));
    await page.getByTestId('tab-doors').click();
    const row = page.locator('[data-testid=door][data-room="305"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.getByTestId('door-muted').isVisible()).toBe(true);
    const unmute = row.getByTestId('door-unmute');
    const box = (await unmute.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(60);
    await screenshot(page, 'doors-muted');
    await unmute.click();
    await expect.poll(async () => (await system.api<DoorView[]>('GET', '/api/doors')).body.find((d) => d.room === '305')?.muted).toBe(false);
    // The row stays until the next refresh: mute it again for 30 minutes from the same place.
    await row.getByTestId('door-mute-30').click();
    await expect.poll(async () => (await system.api<DoorView[]>('GET', '/api/doors')).body.find((d) => d.room === '305')?.mutedUntil).toBeDefined();
    await expect.poll(() => row.getByTestId('door-muted').textContent()).toMatch(/until|静音至/);
  });
});
