import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './browser.js';
import { ADMIN, startSystem, type TestSystem } from './system.js';

describe.skipIf(!hasChromium)('sign-in', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ signedIn: false, robots: 1 });
  });
  afterAll(async () => system?.stop());

  it('asks to sign in, refuses a wrong password, signs in, and signs out again', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/fleet'));
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    // Without a session there is nothing to connect to, and the header does not pretend otherwise.
    expect(await page.getByTestId('connection').textContent()).toBe('Signed out');
    // Nothing of the fleet is shown, and the API refuses without a token.
    expect(await page.locator('fleet-view').count()).toBe(0);
    expect((await fetch(new URL('/api/robots', system.demo.url))).status).toBe(401);
    await screenshot(page, 'login');

    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').isVisible()).toBe(true);

    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toContain('admin');
    await expect.poll(() => page.getByTestId('connection').textContent()).toMatch(/Live|在线/);
    // The fleet view fills from the API and the live connection.
    await expect.poll(() => page.locator('[data-robot]').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('Signed out');
    expect(await page.evaluate(() => localStorage.getItem('isofleet.token'))).toBeNull();
  });
});
