import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 20, robots: 2, autoTrips: false });
});
afterAll(async () => system?.stop());

describe.skipIf(!hasChromium)('language switch', () => {
  it('switches every screen between English and Chinese and remembers the choice', async () => {
    const { page } = system.browser;
    const announcing = (await system.api<{ language: string }>('GET', '/api/settings')).body.language;
    await page.goto(system.url('/medic'));
    await expect.poll(() => page.getByTestId('nav-medic').textContent()).toBe('Loading');
    expect(await page.getByTestId('tray-1').textContent()).toContain('Tray 1');

    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByTestId('nav-medic').textContent()).toBe('装载');
    expect(await page.getByTestId('tray-1').textContent()).toContain('第1层托盘');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    // Remembered across a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('nav-fleet').textContent()).toBe('车队');

    // Every screen, and the switch is on each of them.
    const screens: [string, string][] = [
      ['/fleet', '楼层地图'],
      ['/operator', '无人机操作'],
      ['/dev', '开发者面板'],
      ['/admin', '添加用户'],
      ['/kiosk/robot-1', '机器人 robot-1'],
    ];
    for (const [hash, text] of screens) {
      await page.goto(system.url(hash));
      await expect.poll(() => page.getByText(text).first().isVisible(), { timeout: 5_000 }).toBe(true);
      expect(await page.getByTestId('language-switch').isVisible()).toBe(true);
      await screenshot(page, `zh${hash.replaceAll('/', '-')}`);
    }

    // Server enums are shown in Chinese too: the drones' modes (they stand landed on their pads) and the role.
    await page.goto(system.url('/fleet'));
    await expect.poll(() => page.getByTestId('drone-table').textContent(), { timeout: 10_000 }).toContain('已降落');
    expect(await page.getByTestId('drone-table').textContent()).not.toContain('landed');
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('admin（管理员）');

    // The robots' announcement language is the site's, not this screen's: switching the screen leaves it.
    expect((await system.api<{ language: string }>('GET', '/api/settings')).body.language).toBe(announcing);

    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByTestId('language-switch').textContent()).toContain('中文');
    expect((await system.api<{ language: string }>('GET', '/api/settings')).body.language).toBe(announcing);
  });

  it('every key has a Chinese text different from a missing one', async () => {
    const { en, zh } = await import('../src/i18n/messages.js');
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(zh[key], key).toBeTruthy();
  });
});
