import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TripView } from '../src/api/types.js';
import { en } from '../src/i18n/messages.js';
import { trayPhase, waitsForLoading } from '../src/components/status.js';
import { screenshot, type Page } from './browser.js';
import { ADMIN, startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  // Signed out: the page fetches the site map before anyone signs in, as a fresh tab does.
  system = await startSystem({ speed: 40, robots: 2, autoTrips: false, medic: 'manual', signedIn: false });
});
afterAll(async () => system?.stop());

async function enterRoom(page: Page, room: string): Promise<void> {
  for (const digit of room) await page.getByTestId(`key-${digit}`).click();
  await page.getByTestId('pad-ok').click();
}

describe('the medic screens say one truth', () => {
  it('after the first sign-in in a tab the room check and the floor maps work without a reload', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('robot-robot-1').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('robot-robot-1').click();
    await page.getByTestId('tray-1').click();
    // Room 999 is refused on the tray, not after Send.
    await enterRoom(page, '999');
    await expect.poll(() => page.getByTestId('pad-error').isVisible()).toBe(true);
    expect(await page.getByTestId('tray-room-1').count()).toBe(0);
    // The sibling: the fleet screen's floor map has the site's levels.
    await page.getByTestId('nav-fleet').click();
    await expect.poll(() => page.locator('[data-testid^=level-]').count(), { timeout: 10_000 }).toBeGreaterThan(1);
  });

  it('a trip waiting for loading asks for each tray, and once it left asks for nothing', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    const created = await system.api<{ id: string }>('POST', '/api/trips', {
      robot: 'robot-1',
      trays: [
        { tray: 1, room: '101' },
        { tray: 2, room: '102' },
      ],
    });
    expect(created.status).toBe(201);
    const card = page.locator(`[data-testid=trip][data-trip="${created.body.id}"]`);
    await expect.poll(() => card.locator('[data-testid=confirm-tray]').count(), { timeout: 10_000 }).toBe(2);
    // Nothing is on the trays yet: they do not read "On board".
    const phases = await card.locator('[data-testid=tray-phase]').allTextContents();
    expect(phases.every((p) => p.includes(en['tray.toLoad']) && !p.includes(en['tray.status.loaded']))).toBe(true);
    await expect.poll(() => card.getByTestId('loading-wait').isVisible()).toBe(true);

    // Tray 1 confirmed here, tray 2 on the robot's own screen (the API): the robot leaves.
    await card.locator('[data-testid=tray-progress][data-tray="1"] [data-testid=confirm-tray]').click();
    await expect.poll(() => card.locator('[data-testid=tray-progress][data-tray="1"] [data-testid=tray-phase]').textContent()).toContain(en['tray.confirmed']);
    expect((await system.api('POST', `/api/trips/${created.body.id}/trays/2/loaded`)).status).toBe(200);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 60_000, interval: 300 }).not.toBe('planned');
    // Gone: no live confirm button and no "confirm each tray" on a trip that left.
    expect(await card.locator('[data-testid=confirm-tray]').count()).toBe(0);
    expect(await card.getByTestId('loading-wait').count()).toBe(0);
    await screenshot(page, 'medic-trip-left');

    // The sibling: the robot's own kiosk screen says the same.
    await page.goto(system.url('/kiosk/robot-1'));
    const kioskCard = page.locator(`[data-testid=trip][data-trip="${created.body.id}"]`);
    await expect.poll(() => kioskCard.count(), { timeout: 10_000 }).toBe(1);
    expect(await kioskCard.locator('[data-testid=confirm-tray]').count()).toBe(0);
  });

  it('"Send" says that loading comes next, and the confirm buttons come on screen', async () => {
    const { page } = system.browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(system.url('/medic'));
    await expect.poll(() => page.getByTestId('robot-robot-2').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('robot-robot-2').click();
    await page.getByTestId('tray-1').click();
    await enterRoom(page, '103');
    await page.getByTestId('review').click();
    expect(await page.getByTestId('send').textContent()).toContain(en['medic.send']);
    await page.getByTestId('send').click();
    await expect.poll(() => page.getByTestId('medic-message').textContent()).toMatch(/confirm/);
    const button = page.locator('[data-testid=trip][data-status=planned] [data-testid=confirm-tray]').first();
    await expect.poll(() => button.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => button.isVisible()).toBe(true);
    const box = (await button.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(box.y).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'medic-sent-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a finished trip does not say a tray is coming back; one still out does', () => {
    const trip = (status: TripView['status']): TripView => ({
      id: 't',
      robot: 'robot-1',
      status,
      visits: ['101'],
      trays: [{ tray: 1, room: '101', status: 'notCollected' }],
      loading: { confirmedTrays: [1] },
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(trayPhase(trip('running'), trip('running').trays[0]!).key).toBe('tray.status.notCollected');
    expect(trayPhase(trip('done'), trip('done').trays[0]!).key).toBe('tray.status.notCollectedBack');
    expect(en['tray.status.notCollectedBack']).not.toMatch(/coming/);
    expect(waitsForLoading({ ...trip('running'), loading: { confirmedTrays: [] } })).toBe(false);
  });
});
