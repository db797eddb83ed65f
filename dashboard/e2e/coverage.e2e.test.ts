/**
 * The coverage heat map in real Chromium on a real mission over the park: its legend, the plan's
 * lines hidden and shown (remembered), and a missed patch drawn apart from sprayed cells, read
 * from the map canvas's pixels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Position } from '../src/api/types.js';
import { hasChromium, screenshot, type Page } from './browser.js';
import { openEmptyOperator, startSystem, type TestSystem } from './system.js';

const PARK = new URL('../../sites/park/zones.geojson', import.meta.url).pathname;

interface Leg {
  properties: { drone: number; sortie: number; spray: boolean };
  geometry: { coordinates: Position[] };
}
interface MissionView {
  id: string;
  drones: { sortie: number; state: string }[];
}

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 60, robots: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

/** The point `share` of the way along a polyline. */
function along(line: Position[], share: number): Position {
  const lengths = line.slice(1).map((p, i) => Math.hypot(p[0] - line[i]![0], p[1] - line[i]![1]));
  let left = share * lengths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lengths.length; i++) {
    if (left <= lengths[i]!) {
      const t = left / lengths[i]!;
      return [line[i]![0] + t * (line[i + 1]![0] - line[i]![0]), line[i]![1] + t * (line[i + 1]![1] - line[i]![1])];
    }
    left -= lengths[i]!;
  }
  return line.at(-1)!;
}

/** RGBA of the map canvas's pixels in a (2r+1)² square around [lon, lat]. */
async function pixelsAt(page: Page, p: Position, r = 1): Promise<number[][]> {
  return page.evaluate(
    ([lon, lat, r]) => {
      const map = document.querySelector('isofleet-app')!.shadowRoot!.querySelector('operator-view')!.shadowRoot!.querySelector('metric-map')!;
      const canvas = map.shadowRoot!.querySelector('canvas')!;
      const dpr = canvas.width / canvas.clientWidth;
      const [x, y] = map.toScreen(lon!, lat!);
      const data = canvas.getContext('2d')!.getImageData(Math.round(x * dpr) - r!, Math.round(y * dpr) - r!, 2 * r! + 1, 2 * r! + 1).data;
      const out: number[][] = [];
      for (let i = 0; i < data.length; i += 4) out.push([data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!]);
      return out;
    },
    [p[0], p[1], r] as const,
  );
}

const BACKGROUND = [0xf7, 0xf9, 0xf6];
const far = (px: number[], from: number[]) => Math.hypot(px[0]! - from[0]!, px[1]! - from[1]!, px[2]! - from[2]!);
/** Red of a missed cell, or its blend with the hatching's white at a stripe's edge (the map's own background is near white: not counted). */
const missedInk = (px: number[]) => px[0]! > 170 && px[0]! - px[1]! > 60 && px[0]! - px[2]! > 50;
/** The navy of a cell sprayed on target (over the light map). */
const onTargetInk = (px: number[]) => px[2]! > px[0]! + 30 && px[0]! < 110;

describe.skipIf(!hasChromium)('coverage heat map', () => {
  it('has a legend, hides the plan on demand (remembered), and marks a patch missed under a flown leg', async () => {
    const { page } = system.browser;
    await openEmptyOperator(system, page);
    await page.evaluate(() => localStorage.removeItem('isofleet.showPlan'));
    await page.getByTestId('import-file').setInputFiles(PARK);
    await page.getByTestId('plan').click();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('planned');
    await page.getByTestId('zone-checked').check();
    await page.getByTestId('mission-clear').click();
    await page.getByTestId('mission-launch').click();

    const mission = async () => (await system.api<MissionView[]>('GET', '/api/missions')).body[0]!;
    // Wait for a drone to finish its first sortie: its legs are then flown.
    await expect.poll(async () => Math.max(...(await mission()).drones.map((d) => d.sortie)), { timeout: 120_000, interval: 500 }).toBeGreaterThan(0);
    const { id, drones } = await mission();
    const drone = drones.findIndex((d) => d.sortie > 0);
    const plan = (await system.api<{ plan: { features: Leg[] } }>('GET', `/api/missions/${id}/plan`)).body.plan.features;
    const flown = plan.filter((f) => f.properties.spray && f.properties.drone === drone && f.properties.sortie === 0);
    // The longest straight spray leg of that sortie, and those not flown yet (the drone's last sortie) for the plan's lines.
    const length = (line: Position[]) => Math.hypot(line[1]![0] - line[0]![0], line[1]![1] - line[0]![1]);
    const leg = flown
      .map((f) => f.geometry.coordinates)
      .filter((line) => line.length === 2)
      .sort((a, b) => length(b) - length(a))[0]!;
    const lastSortie = Math.max(...plan.filter((f) => f.properties.drone === drone).map((f) => f.properties.sortie));
    const unflown = plan.filter((f) => f.properties.spray && f.properties.drone === drone && f.properties.sortie === lastSortie).map((f) => along(f.geometry.coordinates, 0.5));

    // A nozzle blocked for a moment: a 5 × 5 cell patch in the middle of the flown leg gets no
    // dose in the controller's raster (what a drone flying over with its pump dry would leave).
    const hole = along(leg, 0.5);
    const m = system.demo.app.missions.mission(id)!;
    const [hx, hy] = m.zones.projection.toLocal(hole[0]!, hole[1]!);
    const centre = m.coverage.cellAt({ x: hx, y: hy });
    expect(m.coverage.dose[centre]).toBeGreaterThan(0);
    for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) m.coverage.dose[centre + dr * m.coverage.width + dc] = 0;
    const sprayed = along(leg, 0.2);

    // A reload takes the running mission over and fetches the raster with the patch in it.
    await page.reload();
    await expect.poll(() => page.getByTestId('mission-status').getAttribute('data-status'), { timeout: 15_000 }).toMatch(/running|paused|returning/);
    const legend = page.getByTestId('coverage-legend');
    await expect.poll(() => legend.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await legend.locator('li').count()).toBe(4);
    expect(await legend.locator('li[data-class=missed]').count()).toBe(1);
    await expect.poll(async () => Number(await page.getByTestId('missed-area').getAttribute('data-m2')), { timeout: 15_000 }).toBeGreaterThan(0);

    // The plan's lines: drawn over the legs not flown yet, gone when hidden.
    expect(await page.getByTestId('toggle-plan').getAttribute('aria-pressed')).toBe('true');
    const onLine = async () => (await Promise.all(unflown.map(async (p) => (await pixelsAt(page, p, 0))[0]!))).filter((px) => far(px, BACKGROUND) > 60).length;
    await expect.poll(onLine).toBeGreaterThanOrEqual(Math.ceil(unflown.length * 0.8));
    await screenshot(page, 'coverage-after-plan-shown');
    await page.getByTestId('toggle-plan').click();
    expect(await page.getByTestId('toggle-plan').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(onLine).toBeLessThanOrEqual(1);

    // The missed patch: red with white hatching; a cell sprayed on the same leg: navy.
    // (A cell is about 1.2 px at this zoom: the 3 × 3 px squares span the band's middle 5 m.)
    await expect.poll(async () => (await pixelsAt(page, hole)).filter(missedInk).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    expect((await pixelsAt(page, hole)).filter(onTargetInk)).toEqual([]);
    expect((await pixelsAt(page, sprayed)).filter(onTargetInk).length).toBeGreaterThanOrEqual(5);
    expect((await pixelsAt(page, sprayed)).filter(missedInk)).toEqual([]);
    await screenshot(page, 'coverage-after');

    // Remembered on this device.
    await page.reload();
    await expect.poll(() => page.getByTestId('toggle-plan').getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('false');
  });
});
