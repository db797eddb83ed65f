import { describe, expect, it } from 'vitest';
import { siteSchema } from '../protocol/index.js';
import type { DriveTarget } from '../firmware-bridge/index.js';
import { ADJACENT_ZONES_SITE } from './adjacent-zones.test-support.js';
import { SimRobotDriver } from './sim-robot-driver.js';
import { VirtualClock } from './virtual-clock.js';
import { SimWorld } from './world.js';

const site = siteSchema.parse(ADJACENT_ZONES_SITE);

function setup() {
  const clock = new VirtualClock();
  const breaches: string[] = [];
  const world = new SimWorld({ site, clock, seed: 1, onIsolationBreach: (b) => breaches.push(`${b.robot}: ${b.fromRed} → ${b.node}`) });
  const driver = new SimRobotDriver(world, 'gc', { name: 'r' });
  const signal = new AbortController().signal;
  /** Drives the edges through `nodes` as the bridge would, the clock run to each arrival. */
  const drive = async (...nodes: string[]) => {
    for (let i = 1; i < nodes.length; i++) {
      const target = { fromNodeId: nodes[i - 1]!, nodeId: nodes[i]!, edgeId: `${nodes[i - 1]}--${nodes[i]}` } as DriveTarget;
      await clock.hold(Promise.resolve());
      let arrived = false;
      const drove = driver.driveTo(target, signal).then(() => (arrived = true));
      await clock.until(() => arrived, { wallLimitMs: 5000, what: `arrival at ${nodes[i]}` });
      await drove;
    }
  };
  return { clock, world, driver, drive, breaches, signal };
}

describe("the simulator's isolation check", () => {
  it('flags a robot that goes from red straight into green, once per entry, from what its driver did', async () => {
    const { world, drive, breaches } = setup();
    await drive('gc', 'rh', 'r1', 'rh', 'gc', 'load');
    expect(breaches).toEqual(['r: rh → gc']);
    expect(world.isolation.breaches).toHaveLength(1);
    expect(world.isolation.contaminated('r')).toBe(true);
  });

  it('takes a finished disinfection at the station as clean, and refuses one anywhere else', async () => {
    const { clock, world, driver, drive, breaches, signal } = setup();
    await drive('gc', 'rh', 'bh');
    await expect(driver.disinfect({ method: 'spray', durationS: 15 }, signal)).rejects.toThrow('no disinfection station at bh (corridor)');
    expect(world.isolation.disinfections).toEqual([]);
    await drive('bh', 'dis');
    const start = clock.now();
    let done = false;
    const disinfecting = driver.disinfect({ method: 'spray', durationS: 15 }, signal).then(() => (done = true));
    await clock.until(() => done, { wallLimitMs: 5000, what: 'the disinfection' });
    await disinfecting;
    expect(clock.now() - start).toBe(15_000);
    expect(world.isolation.disinfections).toEqual([{ robot: 'r', station: 'dis', atMs: clock.now() }]);
    await drive('dis', 'load', 'gc');
    expect(breaches).toEqual([]);
    expect(world.isolation.contaminated('r')).toBe(false);
  });
});
