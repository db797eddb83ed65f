import { describe, expect, it } from 'vitest';
import { packageOf, summariseProfile } from './cpu-profile.js';

const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 9, columnNumber: 0, scriptId: '1' } });

describe('CPU profile summary', () => {
  it('counts self time by package and function from the samples, idle left out of both', () => {
    const profile = {
      nodes: [
        frame(1, '(root)', ''),
        frame(2, '(idle)', ''),
        frame(3, 'parse', 'file:///x/node_modules/mqtt-packet/parser.js'),
        frame(4, 'onState', 'file:///x/controller/fleet/fleet-registry.ts'),
        frame(5, '(garbage collector)', ''),
        frame(6, 'safeParse', 'file:///x/node_modules/@zod/core/index.js'),
      ],
      startTime: 0,
      endTime: 2_000_000,
      samples: [2, 2, 2, 2, 3, 3, 3, 4, 5, 6],
    };
    const summary = summariseProfile(profile);
    expect(summary.seconds).toBe(2);
    expect(summary.busy).toBeCloseTo(0.6);
    expect(summary.byPackage).toEqual([
      { name: 'mqtt-packet', share: 0.3 },
      { name: 'isofleet', share: 0.1 },
      { name: '(garbage collector)', share: 0.1 },
      { name: '@zod/core', share: 0.1 },
    ]);
    expect(summary.byFunction[0]).toEqual({ name: 'parse mqtt-packet/parser.js:10', share: 0.3 });
    expect(summary.byFunction[1]!.name).toBe('onState controller/fleet/fleet-registry.ts:10');
  });

  it('names the field when the file is not a CPU profile', () => {
    expect(() => summariseProfile({ nodes: 'x' })).toThrow(/nodes/);
    expect(packageOf('node:internal/streams')).toBe('node');
  });
});
