import { createServer, type AddressInfo } from 'node:net';
import { common } from 'node-mavlink';
import { afterEach, describe, expect, it } from 'vitest';
import { localFrame } from '../../../protocol/index.js';
import { ScaledClock } from '../../../sim/scaled-clock.js';
import { waitFor } from '../../../sim/scenario.js';
import type { DroneLogEntry, FlightPlan } from '../driver.js';
import { TcpLink } from './link.js';
import { ExternalControlError, MavlinkDroneDriver } from './mavlink-drone-driver.js';
import { ScriptedAutopilot, type ScriptedAutopilotOptions } from './scripted-autopilot.test-support.js';

const home = { lat: 22.72, lon: 114.25 };
const frame = localFrame(home.lat, home.lon);
const at = (x: number, y: number) => frame.toGeo(x, y);
const Cmd = common.MavCmd;
const GUIDED = 4;
const AUTO = 3;

/** Approach to (0, 20), spray east to (60, 20), ferry back to (0, 0), land. */
const sortiePlan: FlightPlan = {
  takeOffAltM: 2.5,
  legs: [
    { ...at(0, 20), altM: 2.5, speedMps: 5, spray: false, flowLPerMin: 0 },
    { ...at(60, 20), altM: 2.5, speedMps: 5, spray: true, flowLPerMin: 6 },
    { ...at(0, 0), altM: 2.5, speedMps: 8, spray: false, flowLPerMin: 0 },
  ],
  land: true,
};

describe('MAVLink driver against the scripted autopilot', () => {
  // ×20: the protocol's 250 ms item timeout is 12.5 ms of real time.
  const clock = new ScaledClock(20);
  let ap: ScriptedAutopilot;
  let link: TcpLink;
  let driver: MavlinkDroneDriver;
  const log: DroneLogEntry[] = [];

  async function setUp(options: Partial<ScriptedAutopilotOptions> = {}) {
    ap = await ScriptedAutopilot.start({ clock, home, ekfReadyAfterMs: 0, ...options });
    link = new TcpLink('127.0.0.1', ap.port, 20);
    driver = await MavlinkDroneDriver.connect({ link, clock });
    log.length = 0;
    driver.onLog((entry) => log.push(entry));
    await waitFor(() => driver.status().lat !== 0, 2000, 'first position');
  }
  afterEach(async () => {
    await driver?.close();
    await ap?.close();
  });
  const fly = (plan: FlightPlan, progress: number[] = [], signal = new AbortController().signal) => driver.flyPlan(plan, signal, (leg) => progress.push(leg));

  it('waits to arm while the autopilot refuses ("PreArm: Need Position Estimate"), says so, then flies', async () => {
    await setUp({ ekfReadyAfterMs: 30_000 });
    const flight = fly(sortiePlan);
    await waitFor(() => driver.status().notice?.includes('Need Position Estimate') === true, 3000, 'notice');
    expect(driver.status().ekfOk).toBe(false);
    expect(driver.status().gpsOk).toBe(true);
    expect(ap.armed).toBe(false);
    await flight;
    expect(driver.status().notice).toBeUndefined();
    expect(ap.landed && !ap.armed).toBe(true);
    expect(log.some((e) => e.message === 'PreArm: Need Position Estimate')).toBe(true);
  });

  it('arms in GUIDED and starts with MISSION_START right after arming, never switching to AUTO on the ground', async () => {
    await setUp();
    await fly(sortiePlan);
    const armIndex = ap.commands.findIndex((c) => c.command === Cmd.COMPONENT_ARM_DISARM && c.params[0] === 1);
    const arm = ap.commands[armIndex]!;
    const modeBefore = ap.commands
      .slice(0, armIndex)
      .filter((c) => c.command === Cmd.DO_SET_MODE)
      .at(-1);
    expect(modeBefore?.params[1]).toBe(GUIDED);
    const start = ap.commands.find((c) => c.command === Cmd.MISSION_START)!;
    // ArduCopter disarms ~10 s after arming on the ground: the start must follow at once.
    expect(start.atMs - arm.atMs).toBeLessThan(2000);
    expect(ap.commands.some((c) => c.command === Cmd.DO_SET_MODE && c.params[1] === AUTO && c.landed)).toBe(false);
  });

  it('when the start fails after arming, the copter disarms itself on the ground after ~10 s; the next flight arms and starts again', async () => {
    await setUp({ refuseOnce: [Cmd.MISSION_START] });
    await expect(fly(sortiePlan)).rejects.toThrow('MISSION_START FAILED');
    const armedAt = ap.commands.find((c) => c.command === Cmd.COMPONENT_ARM_DISARM)!.atMs;
    await waitFor(() => driver.status().armed, 3000, 'armed');
    await waitFor(() => !driver.status().armed, 3000, 'disarmed by the autopilot');
    expect(clock.now() - armedAt).toBeGreaterThanOrEqual(10_000);
    expect(log.some((e) => e.message === 'Disarming motors')).toBe(true);
    await fly(sortiePlan);
    expect(ap.commands.filter((c) => c.command === Cmd.MISSION_START)).toHaveLength(2);
    expect(ap.landed && !ap.armed).toBe(true);
  });

  it('flies a plan as one AUTO mission: sprayer on and off at the leg ends, progress by NAV item though DO_SPRAYER is never reached, lands', async () => {
    await setUp();
    const progress: number[] = [];
    await fly(sortiePlan, progress);
    expect(progress).toEqual([-1, 0, 1, 2, 3]);
    const [on, off] = ap.sprayEvents;
    expect(on?.on).toBe(true);
    expect(Math.hypot(on!.x - 0, on!.y - 20)).toBeLessThan(0.5);
    expect(off?.on).toBe(false);
    expect(Math.hypot(off!.x - 60, off!.y - 20)).toBeLessThan(0.5);
    const mission = ap.stored.get(common.MavMissionType.MISSION)!;
    const sprayerSeqs = mission.filter((i) => i.command === (216 as common.MavCmd)).map((i) => i.seq);
    // Off before the first leg (whatever the last flight left), on, off.
    expect(mission.filter((i) => i.command === (216 as common.MavCmd)).map((i) => i.param1)).toEqual([0, 1, 0]);
    expect(ap.reachedSeqs.some((s) => sprayerSeqs.includes(s))).toBe(false);
    // Speeds by DO_CHANGE_SPEED: 5 m/s out, 8 m/s back.
    expect(mission.filter((i) => i.command === Cmd.DO_CHANGE_SPEED).map((i) => i.param2)).toEqual([5, 8]);
    expect(driver.status().landed).toBe(true);
  });

  it('integrates the tank from the commanded flow and says so; takes a level sensor (FUEL_STATUS) when there is one', async () => {
    await setUp();
    await fly(sortiePlan);
    // 60 m at 5 m/s = 12 s at 6 L/min = 1.2 L.
    expect(driver.status().tankSource).toBe('integrated');
    expect(driver.status().sprayedL).toBeGreaterThan(1.0);
    expect(driver.status().sprayedL).toBeLessThan(1.4);
    expect(driver.status().tankL).toBeCloseTo(20 - driver.status().sprayedL, 6);
    expect(driver.capabilities).not.toContain('tankLevel');
    await driver.close();
    await ap.close();
    await setUp({ tankL: 12.5 });
    await waitFor(() => driver.status().tankSource === 'measured', 3000, 'FUEL_STATUS');
    expect(driver.status().tankL).toBe(12.5);
    expect(driver.capabilities).toContain('tankLevel');
  });

  it("integrates the tank over the distance flown, so an autopilot running behind the bridge's clock does not empty it early", async () => {
    // The autopilot flies at 0.6 of the clock (a SITL on a loaded machine): the sortie takes 20 clock s, not 12.
    await setUp({ timeScale: 0.6 });
    await fly(sortiePlan);
    // 60 m planned at 5 m/s and 6 L/min: 1.2 L however long it took by the clock.
    expect(driver.status().sprayedL).toBeGreaterThan(1.0);
    expect(driver.status().sprayedL).toBeLessThan(1.4);
  });

  it('after landing in AUTO, leaves AUTO before uploading the next flight (ArduCopter restarts its command for every item written in AUTO)', async () => {
    await setUp();
    await fly(sortiePlan);
    expect(ap.landed && driver.status().flightMode).toBe('AUTO');
    await fly(sortiePlan);
    expect(log.filter((e) => e.message === 'Auto mission changed, restarted command')).toEqual([]);
    expect(ap.landed).toBe(true);
  });

  it('says why no autopilot answered when its link never came up', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nobody = new TcpLink('127.0.0.1', port, 20);
    await expect(MavlinkDroneDriver.connect({ link: nobody, clock }, 2000)).rejects.toThrow(`no autopilot heartbeat within 2 s (the link is down: connect ECONNREFUSED 127.0.0.1:${port})`);
    await nobody.close();
  });

  it('reports wind, landed state, armed and mode from the autopilot', async () => {
    await setUp();
    await waitFor(() => driver.status().windMps > 0 && driver.status().flightMode === 'STABILIZE', 3000, 'wind and mode');
    expect(driver.status()).toMatchObject({ windMps: expect.closeTo(3.2, 3), windDirDeg: 225, landed: true, armed: false });
  });

  it('stops commanding when a pilot takes over (a mode it did not command): the flight rejects, flights are refused until the operator hands control back', async () => {
    await setUp();
    const flight = fly(sortiePlan);
    await waitFor(() => ap.running && ap.current > 2 && !ap.landed, 5000, 'flying the mission');
    ap.pilotTakeover('LOITER');
    await expect(flight).rejects.toBeInstanceOf(ExternalControlError);
    expect(driver.status().externalControl?.mode).toBe('LOITER');
    const sent = ap.commands.length;
    await expect(fly(sortiePlan)).rejects.toBeInstanceOf(ExternalControlError);
    driver.setPump(false, 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(ap.commands.length).toBe(sent);
    driver.releaseExternalControl();
    expect(driver.status().externalControl).toBeUndefined();
    await fly({ takeOffAltM: 2.5, legs: [{ ...at(5, 5), altM: 2.5, speedMps: 5, spray: false, flowLPerMin: 0 }], land: true });
    expect(ap.landed).toBe(true);
  });

  it('keeps following the mission across a dropped link: the autopilot flies on and the driver reconnects', async () => {
    await setUp();
    const progress: number[] = [];
    const flight = fly(sortiePlan, progress);
    await waitFor(() => progress.includes(1), 5000, 'on the spray leg');
    ap.dropLink();
    await waitFor(() => !link.up, 1000, 'link down');
    await flight;
    expect(progress.at(-1)).toBe(3);
    expect(ap.landed).toBe(true);
  });

  it('gives the autopilot the fence, keepouts and failsafe settings, read back', async () => {
    await setUp();
    const geofence = [at(-50, -50), at(100, -50), at(100, 100), at(-50, 100)];
    const keepouts = [[at(20, 30), at(40, 30), at(40, 50)]];
    await driver.setFence({ geofence, keepouts, returnAltM: 25, linkLossTimeoutS: 4 });
    const fence = await driver.readBack(common.MavMissionType.FENCE);
    expect(fence.filter((i) => i.command === Cmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION)).toHaveLength(4);
    expect(fence.filter((i) => i.command === Cmd.NAV_FENCE_POLYGON_VERTEX_EXCLUSION).map((i) => i.x)).toEqual(keepouts[0]!.map((p) => Math.round(p.lat * 1e7)));
    expect(Object.fromEntries(ap.params)).toMatchObject({ FENCE_ENABLE: 1, FENCE_TYPE: 5, FENCE_ACTION: 1, RTL_ALT: 2500, FS_GCS_ENABLE: 1, FS_GCS_TIMEOUT: 4 });
  });

  it('with the link gone past FS_GCS_TIMEOUT the autopilot returns on its own (RTL), and the driver reports it under external control', async () => {
    await setUp();
    await driver.setFence({ geofence: [at(-50, -50), at(100, -50), at(100, 100), at(-50, 100)], keepouts: [], returnAltM: 15, linkLossTimeoutS: 3 });
    const flight = fly(sortiePlan);
    flight.catch(() => {});
    await waitFor(() => ap.running && ap.current > 3 && !ap.landed, 5000, 'flying the mission');
    ap.refuseConnectionsFor(6000);
    await waitFor(() => ap.modeName === 'RTL', 5000, 'GCS failsafe');
    await expect(flight).rejects.toBeInstanceOf(ExternalControlError);
    expect(driver.status().externalControl).toMatchObject({ mode: 'RTL' });
    expect(driver.status().externalControl!.reason).toContain('to RTL without the bridge');
    await waitFor(() => ap.landed, 10_000, 'landed home');
    expect(Math.hypot(ap.x, ap.y)).toBeLessThan(0.5);
  });

  it('reports the arrival at a hover stop when it arrives, and moves on to the next leg only after the hold', async () => {
    await setUp();
    const plan: FlightPlan = {
      takeOffAltM: 10,
      legs: [
        { ...at(0, 30), altM: 10, speedMps: 5, spray: false, flowLPerMin: 0, holdS: 20 },
        { ...at(40, 30), altM: 10, speedMps: 5, spray: false, flowLPerMin: 0 },
      ],
      land: false,
    };
    const events: Array<{ kind: 'leg' | 'arrived'; leg: number; atMs: number; y: number }> = [];
    const y = () => Math.round(frame.toLocal(driver.status().lat, driver.status().lon).y);
    await driver.flyPlan(
      plan,
      new AbortController().signal,
      (leg) => events.push({ kind: 'leg', leg, atMs: clock.now(), y: y() }),
      (leg) => events.push({ kind: 'arrived', leg, atMs: clock.now(), y: y() }),
    );
    const arrived = events.find((e) => e.kind === 'arrived' && e.leg === 0)!;
    const next = events.find((e) => e.kind === 'leg' && e.leg === 1)!;
    expect(arrived, JSON.stringify(events)).toBeDefined();
    // At the stop (30 m north), and the next leg begins after the 20 s hover, not on arrival.
    expect(Math.abs(arrived.y - 30)).toBeLessThanOrEqual(1);
    expect(next.atMs - arrived.atMs).toBeGreaterThanOrEqual(19_000);
    expect(events.filter((e) => e.kind === 'arrived').map((e) => e.leg)).toEqual([0, 1]);
  });
});
