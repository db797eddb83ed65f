import { describe, expect, it } from 'vitest';
import { runRobotScenario } from './scenario.js';

describe('scenario runner', () => {
  it('runs a lunch round to the end: every room delivered or not collected, none failed', async () => {
    const progress: number[] = [];
    const result = await runRobotScenario({
      site: 'hotel',
      robots: 3,
      rooms: 14,
      // Only on a broker in another process (MQTT_URL) does the scaled clock run; at ×400 a door's
      // 7 s open is 17 ms of wall time, long enough for the robot's state and the door sensor's
      // message, on connections of their own, to reach the controller in their simulated order.
      speed: 400,
      seed: 4,
      mqttUrl: process.env.MQTT_URL,
      onProgress: (p) => progress.push(p.done),
    });
    expect(result.rooms).toBe(14);
    expect(result.delivered + result.notCollected).toBe(14);
    expect(result.failed).toBe(0);
    // 14 rooms on robots with 4 trays: 4 full trips at least; the planner may split the last
    // stops onto a trip of their own when that ends the round sooner (improveSchedule), never more.
    expect(result.trips).toBeGreaterThanOrEqual(4);
    expect(result.trips).toBeLessThanOrEqual(5);
    expect(result.makespanS).toBeGreaterThan(0);
    expect(result.meanDeliveryS).toBeLessThan(result.makespanS);
    expect(progress.at(-1)).toBe(14);
    // Each resident who came opened the door before taking the tray: every delivery was seen by
    // the room's door sensor too, and a resident who came after the robot left still opened it.
    expect(result.delivered).toBeGreaterThan(0);
    expect(result.doorConfirmed).toBe(result.delivered);
    expect(result.doorOpens).toBeGreaterThanOrEqual(result.delivered);
    // The hotel's tunnel and door spurs are reserved: three robots never meet head-on there,
    // and every robot went through the tunnel twice a trip at least (granted each time).
    expect(result.headOn).toBe(0);
    expect(result.longWaits).toEqual([]);
    expect(result.wayQueues.grants).toBeGreaterThanOrEqual(2 * result.trips);
    // The ETA error of the delivered rooms, as predicted at the start and when each tray was loaded.
    expect(result.etaError!.atLoad.n).toBe(result.delivered);
    expect(result.etaError!.atStart.n).toBe(result.delivered);
    expect(result.etaError!.atLoad.p90S).toBeGreaterThanOrEqual(result.etaError!.atLoad.meanS);
  }, 120_000); // at ×400 on an outside broker, 5 s on a quiet machine and over 30 s on a loaded one
});
