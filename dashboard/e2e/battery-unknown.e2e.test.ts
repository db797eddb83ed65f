/**
 * A robot whose charge is not known yet (online, no state sent): its 'Battery not known' stays
 * inside the robot picker's card and the fleet view's table stays inside its panel.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

let system: TestSystem;
let device: mqtt.MqttClient | undefined;
beforeAll(async () => {
  system = await startSystem({ robots: 1, autoTrips: false, width: 1280, height: 800 });
  // A robot provisioned by the admin, signed in and online, that has sent no state: no battery.
  const { body } = await system.api<{ username: string; password: string }>('POST', '/api/devices', { kind: 'robot', id: 'isofleet/robot-9' });
  device = await mqtt.connectAsync(system.demo.mqttUrl, { username: body.username, password: body.password, clientId: 'robot-9' });
  await device.publishAsync(
    'uagv/v2/isofleet/robot-9/connection',
    JSON.stringify({ headerId: 1, timestamp: new Date().toISOString(), version: '2.1.0', manufacturer: 'isofleet', serialNumber: 'robot-9', connectionState: 'ONLINE' }),
    { qos: 1 },
  );
});
afterAll(async () => {
  await device?.endAsync();
  await system?.stop();
});

/** How far `inner`'s right edge goes past `outer`'s, in CSS pixels (0 when inside). */
const overflow = (outer: { x: number; width: number } | null, inner: { x: number; width: number } | null) => Math.max(0, Math.round(inner!.x + inner!.width - (outer!.x + outer!.width)));

describe.skipIf(!hasChromium)('a battery not known', () => {
  it('stays inside the picker’s card and the fleet’s panel', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/medic'));
    const card = page.getByTestId('robot-robot-9');
    await expect.poll(() => card.textContent()).toContain('Battery not known');
    const chip = card.locator('.chip', { hasText: 'Battery not known' });
    expect(overflow(await card.boundingBox(), await chip.boundingBox())).toBe(0);

    await page.goto(system.url('/fleet'));
    const row = page.locator('[data-robot=robot-9]');
    await expect.poll(() => row.textContent()).toContain('Battery not known');
    const table = page.getByTestId('robot-table');
    const panel = page.locator('section', { has: table });
    await screenshot(page, 'fleet-battery-unknown');
    expect(overflow(await panel.boundingBox(), await table.boundingBox())).toBe(0);
  });
});
