/**
 * `npm run bench:dashboard`: in Debian's Chromium (playwright-core), measures
 * - the maps with 200 synthetic robots or drones updating 5 times a second: frames per second
 *   (requestAnimationFrame count) and main-thread busy share (CDP Performance TaskDuration);
 * - the first load of each screen, cold (fresh browser profile): navigation start until the
 *   screen marks itself ready with its data (`performance.mark('ready:<screen>')`).
 * Targets (issue 6): ≥ 30 fps and < 50 % busy; first load ≤ 1 s.
 * Builds the dashboard first (`npm run build`), after the flags are read: `--help` builds nothing.
 */
import { spawnSync } from 'node:child_process';
import { startDemo } from '../../apps/demo/demo.js';
import { launchBrowser, signInPages } from '../e2e/browser.js';
import { parseCliArgs } from '../../common/cli-args.js';

parseCliArgs(
  'bench:dashboard',
  'usage: npm run bench:dashboard  (env BENCH_N=200 robots or drones, BENCH_HZ=5 updates a second, BENCH_SECONDS=5)\n' +
    "Builds the dashboard, then in Chromium: the maps' frames per second and main-thread busy share with BENCH_N moving devices, and each screen's first load.\n",
  { options: {} },
);
// The build's output on stderr: stdout is the table.
if (spawnSync('npm', ['run', '-s', 'build'], { stdio: ['ignore', process.stderr, process.stderr] }).status !== 0) process.exit(1);

const ADMIN = { username: 'admin', password: 'bench-admin-password' };

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const N = Number(process.env.BENCH_N ?? 200);
const HZ = Number(process.env.BENCH_HZ ?? 5);

interface Row {
  case: string;
  fps?: number;
  busyPct?: number;
  loadMs?: number;
  pass: boolean;
}

async function mapCase(base: string, kind: 'robots' | 'drones'): Promise<Row> {
  const browser = await launchBrowser({ width: 1280, height: 800 });
  try {
    const { page, context } = browser;
    await page.goto(`${base}#/bench?kind=${kind}&n=${N}&hz=${HZ}`);
    await page.waitForFunction(() => ((window as unknown as { __bench?: { frames: number } }).__bench?.frames ?? 0) > 10);
    await page.waitForTimeout(1000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskS = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
    const frames = () => page.evaluate(() => (window as unknown as { __bench: { frames: number } }).__bench.frames);
    const [f0, k0, t0] = [await frames(), await taskS(), performance.now()];
    await page.waitForTimeout(SECONDS * 1000);
    const [f1, k1, t1] = [await frames(), await taskS(), performance.now()];
    const wallS = (t1 - t0) / 1000;
    const fps = (f1 - f0) / wallS;
    const busyPct = ((k1 - k0) / wallS) * 100;
    return { case: `${kind === 'robots' ? 'floor map' : 'metric map'}: ${N} ${kind} @ ${HZ} Hz`, fps, busyPct, pass: fps >= 30 && busyPct < 50 };
  } finally {
    await browser.close();
  }
}

async function loadCase(base: string, screen: string, hash: string): Promise<Row> {
  const browser = await launchBrowser({ width: 1280, height: 800 });
  try {
    await signInPages(browser.context, base, ADMIN);
    const { page } = browser;
    await page.goto(`${base}#${hash}`);
    const handle = await page.waitForFunction((name) => performance.getEntriesByName(`ready:${name}`)[0]?.startTime, screen, { timeout: 10_000 });
    const loadMs = (await handle.jsonValue()) as number;
    return { case: `first load: ${hash}`, loadMs, pass: loadMs <= 1000 };
  } finally {
    await browser.close();
  }
}

const demo = await startDemo({ port: 0, mqttPort: 0, host: '127.0.0.1', speed: 10, robots: 5, autoTrips: true, adminPassword: ADMIN.password });
const rows: Row[] = [];
try {
  rows.push(await mapCase(demo.url, 'robots'));
  rows.push(await mapCase(demo.url, 'drones'));
  for (const [screen, hash] of [
    ['medic', '/medic'],
    ['fleet', '/fleet'],
    ['operator', '/operator'],
    ['dev', '/dev'],
    ['kiosk', '/kiosk/robot-1'],
  ] as const) {
    rows.push(await loadCase(demo.url, screen, hash));
  }
} finally {
  await demo.stop();
}
const fmt = (v: number | undefined, digits = 1) => (v === undefined ? '' : v.toFixed(digits));
console.log('| case | fps | main thread busy % | load ms | target met |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.case} | ${fmt(r.fps)} | ${fmt(r.busyPct)} | ${fmt(r.loadMs, 0)} | ${r.pass ? 'yes' : 'NO'} |`);
process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
