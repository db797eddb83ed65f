/** The whole system for a browser test: the demo (broker, controller serving the dashboard, sim robots) and Chromium. */
import { startDemo, type Demo, type DemoOptions } from '../../controller/demo.js';
import { launchBrowser, type TestBrowser } from './browser.js';

export interface TestSystem {
  demo: Demo;
  browser: TestBrowser;
  /** The dashboard's url plus `#/…`. */
  url(hash: string): string;
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export async function startSystem(options: Partial<DemoOptions> & { width?: number; height?: number } = {}): Promise<TestSystem> {
  const demo = await startDemo({ port: 0, mqttPort: 0, host: '127.0.0.1', speed: 40, robots: 3, autoTrips: false, ...options });
  const browser = await launchBrowser({ width: options.width, height: options.height });
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, demo.url), {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
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
