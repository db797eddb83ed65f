import { afterEach, describe, expect, it } from 'vitest';
import { distanceM, localFrame, type DroneCommand, type DroneMission } from '../../protocol/index.js';
import { ScaledClock } from '../../sim/scaled-clock.js';
import { waitFor } from '../../sim/scenario.js';
import { SimBroadcastPayload, SimDroneDriver, SimDroneWorld, type PayloadLogEntry } from '../../sim/drone/index.js';
import { TcpLink } from './mavlink/link.js';
import { MavlinkDroneDriver } from './mavlink/mavlink-drone-driver.js';
import { ScriptedAutopilot } from './mavlink/scripted-autopilot.test-support.js';
import { SortiePilot } from './sortie-pilot.js';

const pad = { lat: 22.72, lon: 114.25 };
const frame = localFrame(pad.lat, pad.lon);
const at = (x: number, y: number) => frame.toGeo(x, y);
const stops = [at(0, 40), at(60, 40), at(120, 40)];
const message = { kind: 'text' as const, text: '请扫描无人机上的二维码，填写健康申报。', lang: 'zh' as const };

/** Pad → three 30 s stops 60 m apart at 15 m, playing at each → pad. */
const mission: DroneMission = {
  headerId: 0,
  timestamp: new Date(0).toISOString(),
  droneId: 'drone-1',
  missionId: 'b1',
  pads: [pad],
  broadcast: { message, volumePct: 90, qr: 'https://decl.example/q' },
  sorties: [
    {
      index: 0,
      waypoints: [
        { ...pad, altM: 0, speedMps: 8, spray: false, flowLPerMin: 0 },
        ...stops.map((p) => ({ ...p, altM: 15, speedMps: 8, spray: false, flowLPerMin: 0, holdS: 30, play: true })),
        { ...pad, altM: 0, speedMps: 8, spray: false, flowLPerMin: 0 },
      ],
    },
  ],
};

/**
 * How far from a waypoint the payload may log a MAVLink drone's reach of it, m. The payload reads
 * the driver's last GLOBAL_POSITION_INT, streamed after each step of the stand-in, which flies at
 * its speed right up to its 0.3 m arrival: at the reach that position is one step behind. A step
 * is 0.1 s, or up to 1 s when a busy machine fires it late; still far short of the next stop.
 */
const stepBehindM = (speedMps: number) => 0.3 + speedMps * 1;

let n = 0;
const command = (pilot: SortiePilot, c: Record<string, unknown>) =>
  pilot.command({ headerId: n, timestamp: new Date(0).toISOString(), droneId: 'drone-1', commandId: `c${n++}`, ...c } as DroneCommand);

/** Each playing's place and how long until the next stopPlaying. */
function playings(log: PayloadLogEntry[]) {
  return log.flatMap((e, i) => {
    if (e.action !== 'play') return [];
    const stop = log.slice(i + 1).find((x) => x.action === 'stopPlaying');
    return [{ at: { lat: e.lat, lon: e.lon }, altM: e.altM, repeat: e.repeat, forS: stop ? (stop.atMs - e.atMs) / 1000 : Infinity, message: e.message }];
  });
}

function expectPlayedAtEveryStop(log: PayloadLogEntry[], toleranceM: number) {
  const played = playings(log);
  expect(played).toHaveLength(stops.length);
  played.forEach((p, i) => {
    expect(distanceM(p.at, stops[i]!), `playing ${i}`).toBeLessThan(toleranceM);
    expect(p.forS).toBeGreaterThanOrEqual(29);
    expect(p.forS).toBeLessThan(40);
    expect(p.repeat).toBe(true);
    expect(p.message).toEqual(message);
  });
  const shown = log.find((e) => e.action === 'show');
  expect(shown?.qr).toBe('https://decl.example/q');
  expect(log.find((e) => e.action === 'volume')?.volumePct).toBe(90);
  // Shown before the first playing, blanked after landing.
  expect(log.indexOf(shown!)).toBeLessThan(log.findIndex((e) => e.action === 'play'));
  expect(log.at(-1)?.action).toBe('clearDisplay');
  expect(log.at(-1)?.altM).toBe(0);
}

describe('sortie pilot with a broadcast payload', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('on a drone flown leg by leg (the simulator): shows the QR, plays the message on arrival at every stop for the hold, silent between, blank once landed', async () => {
    const clock = new ScaledClock(100);
    const world = new SimDroneWorld({ clock, pads: [pad], seed: 3 });
    const driver = new SimDroneDriver(world, pad, { broadcast: true });
    world.add(driver);
    world.start();
    cleanup.push(() => world.stop());
    const pilot = new SortiePilot(driver, clock, () => {});
    pilot.setMission(mission);
    expect(await command(pilot, { command: 'start', missionId: 'b1', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'landed' && pilot.lastCompletedSortie === 0, 20_000, 'sortie flown');
    expectPlayedAtEveryStop(driver.payload!.log, 1);
  });

  it("on an autopilot flying the sortie as one mission (MAVLink): the same, started at the stop's MISSION_ITEM_REACHED", async () => {
    const clock = new ScaledClock(20);
    const ap = await ScriptedAutopilot.start({ clock, home: pad, ekfReadyAfterMs: 0 });
    let driver: MavlinkDroneDriver | undefined;
    const device = new SimBroadcastPayload(clock, () => ({ ...(driver ? driver.status() : pad), altM: driver?.status().altM ?? 0 }));
    driver = await MavlinkDroneDriver.connect({ link: new TcpLink('127.0.0.1', ap.port, 20), clock, payload: { device, has: ['speaker', 'display'] } });
    cleanup.push(async () => {
      await driver!.close();
      await ap.close();
    });
    await waitFor(() => driver!.status().lat !== 0, 2000, 'first position');
    expect(driver.capabilities).toEqual(expect.arrayContaining(['speaker', 'display']));
    const pilot = new SortiePilot(driver, clock, () => {});
    pilot.setMission(mission);
    expect(await command(pilot, { command: 'start', missionId: 'b1', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'landed' && pilot.lastCompletedSortie === 0, 30_000, 'sortie flown');
    expectPlayedAtEveryStop(device.log, stepBehindM(8));
  }, 60_000);

  it("takes the operator's payload commands, and refuses them on a drone without a speaker or display", async () => {
    const clock = new ScaledClock(100);
    const world = new SimDroneWorld({ clock, pads: [pad], seed: 3 });
    const speaker = new SortiePilot(new SimDroneDriver(world, pad, { broadcast: true }), clock, () => {});
    const sprayer = new SortiePilot(new SimDroneDriver(world, pad), clock, () => {});
    expect(await command(speaker, { command: 'play', message, repeat: false, volumePct: 40 })).toBeUndefined();
    expect(await command(speaker, { command: 'show', qr: 'https://decl.example/q' })).toBeUndefined();
    expect(await command(sprayer, { command: 'play', message })).toBe('this drone has no speaker');
    expect(await command(sprayer, { command: 'clearDisplay' })).toBe('this drone has no display');
  });
  it("on an autopilot flying a broadcast line forward (MAVLink): one playing from the line's first waypoint to its last, none before or after", async () => {
    const clock = new ScaledClock(20);
    const ap = await ScriptedAutopilot.start({ clock, home: pad, ekfReadyAfterMs: 0 });
    let driver: MavlinkDroneDriver | undefined;
    const device = new SimBroadcastPayload(clock, () => ({ ...(driver ? driver.status() : pad), altM: driver?.status().altM ?? 0 }));
    driver = await MavlinkDroneDriver.connect({ link: new TcpLink('127.0.0.1', ap.port, 20), clock, payload: { device, has: ['speaker', 'display'] } });
    cleanup.push(async () => {
      await driver!.close();
      await ap.close();
    });
    await waitFor(() => driver!.status().lat !== 0, 2000, 'first position');
    // Pad → (0, 40) → a bent line to (120, 40) at 3 m/s playing → pad, all at 10 m/s otherwise.
    const wp = (p: { lat: number; lon: number }, altM: number, speedMps: number, play?: boolean) => ({ ...p, altM, speedMps, spray: false, flowLPerMin: 0, ...(play ? { play } : {}) });
    const line = [at(0, 40), at(40, 50), at(80, 40), at(120, 40)];
    const forward: DroneMission = {
      ...mission,
      sorties: [{ index: 0, waypoints: [wp(pad, 0, 10), ...line.slice(0, -1).map((p) => wp(p, 15, 3, true)), wp(line.at(-1)!, 15, 10), wp(pad, 0, 10)] }],
    };
    const pilot = new SortiePilot(driver, clock, () => {});
    pilot.setMission(forward);
    expect(await command(pilot, { command: 'start', missionId: 'b1', sortie: 0 })).toBeUndefined();
    await waitFor(() => pilot.mode === 'landed' && pilot.lastCompletedSortie === 0, 30_000, 'sortie flown');
    const speaker = device.log.filter((e) => e.action === 'play' || e.action === 'stopPlaying');
    expect(speaker.map((e) => e.action)).toEqual(['play', 'stopPlaying']);
    expect(speaker[0]!.repeat).toBe(true);
    expect(distanceM(speaker[0]!, line[0]!)).toBeLessThan(stepBehindM(10));
    expect(distanceM(speaker[1]!, line.at(-1)!)).toBeLessThan(stepBehindM(3));
  }, 60_000);
});
