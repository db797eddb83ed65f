import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './browser.js';
import { openEmptyOperator, startSystem, type TestSystem } from './system.js';

const ZONES = new URL('../../sites/zones/convex.geojson', import.meta.url).pathname;
// The simulated drones stand on the park's pads: a mission must be inside their geofence.
const PARK = new URL('../../sites/park/zones.geojson', import.meta.url).pathname;

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 40, robots: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

describe.skipIf(!hasChromium)('drone operator', () => {
  it('imports zones, draws a no-spray area and a pad, and exports GeoJSON', async () => {
    const { page } = system.browser;
    await openEmptyOperator(system, page);
    await page.getByTestId('import-file').setInputFiles(ZONES);
    const imported = JSON.parse(readFileSync(ZONES, 'utf8')) as { features: unknown[] };
    await expect.poll(() => page.locator('[data-zone]').count()).toBe(imported.features.length);

    // A keepout: three taps on the map, then finish.
    await page.getByTestId('tool-keepout').click();
    const box = (await page.getByTestId('zones-svg').boundingBox())!;
    const cx = box.x + box.width / 2,
      cy = box.y + box.height / 2;
    await page.mouse.click(cx - 20, cy - 20);
    await page.mouse.click(cx + 20, cy - 20);
    await page.mouse.click(cx, cy + 20);
    await page.getByTestId('finish-shape').click();
    await page.getByTestId('tool-pad').click();
    await page.mouse.click(box.x + 30, box.y + box.height - 30);
    await expect.poll(() => page.locator('[data-zone]').count()).toBe(imported.features.length + 2);
    await page.getByTestId('tool-select').click();
    await screenshot(page, 'operator-zones');

    const download = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { features: { properties: { role: string }; geometry: { type: string } }[] };
    expect(exported.features.map((f) => f.properties.role)).toEqual([...(imported.features as { properties: { role: string } }[]).map((f) => f.properties.role), 'keepout', 'pad']);
    expect(exported.features.at(-1)!.geometry.type).toBe('Point');
  });

  it('plans the imported zone, confirms it clear, launches, and watches coverage rise', async () => {
    const { page } = system.browser;
    await openEmptyOperator(system, page);
    await page.getByTestId('import-file').setInputFiles(PARK);
    await expect.poll(() => page.locator('[data-zone]').count()).toBeGreaterThan(0);
    await page.getByTestId('plan').click();
    await expect.poll(() => page.getByTestId('plan-metrics').isVisible(), { timeout: 30_000 }).toBe(true);
    await screenshot(page, 'operator-plan');
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status')).toBe('planned');
    // Launch stays off until the zone is confirmed clear.
    expect(await page.getByTestId('mission-launch').isDisabled()).toBe(true);
    await page.getByTestId('zone-checked').check();
    await page.getByTestId('mission-clear').click();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status')).toBe('cleared');
    await page.getByTestId('mission-launch').click();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
    const coverage = async () => Number(await page.getByTestId('coverage').getAttribute('data-value'));
    await expect.poll(coverage, { timeout: 120_000, interval: 500 }).toBeGreaterThan(0);
    const first = await coverage();
    await expect.poll(coverage, { timeout: 120_000, interval: 500 }).toBeGreaterThan(first);
    await expect.poll(() => page.locator('[data-testid=drones] [data-drone]').count()).toBeGreaterThan(0);
    // Each drone's part in the mission shows beside its mode.
    await expect.poll(() => page.locator('[data-testid=drones] [data-run=flying]').count()).toBeGreaterThan(0);
    await screenshot(page, 'operator-coverage');
    await page.getByTestId('mission-pause').click();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status')).toBe('paused');
    await page.getByTestId('mission-resume').click();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status')).toBe('running');

    // A second tablet, with other zones in its storage, opens the operator screen mid-mission:
    // it takes the mission over (status, plan, zones, coverage) and can pause it.
    const second = await system.browser.context.newPage();
    await openEmptyOperator(system, second);
    await expect.poll(() => second.getByTestId('mission-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('running');
    await expect.poll(() => second.getByTestId('plan-metrics').isVisible()).toBe(true);
    const parkZones = (JSON.parse(readFileSync(PARK, 'utf8')) as { features: unknown[] }).features.length;
    await expect.poll(() => second.locator('[data-zone]').count()).toBe(parkZones);
    await expect.poll(async () => Number(await second.getByTestId('coverage').getAttribute('data-value'))).toBeGreaterThan(0);
    await second.getByTestId('mission-pause').click();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status')).toBe('paused');
    await second.close();
  });
});
