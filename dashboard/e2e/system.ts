/** The whole system for a browser test: the demo (broker, controller serving the dashboard, sim robots and drones) and Chromium. */
import { startDemo, type Demo, type DemoOptions } from '../../apps/demo/demo.js';
import { launchBrowser, signInPages, type Page, type TestBrowser } from './browser.js';

/** The first admin of every test system. */
export const ADMIN = { username: 'admin', password: 'e2e-admin-password' };

export interface TestSystem {
  demo: Demo;
  browser: TestBrowser;
  /** The dashboard's url plus `#/…`. */
  url(hash: string): string;
  /** An API call signed in as the admin. */
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/**
 * Starts the system and a browser. Pages start signed in as the admin (the token is put where
 * the dashboard keeps it) unless `signedIn: false`, for the sign-in flow itself.
 */
export async function startSystem(options: Partial<DemoOptions> & { width?: number; height?: number; signedIn?: boolean } = {}): Promise<TestSystem> {
  const demo = await startDemo({ port: 0, mqttPort: 0, host: '127.0.0.1', speed: 40, robots: 3, autoTrips: false, adminPassword: ADMIN.password, ...options });
  const browser = await launchBrowser({ width: options.width, height: options.height });
  const login = await fetch(new URL('/api/auth/login', demo.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const { token } = (await login.json()) as { token: string };
  if (options.signedIn ?? true) await signInPages(browser.context, demo.url, ADMIN);
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, demo.url), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    demo,
    browser,
    url: (hash) => `${demo.url}#${hash}`,
    api,
    stop: async () => {
      await browser.close().catch(() => undefined);
      await demo.stop().catch(() => undefined);
    },
  };
}

/** Opens the operator's screen with no zones left from an earlier test (the screen keeps them in localStorage). */
export async function openEmptyOperator(system: TestSystem, page: Page): Promise<void> {
  await page.goto(system.url('/operator'));
  await page.evaluate(() => localStorage.removeItem('isofleet.zones'));
  await page.reload();
}
