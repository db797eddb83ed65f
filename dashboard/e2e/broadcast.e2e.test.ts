import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

const ROAD = new URL('../../sites/broadcast/checkpoint.geojson', import.meta.url).pathname;

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 60, robots: 1, drones: 0, speakerDrones: 1, autoTrips: false });
});
afterAll(async () => system?.stop());

describe.skipIf(!hasChromium)('broadcast tab of the operator screen', () => {
  it('imports the road, plans the broadcast, launches it and watches the drone play the message at every stop along the queue', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/operator'));
    await page.evaluate(() => localStorage.removeItem('isofleet.broadcastRoad'));
    await page.getByTestId('tab-broadcast').click();
    await page.getByTestId('bc-import').setInputFiles(ROAD);
    await expect.poll(() => page.getByTestId('bc-road').count()).toBe(1);
    await page.getByTestId('bc-hover').fill('20');
    await page.getByTestId('bc-qr').fill('https://decl.example/q/g4');
    await page.getByTestId('bc-plan').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('planned');
    const stops = await page.locator('[data-stop]').count();
    expect(stops).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('bc-metrics').textContent()).toContain(`${stops} stops`);
    await screenshot(page, 'broadcast-plan');

    await page.getByTestId('bc-launch').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status')).toBe('running');
    // The drone on the map, and the message its speaker plays at a stop, with the QR on its display.
    await expect.poll(() => page.getByTestId('bc-playing').getAttribute('data-playing'), { timeout: 60_000, interval: 250 }).toBe('yes');
    expect(await page.getByTestId('bc-playing').textContent()).toContain('请扫描无人机上的二维码');
    expect(await page.getByTestId('bc-showing').textContent()).toContain('https://decl.example/q/g4');
    expect(await page.getByTestId('bc-drone').count()).toBe(1);
    await screenshot(page, 'broadcast-playing');
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 120_000, interval: 500 }).toBe('done');
    expect(Number(await page.getByTestId('bc-played').getAttribute('data-value'))).toBe(stops);
    expect(await page.locator('[data-stop][data-played=yes]').count()).toBe(stops);
    await screenshot(page, 'broadcast-done');
  });

  it('shows the tab in Chinese, and draws a new road over the imported site', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/operator'));
    await page.getByTestId('tab-broadcast').click();
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByTestId('tab-broadcast').textContent()).toContain('广播');
    expect(await page.getByTestId('bc-plan').textContent()).toContain('规划广播');
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByTestId('tab-broadcast').textContent()).toContain('Broadcast');

    // The site from the last import is kept; a drawn road replaces its road, tap by tap.
    await expect.poll(() => page.getByTestId('bc-road').count()).toBe(1);
    await page.getByTestId('bc-draw').click();
    expect(await page.getByTestId('bc-road').count()).toBe(0);
    const box = (await page.getByTestId('bc-map').boundingBox())!;
    for (const [fx, fy] of [
      [0.3, 0.7],
      [0.45, 0.5],
      [0.6, 0.35],
    ] as const)
      await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
    await page.getByTestId('bc-finish').click();
    const d = await page.getByTestId('bc-road').getAttribute('d');
    expect(d?.match(/[ML]/g)).toHaveLength(3);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('isofleet.broadcastRoad') ?? 'null'));
    const road = (stored as { features: Array<{ properties: { role: string }; geometry: { coordinates: unknown[] } }> }).features.find((f) => f.properties.role === 'road');
    expect(road?.geometry.coordinates).toHaveLength(3);
    const file = JSON.parse(readFileSync(ROAD, 'utf8')) as { features: unknown[] };
    expect((stored as { features: unknown[] }).features).toHaveLength(file.features.length);
  });

  it('takes over a broadcast planned before the screen opened: a reload shows it with its controls, and aborts it', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/operator'));
    await page.getByTestId('tab-broadcast').click();
    await page.getByTestId('bc-import').setInputFiles(ROAD);
    await page.getByTestId('bc-qr').fill('https://decl.example/q/g4');
    await page.getByTestId('bc-plan').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('planned');
    const stops = await page.locator('[data-stop]').count();

    // The road kept by this browser is not what brings it back: the server's broadcast is.
    await page.evaluate(() => localStorage.removeItem('isofleet.broadcastRoad'));
    await page.reload();
    await page.getByTestId('tab-broadcast').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('planned');
    expect(await page.getByTestId('bc-road').count()).toBe(1);
    expect(await page.locator('[data-stop]').count()).toBe(stops);
    await page.getByTestId('bc-abort').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status')).toBe('aborted');
  });

  it('draws the QR payload as the code drivers scan, and flies the broadcast forward along the road playing all the way', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/operator'));
    await page.evaluate(() => localStorage.removeItem('isofleet.broadcastRoad'));
    await page.getByTestId('tab-broadcast').click();
    await page.getByTestId('bc-import').setInputFiles(ROAD);
    await expect.poll(() => page.getByTestId('bc-road').count()).toBe(1);

    // The code drawn is the typed URL's, and follows it as it changes.
    const modules = (url: string) => Array.from(QRCode.create(url, { errorCorrectionLevel: 'M' }).modules.data, (b) => (b ? '1' : '0')).join('');
    await page.getByTestId('bc-qr').fill('');
    await expect.poll(() => page.getByTestId('bc-qr-code').count()).toBe(0);
    await page.getByTestId('bc-qr').fill('https://decl.example/q/g4');
    await expect.poll(() => page.getByTestId('bc-qr-code').getAttribute('data-modules')).toBe(modules('https://decl.example/q/g4'));
    await page.getByTestId('bc-qr').fill('https://decl.example/q/g4?lane=2');
    await expect.poll(() => page.getByTestId('bc-qr-code').getAttribute('data-modules')).toBe(modules('https://decl.example/q/g4?lane=2'));
    expect(modules('https://decl.example/q/g4?lane=2')).not.toBe(modules('https://decl.example/q/g4'));
    const drawn = await page.getByTestId('bc-qr-code').locator('path').getAttribute('d');
    expect(drawn?.match(/M/g)).toHaveLength(modules('https://decl.example/q/g4?lane=2').split('1').length - 1);

    await page.getByTestId('bc-mode').selectOption('forward');
    expect(await page.getByTestId('bc-hover').count()).toBe(0);
    await page.getByTestId('bc-forward').fill('3');
    await page.getByTestId('bc-plan').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('planned');
    expect(await page.locator('[data-stop]').count()).toBe(0);
    expect(await page.getByTestId('bc-line').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('bc-metrics').textContent()).toContain('3 m/s');
    await screenshot(page, 'broadcast-forward-plan');

    await page.getByTestId('bc-launch').click();
    await expect.poll(() => page.getByTestId('bc-playing').getAttribute('data-playing'), { timeout: 60_000, interval: 250 }).toBe('yes');
    expect(await page.getByTestId('bc-showing').textContent()).toContain('https://decl.example/q/g4?lane=2');
    await screenshot(page, 'broadcast-forward-playing');
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 120_000, interval: 500 }).toBe('done');
  });
  it('plays an uploaded recording: picked in the tab, refused when it is not audio, its length read by the controller setting the hover', async () => {
    const { page } = system.browser;
    await page.goto(system.url('/operator'));
    await page.evaluate(() => localStorage.removeItem('isofleet.broadcastRoad'));
    await page.getByTestId('tab-broadcast').click();
    await page.getByTestId('bc-import').setInputFiles(ROAD);
    await expect.poll(() => page.getByTestId('bc-road').count()).toBe(1);
    await page.getByTestId('bc-mode').selectOption('hover');
    await page.getByTestId('bc-hover').fill('');
    await page.getByTestId('bc-message-kind').selectOption('audio');
    expect(await page.getByTestId('bc-text').count()).toBe(0);

    await page.getByTestId('bc-audio').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a recording') });
    await expect.poll(() => page.getByTestId('bc-error').textContent()).toContain('audio/mpeg, audio/wav, audio/ogg');
    await page.getByTestId('bc-audio').setInputFiles({ name: 'call.wav', mimeType: 'audio/wav', buffer: pcmWav(2.5) });
    await expect.poll(() => page.getByTestId('bc-audio-state').getAttribute('data-ready')).toBe('yes');
    expect(await page.getByTestId('bc-audio-state').textContent()).toContain('call.wav: 2.5 s');
    expect(await page.getByTestId('bc-error').count()).toBe(0);

    await page.getByTestId('bc-qr').fill('https://decl.example/q/g4');
    await page.getByTestId('bc-plan').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('planned');
    // Two playings of the 2.5 s recording at each stop.
    const plan = await page.evaluate(async () => {
      const headers = { authorization: `Bearer ${localStorage.getItem('isofleet.token')}` };
      const list = (await (await fetch('/api/broadcasts', { headers })).json()) as Array<{ id: string }>;
      return (await (await fetch(`/api/broadcasts/${list[0]!.id}/plan`, { headers })).json()) as { plan: { properties: { messageS: number; hoverS: number } } };
    });
    expect(plan.plan.properties).toMatchObject({ messageS: 2.5, hoverS: 5 });
    // Flown with a longer hover, so the screen (polling each second) sees it play at the scenario's speed.
    await page.getByTestId('bc-abort').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status')).toBe('aborted');
    await page.getByTestId('bc-hover').fill('120');
    await page.getByTestId('bc-plan').click();
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('planned');
    await page.getByTestId('bc-launch').click();
    await expect.poll(() => page.getByTestId('bc-playing').getAttribute('data-playing'), { timeout: 60_000, interval: 250 }).toBe('yes');
    expect(await page.getByTestId('bc-playing').textContent()).toContain('/api/broadcasts/audio/');
    await screenshot(page, 'broadcast-recording-playing');
    await expect.poll(() => page.getByTestId('bc-status').getAttribute('data-status'), { timeout: 120_000, interval: 500 }).toBe('done');
  });
});

/** A mono 8 kHz 16-bit PCM WAV of silence lasting `seconds`. */
function pcmWav(seconds: number): Buffer {
  const rate = 8000;
  const data = Math.round(seconds * rate) * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  return b;
}
