/**
 * Reads a V8 CPU profile (`node --cpu-prof` writes one `.cpuprofile` JSON per process: a call
 * tree of nodes with their function, script URL and sample hits) into self time by package and
 * by function, so a bench can say what dominates a process's CPU. Format: the Chrome DevTools
 * protocol's `Profiler.Profile`.
 */
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      hitCount: z.number().optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()).optional(),
});

/** A share of the profile's samples: `share` 0..1 of all samples (idle included). */
export interface ProfileShare {
  name: string;
  share: number;
}

export interface ProfileSummary {
  /** Seconds the profile covers. */
  seconds: number;
  /** Samples where the process was busy, 0..1 (not `(idle)`, `(program)` or `(garbage collector)`). */
  busy: number;
  /** Self time by package (`node_modules` package, `node:` builtin, `isofleet` for the project's own code, or V8's `(garbage collector)`/`(program)`), busiest first. */
  byPackage: ProfileShare[];
  /** Self time by function (`name package/file:line`), busiest first. */
  byFunction: ProfileShare[];
}

/** Where a script URL belongs: its npm package, `node:` for Node's own code, else `isofleet`. */
export function packageOf(url: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:') || url === '') return 'node';
  return 'isofleet';
}

/** Summarises a `.cpuprofile` (parsed JSON); throws a zod error naming the field when it is not one. */
export function summariseProfile(json: unknown, top = 12): ProfileSummary {
  const profile = profileSchema.parse(json);
  const hits = new Map<number, number>();
  if (profile.samples) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
  const total = [...hits.values()].reduce((s, n) => s + n, 0) || 1;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (n === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += n;
      continue;
    }
    const pkg = functionName.startsWith('(') ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n);
    const file = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(controller|common|protocol|apps|sim)\//, '$1/');
    const key = functionName.startsWith('(') ? functionName : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + n);
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => ({ name, share: n / total }));
  return { seconds: (profile.endTime - profile.startTime) / 1e6, busy: 1 - idle / total, byPackage: ranked(byPackage), byFunction: ranked(byFunction) };
}
