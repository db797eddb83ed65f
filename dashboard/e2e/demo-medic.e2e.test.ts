import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TripView } from '../src/api/types.js';
import { launchBrowser, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  // The demo as `npm start` runs it (the simulated medic on), switched to "a person does the medic's job".
  system = await startSystem({ speed: 40, robots: 2, autoTrips: true, medic: 'manual' });
});
afterAll(async () => system?.stop());

describe("the demo's medic", () => {
  it("a person does the medic's job, and switching the simulated medic back never leaves a robot waiting", async () => {
    const { page } = system.browser;
    await page.goto(system.url('/dev'));
    await expect.poll(() => page.getByTestId('medic-manual').getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    // No simulated trips while a person has the job: the robots stay free for the person.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await system.api<TripView[]>('GET', '/api/trips')).body).toHaveLength(0);
    const created = await system.api<{ id: string }>('POST', '/api/trips', { robot: 'robot-1', trays: [{ tray: 1, room: '101' }] });
    expect(created.status).toBe(201);
    // The person walks away: the simulated medic takes over, and the robot waiting for a person leaves.
    await page.getByTestId('medic-auto').click();
    await expect.poll(async () => (await system.api<TripView>('GET', `/api/trips/${created.body.id}`)).body.status, { timeout: 60_000, interval: 300 }).not.toBe('planned');
    // And the simulated medic sends trips again.
    await expect.poll(async () => (await system.api<TripView[]>('GET', '/api/trips')).body.length, { timeout: 60_000, interval: 500 }).toBeGreaterThan(1);
    await screenshot(page, 'dev-medic-switch');
  });

  it('a stale session says so instead of silently showing the sign-in form; signing out does not', async () => {
    const browser = await launchBrowser();
    try {
      await browser.context.addInitScript(() => {
        localStorage.setItem('isofleet.token', 'x'.repeat(43));
        localStorage.setItem('isofleet.user', JSON.stringify({ username: 'admin', role: 'admin' }));
      });
      await browser.page.goto(system.url('/medic'));
      await expect.poll(() => browser.page.getByTestId('session-ended').isVisible(), { timeout: 10_000 }).toBe(true);
      await screenshot(browser.page, 'login-session-ended');
    } finally {
      await browser.close();
    }
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    expect(await page.getByTestId('session-ended').count()).toBe(0);
  });
});
