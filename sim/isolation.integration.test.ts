import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADJACENT_ZONES_SITE } from './adjacent-zones.test-support.js';
import { runRobotScenario } from './scenario.js';

describe('a lunch round where red and green touch', () => {
  it('serves every room, and the simulator sees each robot disinfected every time it leaves red', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'isofleet-adjacent-')), 'adjacent.json');
    writeFileSync(file, JSON.stringify(ADJACENT_ZONES_SITE));
    const notes: string[] = [];
    const result = await runRobotScenario({ site: file, robots: 2, rooms: 6, speed: 2000, seed: 3, mqttUrl: process.env.MQTT_URL, onNote: (n) => notes.push(n) });
    expect(result.delivered + result.notCollected).toBe(6);
    expect(result.failed).toBe(0);
    // The simulator's own check, from the nodes each robot reached and the disinfections it finished.
    expect(result.breaches).toEqual([]);
    expect(result.isolationBreaches).toBe(0);
    expect(notes.filter((n) => n.startsWith('isolation breach'))).toEqual([]);
    // Three red rooms: at least one robot went into red, and came out only through the station.
    expect(result.disinfections).toBeGreaterThanOrEqual(1);
  });
});
