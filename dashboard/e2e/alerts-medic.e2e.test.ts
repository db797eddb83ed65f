import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, TripView } from '../src/api/types.js';
import { screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 40, robots: 2, autoTrips: false, medic: 'manual' });
});
afterAll(async () => system?.stop());

/** Six open alerts as the server gives them (the newer shape: count, where, rooms on board). */
function sixAlerts(): Alert[] {
  return Array.from({ length: 6 }, (_, i) => ({
    id: `a${100 + i}`,
    kind: 'trayNotCollected' as const,
    subject: `robot-${(i % 2) + 1}`,
    room: String(301 + i),
    tray: 1 + (i % 4),
    at: new Date(Date.UTC(2026, 10, 29, 8, i)).toISOString(),
    lastSeenAt: new Date(Date.UTC(2026, 10, 29, 8, i)).toISOString(),
    count: 1,
    status: 'open',
    message: `room ${301 + i} did not collect`,
    acknowledged: false,
  }));
}

describe('alerts on the loading screen', () => {
  it('six alerts stay in a bounded list above the trays, and acknowledging does not move the next one', async () => {
    const { page } = system.browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.route('**/api/alerts', (route) => route.fulfill({ json: sixAlerts() }));
    await page.route('**/api/alerts/*/ack', (route) => route.fulfill({ json: {} }));
    await page.goto(system.url('/medic'));
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=alert]').count(), { timeout: 10_000 }).toBe(6);
    expect(await page.getByTestId('alerts-count').textContent()).toContain('6');
    // The loading area is still on the first screen: the list scrolls instead of growing.
    const list = (await page.getByTestId('alerts').boundingBox())!;
    expect(list.height).toBeLessThanOrEqual(844 * 0.34 + 1);
    const robots = (await page.getByTestId('robot-robot-2').boundingBox())!;
    expect(robots.y + robots.height).toBeLessThanOrEqual(844);
    await screenshot(page, 'alerts-six-phone');

    // Tap acknowledge on the first: the second does not slide under the finger.
    const first = page.locator('[data-testid=alert]').first();
    const second = page.locator('[data-testid=alert]').nth(1);
    const secondId = await second.getAttribute('data-id');
    const before = (await page.locator(`[data-id="${secondId}"]`).boundingBox())!;
    await first.getByTestId('alert-ack').click();
    await expect.poll(() => page.getByTestId('alert-held').count()).toBe(1);
    const after = (await page.locator(`[data-id="${secondId}"]`).boundingBox())!;
    expect(Math.abs(after.y - before.y)).toBeLessThan(1);
    // Then it leaves, and the count says what is left.
    await expect.poll(() => page.getByTestId('alert-held').count(), { timeout: 6_000 }).toBe(0);
    expect(await page.getByTestId('alerts-count').textContent()).toContain('5');
    // One left reads "1 alert", not "1 alerts".
    await page.unroute('**/api/alerts');
    await page.route('**/api/alerts', (route) => route.fulfill({ json: sixAlerts().slice(0, 1) }));
    await page.reload();
    await expect.poll(() => page.getByTestId('alerts-count').textContent(), { timeout: 10_000 }).toMatch(/\b1 alert to acknowledge/);
    await page.unroute('**/api/alerts');
    await page.unroute('**/api/alerts/*/ack');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('an offline robot says the rooms on board and where it was, and its rooms can go with another robot', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    await expect.poll(() => page.getByTestId('connection').getAttribute('class')).toContain('live');
    const created = await system.api<{ id: string }>('POST', '/api/trips', {
      robot: 'robot-1',
      trays: [
        { tray: 1, room: '709' },
        { tray: 2, room: '717' },
        { tray: 3, room: '303' },
      ],
    });
    expect(created.status).toBe(201);
    // Confirmed once the robot waits at the station (a confirmation before it gets there is not kept by the simulated robot).
    await expect
      .poll(async () => (await system.api<{ id: string; state: string }[]>('GET', '/api/robots')).body.find((r) => r.id === 'robot-1')?.state, { timeout: 60_000, interval: 300 })
      .toBe('working');
    for (const tray of [1, 2, 3]) expect((await system.api('POST', `/api/trips/${created.body.id}/trays/${tray}/loaded`)).status).toBe(200);
    await expect.poll(async () => (await system.api<TripView>('GET', `/api/trips/${created.body.id}`)).body.status, { timeout: 60_000 }).toBe('running');
    expect((await system.api('POST', '/api/sim/faults', { target: 'robot-1', fault: 'linkLoss', on: true })).status).toBeLessThan(300);

    const alert = page.locator('[data-testid=alert][data-kind=robotOffline]').first();
    await expect.poll(() => alert.count(), { timeout: 60_000, interval: 300 }).toBe(1);
    // What the server knows: the rooms on board and where the robot was.
    await expect.poll(() => alert.getByTestId('alert-rooms').textContent()).toMatch(/709.*717.*303|303.*709.*717/);
    expect(await alert.getByTestId('alert-where').textContent()).toMatch(/·|,/);
    await screenshot(page, 'alert-offline-rooms');
    await alert.getByTestId('alert-replan').click();
    await expect.poll(() => alert.getByTestId('alert-result').textContent(), { timeout: 20_000 }).toMatch(/709/);
    // The rooms went on a round for the other robots.
    const trip = (await system.api<TripView>('GET', `/api/trips/${created.body.id}`)).body;
    expect(trip.status).toBe('failed');
    const rounds = (await system.api<{ rooms: { room: string }[] }[]>('GET', '/api/rounds')).body;
    expect(rounds.flatMap((r) => r.rooms.map((x) => x.room))).toEqual(expect.arrayContaining(['709', '717', '303']));
    await system.api('POST', '/api/sim/faults', { target: 'robot-1', fault: 'linkLoss', on: false });
  });
});
