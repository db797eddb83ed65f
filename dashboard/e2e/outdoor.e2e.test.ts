/**
 * The outdoor theme (switched on per device, kept across reloads) and the paused state shown by
 * a shape besides its colour and its word. Contrast in both themes is checked on every screen by
 * walk.e2e.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot, type Page } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

const PARK = new URL('../../sites/park/zones.geojson', import.meta.url).pathname;

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 20, robots: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

/** Computed styles of the app's header and of the first panel heading of the screen shown. */
async function looks(page: Page): Promise<{ theme: string | undefined; header: string; heading: string }> {
  return page.evaluate(() => {
    const app = document.querySelector('isofleet-app')!.shadowRoot!;
    const screen = app.querySelector('main > *')!.shadowRoot!;
    return {
      theme: document.documentElement.dataset.theme,
      header: getComputedStyle(app.querySelector('header')!).backgroundColor,
      heading: getComputedStyle(screen.querySelector('h2')!).color,
    };
  });
}

const pressed = (page: Page) => page.getByTestId('theme-switch').getAttribute('aria-pressed');

describe.skipIf(!hasChromium)('outdoor theme and paused state', () => {
  it('switches to the outdoor theme from the header, and this device keeps it', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/fleet'));
    await page.evaluate(() => localStorage.removeItem('isofleet.theme'));
    await page.reload();
    await expect.poll(() => pressed(page)).toBe('false');
    expect(await looks(page)).toEqual({ theme: 'standard', header: 'rgb(11, 37, 69)', heading: 'rgb(13, 17, 23)' });

    await page.getByTestId('theme-switch').click();
    await expect.poll(() => pressed(page)).toBe('true');
    expect(await looks(page)).toEqual({ theme: 'outdoor', header: 'rgb(0, 0, 0)', heading: 'rgb(0, 0, 0)' });
    await screenshot(page, 'outdoor-fleet');

    // Kept across a reload and on another screen of this browser.
    await page.reload();
    await expect.poll(() => pressed(page)).toBe('true');
    expect((await looks(page)).heading).toBe('rgb(0, 0, 0)');
    const other = await system.browser.context.newPage();
    await other.goto(system.url('/operator'));
    await expect.poll(() => pressed(other)).toBe('true');
    expect((await looks(other)).theme).toBe('outdoor');
    await other.close();

    await page.getByTestId('theme-switch').click();
    await expect.poll(() => pressed(page)).toBe('false');
    expect(await looks(page)).toEqual({ theme: 'standard', header: 'rgb(11, 37, 69)', heading: 'rgb(13, 17, 23)' });
  });

  it('shows a paused mission with a pause shape as well as its colour and word, in both themes', async () => {
    const created = await system.api<{ id: string }>('POST', '/api/missions', { zones: JSON.parse(readFileSync(PARK, 'utf8')) });
    expect(created.status).toBe(201);
    for (const action of ['clear', 'launch']) expect((await system.api('POST', `/api/missions/${created.body.id}/${action}`)).status).toBe(200);
    const { page } = system.browser;
    await page.goto(system.url('/operator'));
    const status = page.getByTestId('mission-status');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 15_000 }).toBe('running');
    expect(await status.getByTestId('paused-mark').count()).toBe(0);
    await page.getByTestId('mission-pause').click();
    await expect.poll(() => status.getAttribute('data-status')).toBe('paused');

    for (const theme of ['standard', 'outdoor'] as const) {
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) await page.getByTestId('theme-switch').click();
      const mark = status.getByTestId('paused-mark');
      await expect.poll(() => mark.isVisible()).toBe(true);
      const shape = await mark.evaluate((el) => {
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
          text: el.textContent,
          width: box.width,
          height: box.height,
          left: s.borderLeftStyle,
          right: s.borderRightStyle,
          leftPx: parseFloat(s.borderLeftWidth),
          rightPx: parseFloat(s.borderRightWidth),
        };
      });
      // Two solid bars with a gap between them, and no text: a shape, not a word.
      expect(shape.text).toBe('');
      expect(shape).toMatchObject({ left: 'solid', right: 'solid' });
      expect(shape.height).toBeGreaterThanOrEqual(10);
      expect(shape.leftPx).toBeGreaterThanOrEqual(3);
      expect(shape.rightPx).toBeGreaterThanOrEqual(3);
      expect(shape.width - shape.leftPx - shape.rightPx).toBeGreaterThanOrEqual(2);
      // And a colour apart from the running state's plain heading.
      const bg = await status.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).not.toBe('rgba(0, 0, 0, 0)');
      await screenshot(page, `paused-${theme}`);
    }
    await page.getByTestId('theme-switch').click();
  });
});
