import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/api/types.js';
import { hasChromium, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 40, robots: 2, autoTrips: false });
});
afterAll(async () => system?.stop());

describe.skipIf(!hasChromium)('alerts', () => {
  it('shows an alert on the loading screen and a medic acknowledges it', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    await expect.poll(() => page.getByTestId('connection').getAttribute('class')).toContain('live');

    // A robot on a trip gets stuck.
    const trip = await system.api<{ id: string }>('POST', '/api/trips', { robot: 'robot-1', trays: [{ tray: 1, room: '101' }] });
    expect(trip.status).toBe(201);
    const fault = await system.api('POST', '/api/sim/faults', { target: 'robot-1', fault: 'stuck', on: true });
    expect(fault.status).toBeLessThan(300);

    const alert = page.locator('[data-testid=alert][data-kind=robotStuck]').first();
    await expect.poll(() => alert.count(), { timeout: 90_000, interval: 500 }).toBeGreaterThan(0);
    expect(await alert.textContent()).toContain('robot-1');
    await screenshot(page, 'alert-shown');
    const id = await alert.getAttribute('data-id');
    await alert.getByTestId('alert-ack').click();

    await expect.poll(async () => (await system.api<Alert[]>('GET', '/api/alerts')).body.find((a) => a.id === id)?.acknowledged).toBe(true);
    // The compact list on the loading screen drops acknowledged alerts.
    await expect.poll(() => page.locator(`[data-testid=alert][data-id="${id}"]`).count()).toBe(0);
    await screenshot(page, 'alert-acknowledged');
    await system.api('POST', '/api/sim/faults', { target: 'robot-1', fault: 'stuck', on: false });
  });
});
