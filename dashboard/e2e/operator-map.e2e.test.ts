import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricMap } from '../src/components/metric-map.js';
import type { ViewState } from '../src/map/viewport.js';
import { hasChromium, screenshot, type Page } from './browser.js';
import { openEmptyOperator, startSystem, type TestSystem } from './system.js';

const PARK = new URL('../../sites/park/zones.geojson', import.meta.url).pathname;

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 40, robots: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

type Xy = [number, number];

/** Metres under a point of the map (pixels from its top-left corner), as the map's viewport maps them. */
function metresAt(v: ViewState, [x, y]: Xy): Xy {
  return [v.cx + (x - v.width / 2) / v.scale, v.cy - (y - v.height / 2) / v.scale];
}
/** The map pixel of a point in metres. */
function pixelOf(v: ViewState, [x, y]: Xy): Xy {
  return [v.width / 2 + (x - v.cx) * v.scale, v.height / 2 - (y - v.cy) * v.scale];
}

const viewState = (page: Page) => page.locator('metric-map').evaluate((map: MetricMap) => map.viewState);

/** Synthetic touch pointers on the map canvas, one event per call so frames run between them (`at` in map pixels). */
async function touch(page: Page, type: 'pointerdown' | 'pointermove' | 'pointerup', pointerId: number, at: Xy): Promise<void> {
  await page.getByTestId('metric-canvas').evaluate(
    (canvas, [type, pointerId, x, y]) => {
      const rect = canvas.getBoundingClientRect();
      canvas.dispatchEvent(
        new PointerEvent(type, {
          pointerId,
          pointerType: 'touch',
          isPrimary: pointerId === 1,
          clientX: rect.left + x,
          clientY: rect.top + y,
          bubbles: true,
          composed: true,
          cancelable: true,
        }),
      );
    },
    [type, pointerId, at[0], at[1]] as const,
  );
}

describe.skipIf(!hasChromium)('operator map gestures', () => {
  it('zooms about a pinch centre and the wheel cursor, pans by the dragged distance, and still takes taps', async () => {
    const { page } = system.browser;
    await openEmptyOperator(system, page);
    await page.getByTestId('import-file').setInputFiles(PARK);
    await expect.poll(() => page.locator('[data-zone]').count()).toBeGreaterThan(0);

    // Pinch out: two fingers 80 px apart, off the map's centre, end 240 px apart (×3) around a moved centre.
    const v0 = await viewState(page);
    const c: Xy = [v0.width * 0.35, v0.height * 0.6];
    const target = metresAt(v0, c);
    await touch(page, 'pointerdown', 1, [c[0] - 40, c[1]]);
    await touch(page, 'pointerdown', 2, [c[0] + 40, c[1]]);
    const shift: Xy = [30, -20];
    const steps = 8;
    for (let i = 1; i <= steps; i++) {
      const half = 40 + (80 * i) / steps,
        dx = (shift[0] * i) / steps,
        dy = (shift[1] * i) / steps;
      await touch(page, 'pointermove', 1, [c[0] - half + dx, c[1] + dy]);
      await touch(page, 'pointermove', 2, [c[0] + half + dx, c[1] + dy]);
    }
    await touch(page, 'pointerup', 1, [c[0] - 120 + shift[0], c[1] + shift[1]]);
    await touch(page, 'pointerup', 2, [c[0] + 120 + shift[0], c[1] + shift[1]]);
    const v1 = await viewState(page);
    expect(v1.scale / v0.scale).toBeCloseTo(3, 6);
    const [px, py] = pixelOf(v1, target);
    expect(px).toBeCloseTo(c[0] + shift[0], 6);
    expect(py).toBeCloseTo(c[1] + shift[1], 6);
    // The scale bar is re-rendered on the next frame.
    await expect.poll(() => page.locator('metric-map').evaluate((map) => map.shadowRoot!.querySelector('.scale')!.textContent)).toContain(`≈`);
    await screenshot(page, 'operator-map-pinched');

    // One finger drags 90 px right and 50 px up: the map moves with it, the scale stays.
    const from: Xy = [v1.width * 0.5, v1.height * 0.5],
      to: Xy = [from[0] + 90, from[1] - 50];
    const under = metresAt(v1, from);
    await touch(page, 'pointerdown', 1, from);
    for (let i = 1; i <= 6; i++) await touch(page, 'pointermove', 1, [from[0] + (90 * i) / 6, from[1] - (50 * i) / 6]);
    await touch(page, 'pointerup', 1, to);
    const v2 = await viewState(page);
    expect(v2.scale).toBe(v1.scale);
    expect(v2.cx).toBeCloseTo(v1.cx - 90 / v1.scale, 6);
    expect(v2.cy).toBeCloseTo(v1.cy - 50 / v1.scale, 6);
    const [ux, uy] = pixelOf(v2, under);
    expect(ux).toBeCloseTo(to[0], 6);
    expect(uy).toBeCloseTo(to[1], 6);

    // The mouse wheel zooms about the cursor (real events from Chromium's input pipeline).
    const box = (await page.getByTestId('metric-canvas').boundingBox())!;
    const cursor: Xy = [box.width * 0.7, box.height * 0.3];
    const underCursor = metresAt(v2, cursor);
    await page.mouse.move(box.x + cursor[0], box.y + cursor[1]);
    await page.mouse.wheel(0, -100);
    await expect.poll(async () => (await viewState(page)).scale).toBeGreaterThan(v2.scale);
    const v3 = await viewState(page);
    const [wx, wy] = pixelOf(v3, underCursor);
    // Chromium hands real mouse events positions rounded to a fraction of a pixel.
    expect(Math.abs(wx - cursor[0])).toBeLessThan(0.5);
    expect(Math.abs(wy - cursor[1])).toBeLessThan(0.5);

    // A real mouse drag pans too (the pointer is captured by the map).
    await page.mouse.down();
    await page.mouse.move(box.x + cursor[0] - 60, box.y + cursor[1] + 40, { steps: 5 });
    await page.mouse.up();
    const v4 = await viewState(page);
    expect(Math.abs((v4.cx - v3.cx) * v3.scale - 60)).toBeLessThan(0.5);
    expect(Math.abs((v4.cy - v3.cy) * v3.scale - 40)).toBeLessThan(0.5);

    // With the pad tool, a tap that wobbles a few pixels adds a pad where the finger landed and does not pan;
    // a drag pans and adds nothing.
    const zones = await page.locator('[data-zone]').count();
    await page.getByTestId('tool-pad').click();
    const tapAt: Xy = [v4.width * 0.25, v4.height * 0.25];
    await touch(page, 'pointerdown', 1, tapAt);
    await touch(page, 'pointermove', 1, [tapAt[0] + 3, tapAt[1] - 2]);
    await touch(page, 'pointerup', 1, [tapAt[0] + 3, tapAt[1] - 2]);
    await expect.poll(() => page.locator('[data-zone]').count()).toBe(zones + 1);
    expect(await viewState(page)).toEqual(v4);
    // The drawing hint above the map moved it down: measure again.
    const canvasBox = (await page.getByTestId('metric-canvas').boundingBox())!;
    const padBox = (await page.locator(`[data-zone="${zones}"] rect`).boundingBox())!;
    expect(padBox.x + padBox.width / 2 - canvasBox.x).toBeCloseTo(tapAt[0], 0);
    expect(padBox.y + padBox.height / 2 - canvasBox.y).toBeCloseTo(tapAt[1], 0);
    await touch(page, 'pointerdown', 1, tapAt);
    await touch(page, 'pointermove', 1, [tapAt[0] + 40, tapAt[1]]);
    await touch(page, 'pointerup', 1, [tapAt[0] + 40, tapAt[1]]);
    expect(await page.locator('[data-zone]').count()).toBe(zones + 1);
    expect((await viewState(page)).cx).toBeCloseTo(v4.cx - 40 / v4.scale, 6);

    // With the select tool, a tap on a zone selects it, a drag that starts on it pans without selecting,
    // and a tap on no zone clears the selection.
    await page.getByTestId('tool-select').click();
    const zone = page.locator('[data-zone]:has(polygon)').first();
    const zoneIndex = Number(await zone.getAttribute('data-zone'));
    const onZone = async (type: string, dx = 0) =>
      zone.locator('polygon').evaluate(
        (polygon, [type, dx]) => {
          const r = polygon.getBoundingClientRect();
          polygon.dispatchEvent(
            new PointerEvent(type, { pointerId: 7, pointerType: 'touch', clientX: r.left + r.width / 2 + dx, clientY: r.top + r.height / 2, bubbles: true, composed: true }),
          );
        },
        [type, dx] as const,
      );
    await onZone('pointerdown');
    await onZone('pointermove', 30);
    await onZone('pointerup', 30);
    expect(await page.getByTestId('delete-shape').count()).toBe(0);
    await onZone('pointerdown');
    await onZone('pointerup');
    await expect.poll(() => page.locator(`[data-zone="${zoneIndex}"] circle[data-vertex]`).count()).toBeGreaterThan(2);
    await expect.poll(() => page.getByTestId('delete-shape').count()).toBe(1);
    await touch(page, 'pointerdown', 1, tapAt);
    await touch(page, 'pointerup', 1, tapAt);
    await expect.poll(() => page.getByTestId('delete-shape').count()).toBe(0);

    // The + and − buttons still zoom about the centre.
    const v5 = await viewState(page);
    await page.getByRole('button', { name: '+', exact: true }).click();
    const v6 = await viewState(page);
    expect(v6.scale / v5.scale).toBeCloseTo(1.5, 6);
    expect(v6.cx).toBeCloseTo(v5.cx, 6);
    expect(v6.cy).toBeCloseTo(v5.cy, 6);
  });
});

describe.skipIf(!hasChromium)('operator map with real touches', () => {
  it('pinches and pans with touch points from Chromium’s input pipeline, over the zones', async () => {
    const { page, context } = system.browser;
    await openEmptyOperator(system, page);
    await page.getByTestId('import-file').setInputFiles(PARK);
    await expect.poll(() => page.locator('[data-zone]').count()).toBeGreaterThan(0);
    const box = (await page.getByTestId('metric-canvas').boundingBox())!;
    const cdp = await context.newCDPSession(page);
    const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Xy[]) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x: box.x + x, y: box.y + y, id })) });

    const v0 = await viewState(page);
    const c: Xy = [Math.round(box.width / 2), Math.round(box.height / 2)];
    const target = metresAt(v0, c);
    // The fingers land on a zone's SVG, which lies over the canvas.
    const onZone = await page.locator('metric-map').evaluate((map, [x, y]) => map.shadowRoot!.elementFromPoint(x, y)?.closest('[data-zone]') !== null, [box.x + c[0], box.y + c[1]] as const);
    expect(onZone).toBe(true);
    await send('touchStart', [
      [c[0] - 50, c[1]],
      [c[0] + 50, c[1]],
    ]);
    for (let i = 1; i <= 5; i++)
      await send('touchMove', [
        [c[0] - 50 - 10 * i, c[1]],
        [c[0] + 50 + 10 * i, c[1]],
      ]);
    await send('touchEnd', []);
    const v1 = await viewState(page);
    expect(v1.scale / v0.scale).toBeCloseTo(2, 2);
    const [px, py] = pixelOf(v1, target);
    expect(Math.abs(px - c[0])).toBeLessThan(1);
    expect(Math.abs(py - c[1])).toBeLessThan(1);

    await send('touchStart', [c]);
    for (let i = 1; i <= 5; i++) await send('touchMove', [[c[0] - 12 * i, c[1] + 8 * i]]);
    await send('touchEnd', []);
    const v2 = await viewState(page);
    expect(Math.abs((v2.cx - v1.cx) * v1.scale - 60)).toBeLessThan(1);
    expect(Math.abs((v2.cy - v1.cy) * v1.scale - 40)).toBeLessThan(1);
    expect(await page.getByTestId('delete-shape').count()).toBe(0);
  });
});
