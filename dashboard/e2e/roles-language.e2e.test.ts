import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInPages, type TestBrowser } from './browser.js';
import { openEmptyOperator, startSystem, type TestSystem } from './system.js';

let system: TestSystem;
let medic: TestBrowser;
beforeAll(async () => {
  system = await startSystem({ speed: 20, robots: 1, autoTrips: false });
  expect((await system.api('POST', '/api/users', { username: 'nurse.wang', password: 'a medic password 1', role: 'medic' })).status).toBe(201);
  medic = await launchBrowser();
  await signInPages(medic.context, system.demo.url, { username: 'nurse.wang', password: 'a medic password 1' });
});
afterAll(async () => {
  await medic?.close();
  await system?.stop();
});

describe('each role sees what it can do', () => {
  it('a medic sees no active drone controls on a mission, and is told why', async () => {
    const { page } = medic;
    // A mission planned by the admin (the drones stand on the park's pads).
    const zones = (await import('node:fs')).readFileSync(new URL('../../sites/park/zones.geojson', import.meta.url), 'utf8');
    const planned = await system.api<{ id: string }>('POST', '/api/missions', { zones: JSON.parse(zones) });
    expect(planned.status).toBe(201);
    await openEmptyOperator(system, page);
    const row = page.locator(`[data-testid=holding][data-mission="${planned.body.id}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('planned');
    expect(await row.getByTestId('holding-abort').isDisabled()).toBe(true);
    expect(await page.getByTestId('plan').isDisabled()).toBe(true);
    expect(await page.getByTestId('role-note').isVisible()).toBe(true);
    await screenshot(page, 'operator-as-medic');
    // The admin (an operator's rights), after a reload, finds the mission planned and never launched and cancels it.
    const admin = system.browser.page;
    await openEmptyOperator(system, admin);
    const adminRow = admin.locator(`[data-testid=holding][data-mission="${planned.body.id}"]`);
    await expect.poll(() => adminRow.getByTestId('holding-abort').isEnabled(), { timeout: 20_000 }).toBe(true);
    await adminRow.getByTestId('holding-abort').click();
    await expect.poll(async () => (await system.api<{ status: string }>('GET', `/api/missions/${planned.body.id}`)).body.status).toBe('aborted');
    await expect.poll(() => adminRow.count()).toBe(0);
  });

  it('a medic cannot change the simulation on the developer screen; a viewer sends no robot', async () => {
    const { page } = medic;
    await page.goto(system.url('/dev'));
    await expect.poll(() => page.getByTestId('role-note').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('fault-on').isDisabled()).toBe(true);
    expect(await page.getByTestId('speed-10').isDisabled()).toBe(true);
    // The medic's own screen is fully usable.
    await page.goto(system.url('/medic'));
    await expect.poll(() => page.getByTestId('robot-robot-1').isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByTestId('role-note').count()).toBe(0);

    expect((await system.api('POST', '/api/users', { username: 'watcher', password: 'a viewer password 1', role: 'viewer' })).status).toBe(201);
    const viewer = await launchBrowser();
    try {
      await signInPages(viewer.context, system.demo.url, { username: 'watcher', password: 'a viewer password 1' });
      await viewer.page.goto(system.url('/medic'));
      await expect.poll(() => viewer.page.getByTestId('role-note').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await viewer.page.getByTestId('review').isDisabled()).toBe(true);
    } finally {
      await viewer.close();
    }
  });
});

describe('operator on a phone', () => {
  it('pause, return home and abort are on screen without scrolling past the map', async () => {
    const zones = (await import('node:fs')).readFileSync(new URL('../../sites/park/zones.geojson', import.meta.url), 'utf8');
    const planned = await system.api<{ id: string }>('POST', '/api/missions', { zones: JSON.parse(zones) });
    expect(planned.status).toBe(201);
    const page = system.browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await openEmptyOperator(system, page);
    await page.locator(`[data-testid=holding][data-mission="${planned.body.id}"] [data-testid=holding-open]`).click();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('planned');
    // At the top of the page, looking at the map (opening the mission scrolled down to it).
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const id of ['mission-abort', 'mission-pause', 'mission-return-home']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.y + box.height, id).toBeLessThanOrEqual(844);
      expect(box.y, id).toBeGreaterThanOrEqual(0);
    }
    await screenshot(page, 'operator-phone-docked');
    await page.getByTestId('mission-abort').click();
    await expect.poll(async () => (await system.api<{ status: string }>('GET', `/api/missions/${planned.body.id}`)).body.status).toBe('aborted');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('screen language and announcement language', () => {
  it("the language button changes this screen only; the admin sets the robots' language", async () => {
    const before = (await system.api<{ language: string }>('GET', '/api/settings')).body.language;
    const { page } = medic;
    await page.goto(system.url('/medic'));
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByTestId('nav-medic').textContent()).toBe('装载');
    expect(await page.evaluate(() => localStorage.getItem('isofleet.language'))).toBe('zh');
    expect((await system.api<{ language: string }>('GET', '/api/settings')).body.language).toBe(before);
    // Another screen keeps its own language.
    await system.browser.page.goto(system.url('/medic'));
    await expect.poll(() => system.browser.page.getByTestId('nav-medic').textContent()).toBe('Loading');

    // The admin screen sets what the robots announce.
    const admin = system.browser.page;
    await admin.goto(system.url('/admin'));
    const other = before === 'zh' ? 'en' : 'zh';
    await admin.getByTestId(`announce-${other}`).click();
    await expect.poll(async () => (await system.api<{ language: string }>('GET', '/api/settings')).body.language).toBe(other);
    // The server has it before the screen has redrawn from its answer: wait for the button too.
    await expect.poll(() => admin.getByTestId(`announce-${other}`).getAttribute('aria-pressed')).toBe('true');
    expect(await admin.getByTestId('nav-medic').textContent()).toBe('Loading');
    await screenshot(admin, 'admin-announcement-language');
    // A medic may not change it (the server says 403).
    const token = await medic.page.evaluate(() => localStorage.getItem('isofleet.token'));
    const put = await fetch(new URL('/api/settings', system.demo.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ language: before }),
    });
    expect(put.status).toBe(403);
  });
});
