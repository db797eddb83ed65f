import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot, signInPages } from './browser.js';
import { ADMIN, startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ robots: 1, drones: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

const usernames = async () => (await system.api<{ username: string; role: string }[]>('GET', '/api/users')).body;
const devices = async () => (await system.api<Record<string, unknown>[]>('GET', '/api/devices')).body;

describe.skipIf(!hasChromium)('admin screen', () => {
  it('adds a medic, resets their password, provisions a device and shows its password once, and deletes the medic', async () => {
    const { page, context } = system.browser;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(system.demo.url).origin });
    await page.goto(system.url('/fleet'));
    await page.getByTestId('nav-admin').click();
    await expect.poll(() => page.locator('[data-user=admin]').count()).toBe(1);

    // A password the policy refuses: the server's 400 shows under the password field, naming it.
    await page.getByTestId('new-user-username').fill('nurse.li');
    await page.getByTestId('new-user-role-medic').click();
    await page.getByTestId('new-user-password').fill('short');
    await page.getByTestId('new-user-submit').click();
    await expect.poll(() => page.getByTestId('error-password').textContent()).toBe('Password: at least 10 characters');
    expect(await page.getByTestId('new-user-password').getAttribute('aria-invalid')).toBe('true');
    expect((await usernames()).map((u) => u.username)).not.toContain('nurse.li');

    await page.getByTestId('new-user-password').fill('nurse-li-password');
    await page.getByTestId('new-user-submit').click();
    await expect.poll(() => page.locator('[data-user="nurse.li"]').textContent()).toContain('medic');
    expect(await page.getByTestId('error-password').count()).toBe(0);
    expect(await usernames()).toContainEqual(expect.objectContaining({ username: 'nurse.li', role: 'medic' }));

    // The same name again: the server's 409 shows under the user name.
    await page.getByTestId('new-user-username').fill('nurse.li');
    await page.getByTestId('new-user-password').fill('another-password');
    await page.getByTestId('new-user-submit').click();
    await expect.poll(() => page.getByTestId('error-username').textContent()).toBe('User name: user nurse.li exists');

    // A new password for the medic, asked for in their row; the old one stops working.
    await page.locator('[data-user="nurse.li"]').getByTestId('user-reset').click();
    await page.getByTestId('reset-password').fill('nurse-li-new-password');
    await page.getByTestId('confirm-reset').click();
    await expect.poll(() => page.getByTestId('users-notice').textContent()).toContain('nurse.li');
    const login = (password: string) =>
      fetch(new URL('/api/auth/login', system.demo.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nurse.li', password }) });
    expect((await login('nurse-li-new-password')).status).toBe(200);
    expect((await login('nurse-li-password')).status).toBe(401);

    // A robot: its MQTT password is shown this once, with a copy button.
    await page.getByTestId('new-device-kind-robot').click();
    await page.getByTestId('new-device-id').fill('isofleet/robot-99');
    await page.getByTestId('new-device-submit').click();
    const secret = page.getByTestId('one-time-secret');
    await expect.poll(() => secret.isVisible()).toBe(true);
    expect(await secret.textContent()).toContain('will not be shown again');
    expect(await page.getByTestId('secret-username').inputValue()).toBe('isofleet/robot-99');
    const password = await page.getByTestId('secret-password').inputValue();
    expect(password.length).toBeGreaterThanOrEqual(16);
    await page.getByTestId('secret-copy').click();
    await expect.poll(() => page.getByTestId('secret-copy').textContent()).toContain('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);
    await expect.poll(() => page.locator('[data-device="isofleet/robot-99"]').count()).toBe(1);
    await screenshot(page, 'admin-device-password');
    // The server keeps only a hash: the list has no password to give.
    expect(await devices()).toEqual([expect.objectContaining({ id: 'isofleet/robot-99', kind: 'robot' })]);
    expect(JSON.stringify(await devices())).not.toContain(password);

    // Once stored, it is gone from the page and the form is back.
    await page.getByTestId('secret-done').click();
    await expect.poll(() => page.getByTestId('one-time-secret').count()).toBe(0);
    expect(await page.getByTestId('new-device-id').isVisible()).toBe(true);

    // An id that is not a robot's: the 400 names the id field.
    await page.getByTestId('new-device-id').fill('no-slash');
    await page.getByTestId('new-device-submit').click();
    await expect.poll(() => page.getByTestId('error-id').textContent()).toContain('Device id:');

    // Removing the robot (its id has a '/', sent as %2F) after asking in its row.
    await page.locator('[data-device="isofleet/robot-99"]').getByTestId('device-remove').click();
    await page.getByTestId('confirm-remove').click();
    await expect.poll(() => page.locator('[data-device="isofleet/robot-99"]').count()).toBe(0);
    expect(await devices()).toEqual([]);

    // The last admin cannot go: the server's 409 shows in the row.
    await page.locator('[data-user=admin]').getByTestId('user-delete').click();
    await page.getByTestId('confirm-delete').click();
    await expect.poll(() => page.getByTestId('pending-error').textContent()).toBe('admin is the last admin');
    await screenshot(page, 'admin-last-admin');
    await page.getByTestId('pending-cancel').click();

    await page.locator('[data-user="nurse.li"]').getByTestId('user-delete').click();
    expect(await page.getByTestId('pending-row').textContent()).toContain('nurse.li');
    await page.getByTestId('confirm-delete').click();
    await expect.poll(() => page.locator('[data-user="nurse.li"]').count()).toBe(0);
    expect((await usernames()).map((u) => u.username)).toEqual(['admin']);
  });

  it('lists this site with its fleet: robots and drones online out of all, trips under way, open alerts', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/admin'));
    const row = page.getByTestId('site-list').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    const sites = (await system.api<{ site: string; health: Record<string, number> }[]>('GET', '/api/sites')).body;
    expect(sites.map((s) => s.site)).toEqual(['hotel']);
    await expect.poll(async () => (await row.locator('td.number').allTextContents()).slice(0, 2)).toEqual(['1 / 1', '1 / 1']);
    expect(await row.locator('td').first().textContent()).toContain('hotel');
  });

  it('opens a site’s dashboard from the list under its path (/sites/hotel/): signed in there, every call and socket.io go through the path', async () => {
    const { page } = system.browser;
    const origin = new URL(system.demo.url).origin;
    await page.goto(system.url('/admin'));
    const open = page.getByTestId('site-list').locator('[data-site=hotel]').getByTestId('open-site');
    // The demo gives no address: the site's path on this host.
    expect(await open.getAttribute('href')).toBe('/sites/hotel/');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await open.click();
    await expect.poll(() => page.url()).toBe(`${origin}/sites/hotel/`);
    // A session of its own under the site's path (each site's controller knows only its own).
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('connection').textContent()).toMatch(/Live|在线/);
    await page.getByTestId('nav-fleet').click();
    await expect.poll(() => page.locator('[data-robot=robot-1]').count()).toBe(1);
    // A path route of the page under the site's path loads its files from there too.
    await page.goto(`${origin}/sites/hotel/kiosk/robot-1`);
    await expect.poll(() => page.getByText('robot-1').first().isVisible()).toBe(true);

    const paths = requests
      .map((url) => new URL(url))
      .filter((url) => url.origin === origin)
      .map((url) => url.pathname);
    const of = (part: string) => paths.filter((path) => path.includes(part));
    expect(of('/api/').length).toBeGreaterThan(0);
    expect(of('/socket.io/').length).toBeGreaterThan(0);
    expect(of('/assets/').length).toBeGreaterThan(0);
    expect([...of('/api/'), ...of('/socket.io/'), ...of('/assets/')].filter((path) => !path.startsWith('/sites/hotel/'))).toEqual([]);
  });

  it('shows no admin link to a medic, and tells them the screen is the admin’s', async () => {
    const medic = { username: 'medic.wang', password: 'medic-wang-password' };
    expect((await system.api('POST', '/api/users', { ...medic, role: 'medic' })).status).toBe(201);
    const browser = await launchBrowser();
    try {
      await signInPages(browser.context, system.demo.url, medic);
      const { page } = browser;
      await page.goto(system.url('/medic'));
      await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toContain('medic.wang');
      expect(await page.getByTestId('nav-fleet').isVisible()).toBe(true);
      expect(await page.getByTestId('nav-admin').count()).toBe(0);

      await page.goto(system.url('/admin'));
      await expect.poll(() => page.getByTestId('admin-only').isVisible()).toBe(true);
      expect(await page.locator('user-admin').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
