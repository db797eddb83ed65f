/**
 * Walks every screen at a phone's and a tablet's size in both languages and both themes
 * (standard and outdoor) and fails on horizontal scrolling, a touch target under 60 CSS px
 * (≈ 15 mm on the tablets) and text under 7:1 contrast (WCAG AAA), all read from the page's own
 * computed styles. A spray mission is paused over the park, so the operator's screen shows its
 * controls, the plan toggle, the coverage legend and the paused state. Screenshots go to
 * test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, type Page } from './browser.js';
import { startSystem, type TestSystem } from './system.js';

const PARK = new URL('../../sites/park/zones.geojson', import.meta.url).pathname;

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem({ speed: 20, robots: 2, autoTrips: false });
  const created = await system.api<{ id: string }>('POST', '/api/missions', { zones: JSON.parse(readFileSync(PARK, 'utf8')) });
  expect(created.status).toBe(201);
  for (const action of ['clear', 'launch', 'pause']) expect((await system.api('POST', `/api/missions/${created.body.id}/${action}`)).status).toBe(200);
});
afterAll(async () => system?.stop());

const SCREENS = ['/medic', '/fleet', '/operator', '/dev', '/admin', '/kiosk/robot-1'];
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 1280, height: 800 },
];

interface Problem {
  kind: 'overflow' | 'target' | 'contrast';
  what: string;
}

/** Runs in the page: every element, shadow roots included. */
function findProblems(): Problem[] {
  const problems: Problem[] = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) problems.push({ kind: 'overflow', what: `page ${doc.scrollWidth} px wide in ${window.innerWidth}` });
  const all: Element[] = [];
  const walk = (root: Document | ShadowRoot) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const parentOf = (el: Element): Element | null => el.parentElement ?? (el.getRootNode() as ShadowRoot).host ?? null;
  const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number) as number[];
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
  };
  const background = (el: Element): number[] => {
    for (let e: Element | null = el; e; e = parentOf(e)) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c[3] ?? 1) > 0.5) return c;
    }
    return [255, 255, 255];
  };
  const label = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  for (const el of all) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    const interactive = el.matches('button, a[href], select, input:not([type=hidden]), [role=tab]');
    if (interactive && !el.closest('label:has(> input[hidden])') && (r.width < 59.5 || r.height < 59.5)) {
      problems.push({ kind: 'target', what: `${label(el)} ${Math.round(r.width)}×${Math.round(r.height)}` });
    }
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
    if (!ownText || (el as HTMLButtonElement).disabled || el.closest('[disabled]')) continue;
    const color = rgba(getComputedStyle(el).color);
    const bg = background(el);
    const [a, b] = [lum(color), lum(bg)].sort((x, y) => y - x);
    const ratio = (a! + 0.05) / (b! + 0.05);
    if (ratio < 7) problems.push({ kind: 'contrast', what: `${label(el)} ${ratio.toFixed(2)}:1` });
  }
  return problems;
}

async function check(page: Page, screen: string): Promise<Problem[]> {
  await page.goto(system.url(screen));
  await page.waitForTimeout(1200);
  return page.evaluate(findProblems);
}

describe('every screen, both sizes, both languages, both themes', () => {
  for (const theme of ['standard', 'outdoor'] as const)
    for (const size of SIZES) {
      for (const language of ['en', 'zh'] as const) {
        it(`${size.name} ${size.width}×${size.height}, ${language}, ${theme}`, async () => {
          const { page } = system.browser;
          await page.setViewportSize({ width: size.width, height: size.height });
          await page.goto(system.url('/medic'));
          await page.evaluate(
            ([l, t]) => {
              localStorage.setItem('isofleet.language', l);
              localStorage.setItem('isofleet.theme', t);
            },
            [language, theme] as const,
          );
          const found: string[] = [];
          for (const screen of SCREENS) {
            await page.goto('about:blank');
            const problems = await check(page, screen);
            await screenshot(page, `walk-${size.name}-${language}${theme === 'outdoor' ? '-outdoor' : ''}${screen.replaceAll('/', '-')}`);
            for (const p of problems) found.push(`${screen} ${p.kind}: ${p.what}`);
          }
          // The walk ran in the theme it names (the page read it from this device's storage).
          expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
          expect([...new Set(found)]).toEqual([]);
        });
      }
    }
});
