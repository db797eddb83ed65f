/** Debian's Chromium driven by playwright-core, as DESIGN.md says it runs here. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TOOLS, toolPresent } from '../../test-support/tools.js';

export const CHROMIUM = TOOLS.chromium.path;
/** Without Chromium the browser tests are skipped (`describe.skipIf(!hasChromium)`); the global setup says so. */
export const hasChromium = toolPresent('chromium');
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh Chromium (own --user-data-dir) with one page, sized like a 10-inch landscape touchscreen. */
export async function launchBrowser(options: { width?: number; height?: number; touch?: boolean } = {}): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'isofleet-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    hasTouch: options.touch ?? false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export type { Browser, Page };

/** Signs in as `credentials` over the API and makes every page of `context` start signed in (the dashboard keeps the token in localStorage). */
export async function signInPages(context: BrowserContext, baseUrl: string, credentials: { username: string; password: string }): Promise<string> {
  const login = await fetch(new URL('/api/auth/login', baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  const { token, username, role } = (await login.json()) as { token: string; username: string; role: string };
  await context.addInitScript(
    ([t, user]) => {
      localStorage.setItem('isofleet.token', t);
      localStorage.setItem('isofleet.user', user);
    },
    [token, JSON.stringify({ username, role })] as const,
  );
  return token;
}
