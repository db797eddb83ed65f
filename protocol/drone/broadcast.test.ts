import { describe, expect, it } from 'vitest';
import { parseWith } from '../validation.js';
import { droneCommandSchema, droneMissionSchema } from './messages.js';

const header = { headerId: 1, timestamp: '2026-11-29T10:00:00.000Z', droneId: 'drone-1', commandId: 'c1' };
const paths = (result: ReturnType<typeof parseWith>) => (result.ok ? [] : result.problems.map((p) => p.path));

describe('broadcast payload on the drone topics', () => {
  it('takes play (text or audio), stopPlaying, volume, show and clearDisplay commands', () => {
    for (const c of [
      { command: 'play', message: { kind: 'text', text: '请扫码申报', lang: 'zh' }, repeat: true, volumePct: 80 },
      { command: 'play', message: { kind: 'audio', url: 'https://decl.example/call.mp3', durationS: 14 } },
      { command: 'stopPlaying' },
      { command: 'volume', volumePct: 0 },
      { command: 'show', qr: 'https://decl.example/q' },
      { command: 'clearDisplay' },
    ])
      expect(parseWith(droneCommandSchema, { ...header, ...c }).ok, c.command).toBe(true);
  });

  it('refuses a bad payload command naming the field', () => {
    expect(paths(parseWith(droneCommandSchema, { ...header, command: 'play', message: { kind: 'text', text: '  ', lang: 'zh' } }))).toEqual(['message.text']);
    expect(paths(parseWith(droneCommandSchema, { ...header, command: 'play', message: { kind: 'text', text: 'hi', lang: 'fr' } }))).toEqual(['message.lang']);
    expect(paths(parseWith(droneCommandSchema, { ...header, command: 'play', message: { kind: 'audio', url: 'file:///etc/passwd', durationS: 3 } }))).toEqual(['message.url']);
    expect(paths(parseWith(droneCommandSchema, { ...header, command: 'volume', volumePct: 150 }))).toEqual(['volumePct']);
    expect(paths(parseWith(droneCommandSchema, { ...header, command: 'show', qr: 'x'.repeat(301) }))).toEqual(['qr']);
  });

  it('carries the broadcast and the stops in a mission, and names a bad one', () => {
    const mission = {
      ...header,
      missionId: 'b1',
      pads: [{ lat: 22.7, lon: 114.2 }],
      broadcast: { message: { kind: 'text', text: 'Please declare', lang: 'en' }, qr: 'https://decl.example/q' },
      sorties: [
        {
          index: 0,
          waypoints: [
            { lat: 22.7, lon: 114.2, altM: 0, speedMps: 10, spray: false, flowLPerMin: 0 },
            { lat: 22.701, lon: 114.2, altM: 15, speedMps: 10, spray: false, flowLPerMin: 0, holdS: 40, play: true },
          ],
        },
      ],
    };
    expect(parseWith(droneMissionSchema, mission).ok).toBe(true);
    expect(paths(parseWith(droneMissionSchema, { ...mission, broadcast: { ...mission.broadcast, volumePct: -1 } }))).toEqual(['broadcast.volumePct']);
    const badHold = structuredClone(mission);
    (badHold.sorties[0]!.waypoints[1] as { holdS: number }).holdS = -5;
    expect(paths(parseWith(droneMissionSchema, badHold))).toEqual(['sorties.0.waypoints.1.holdS']);
  });
});
