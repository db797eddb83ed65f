import { common } from 'node-mavlink';
import { afterEach, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../sim/scaled-clock.js';
import { MavEndpoint } from './endpoint.js';
import { TcpLink } from './link.js';
import { fenceItems } from './mission-items.js';
import { downloadMission, uploadMission, type MissionItem } from './mission-transfer.js';
import { ScriptedAutopilot, type ProtocolFaults } from './scripted-autopilot.test-support.js';

const home = { lat: 22.72, lon: 114.25 };
const target = { sysid: 1, compid: 1 };

function items(n: number): MissionItem[] {
  return [...Array(n).keys()].map((i) => ({
    frame: common.MavFrame.GLOBAL_RELATIVE_ALT,
    command: common.MavCmd.NAV_WAYPOINT,
    param1: 0,
    param2: 0,
    param3: 0,
    param4: 0,
    x: 227_200_000 + i * 100,
    y: 1_142_500_000,
    z: 2.5 + i,
  }));
}

describe('mission protocol against the scripted autopilot', () => {
  let ap: ScriptedAutopilot;
  let link: TcpLink;
  let endpoint: MavEndpoint;
  // 1500 ms protocol timeouts take 75 ms of real time, 250 ms 12.5 ms: above a loopback round trip on a busy machine.
  const clock = new ScaledClock(20);

  async function setUp(options: { faults?: ProtocolFaults; requestInt?: boolean } = {}) {
    ap = await ScriptedAutopilot.start({ clock, home, ...options });
    link = new TcpLink('127.0.0.1', ap.port, 20);
    await link.connected();
    endpoint = new MavEndpoint(link, 255, 190);
  }
  const ctx = (missionType = common.MavMissionType.MISSION) => ({ endpoint, target, clock, missionType });

  afterEach(async () => {
    endpoint.close();
    await link.close();
    await ap.close();
  });

  it('uploads to an autopilot that asks with MISSION_REQUEST (ArduCopter 4.6), answering MISSION_ITEM_INT', async () => {
    await setUp();
    const r = await uploadMission(ctx(), items(6));
    expect(r).toEqual({ ok: true, value: undefined });
    expect(ap.stored.get(common.MavMissionType.MISSION)!.map((i) => i.z)).toEqual([2.5, 3.5, 4.5, 5.5, 6.5, 7.5]);
  });

  it('uploads to an autopilot that asks with MISSION_REQUEST_INT', async () => {
    await setUp({ requestInt: true });
    expect((await uploadMission(ctx(), items(3))).ok).toBe(true);
    expect(ap.stored.get(common.MavMissionType.MISSION)).toHaveLength(3);
  });

  it('re-sends MISSION_COUNT after 1500 ms without an answer', async () => {
    await setUp({ faults: { ignoreCounts: 2 } });
    const t0 = clock.now();
    expect((await uploadMission(ctx(), items(3))).ok).toBe(true);
    expect(ap.counts).toBe(3);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(3000);
  });

  it('re-sends the last item when the next request is lost (250 ms item timeout)', async () => {
    await setUp({ faults: { loseRequestFor: [2] } });
    expect((await uploadMission(ctx(), items(4))).ok).toBe(true);
    expect(ap.stored.get(common.MavMissionType.MISSION)).toHaveLength(4);
    // Item 1 went out again when the request for item 2 did not come; the autopilot asked again.
    expect(ap.itemsReceived.filter((s) => s === 1).length).toBeGreaterThanOrEqual(2);
  });

  it('answers every repeated request, and the upload still completes once', async () => {
    await setUp({ faults: { repeatRequests: true } });
    expect((await uploadMission(ctx(), items(5))).ok).toBe(true);
    expect(ap.itemsReceived.filter((s) => s === 2).length).toBeGreaterThanOrEqual(2);
    expect(ap.stored.get(common.MavMissionType.MISSION)!.map((i) => i.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('serves requests in any order', async () => {
    await setUp({ faults: { reverseOrder: true } });
    expect((await uploadMission(ctx(), items(5))).ok).toBe(true);
    expect([...new Set(ap.itemsReceived)]).toEqual([4, 3, 2, 1, 0]);
    expect(ap.stored.get(common.MavMissionType.MISSION)!.map((i) => i.z)).toEqual([2.5, 3.5, 4.5, 5.5, 6.5]);
  });

  it('reports a NACK with its MAV_MISSION_RESULT', async () => {
    await setUp({ faults: { nack: common.MavMissionResult.NO_SPACE } });
    expect(await uploadMission(ctx(), items(3))).toEqual({ ok: false, reason: 'MISSION upload refused: NO_SPACE' });
  });

  it('gives up after 5 re-sends when the autopilot stays silent', async () => {
    await setUp({ faults: { silent: true } });
    expect(await uploadMission(ctx(), items(3))).toEqual({ ok: false, reason: 'no answer to MISSION_COUNT after 5 retries' });
    expect(ap.counts).toBe(6);
  });

  it('reads a fence back: inclusion polygon and exclusion polygons as uploaded (mission type FENCE)', async () => {
    await setUp();
    const fence = {
      geofence: [home, { lat: 22.721, lon: 114.25 }, { lat: 22.721, lon: 114.251 }, { lat: 22.72, lon: 114.251 }],
      keepouts: [
        [
          { lat: 22.7203, lon: 114.2503 },
          { lat: 22.7205, lon: 114.2503 },
          { lat: 22.7205, lon: 114.2505 },
        ],
      ],
    };
    expect((await uploadMission(ctx(common.MavMissionType.FENCE), fenceItems(fence))).ok).toBe(true);
    // The mission is left alone.
    expect(ap.stored.get(common.MavMissionType.MISSION)).toBeUndefined();
    const back = await downloadMission(ctx(common.MavMissionType.FENCE));
    expect(back.ok).toBe(true);
    const got = back.ok ? back.value : [];
    expect(got.map((i) => i.command)).toEqual([5001, 5001, 5001, 5001, 5002, 5002, 5002]);
    expect(got.map((i) => i.param1)).toEqual([4, 4, 4, 4, 3, 3, 3]);
    expect(got[5]!.x).toBe(227_205_000);
    expect(got[5]!.y).toBe(1_142_503_000);
  });
});
