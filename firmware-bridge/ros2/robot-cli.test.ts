import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRobotBridgeArgs, readRobotConfig } from './robot-cli.js';

const base = ['robot', '--id', 'robot-7', '--ros2', '--config', 'robot.json', '--start-node', 'G-charger1'];

describe('npm run bridge -- robot: flags and the robot building file', () => {
  it('takes the ROS 2 robot flags with their defaults and environment', () => {
    expect(parseRobotBridgeArgs([...base, '--namespace', '/robot7'], { MQTT_URL: 'mqtt://10.0.0.5:1883', ISOFLEET_LIFTS: 'none' })).toEqual({
      ok: true,
      flags: expect.objectContaining({
        id: 'robot-7',
        ros2: true,
        namespace: '/robot7',
        broker: 'mqtt://10.0.0.5:1883',
        manufacturer: 'isofleet',
        lifts: 'none',
        doors: 'rmf',
        'lift-timeout-s': 300,
      }),
    });
  });

  it('names the bad flag in one line', () => {
    expect(
      parseRobotBridgeArgs(
        base.filter((a) => a !== '--ros2'),
        {},
      ),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^--ros2 is required/) });
    expect(parseRobotBridgeArgs([...base, '--namespace', 'robot7'], {})).toMatchObject({ ok: false, error: expect.stringMatching(/^--namespace must be a ROS 2 namespace/) });
    expect(parseRobotBridgeArgs([...base, '--lifts', 'bacnet'], {})).toMatchObject({ ok: false, error: expect.stringMatching(/^--lifts /) });
    expect(parseRobotBridgeArgs(['robot', '--ros2', '--config', 'c.json', '--start-node', 'n'], {})).toMatchObject({ ok: false, error: '--id is required' });
    expect(parseRobotBridgeArgs([...base.slice(0, -2)], {})).toMatchObject({ ok: false, error: expect.stringMatching(/^--start-node is required/) });
  });

  it('takes the site id from --site-id or ISOFLEET_SITE_ID, one safe topic level only', () => {
    expect(parseRobotBridgeArgs([...base, '--site-id', 'hotel-a'], {})).toMatchObject({ ok: true, flags: { 'site-id': 'hotel-a' } });
    expect(parseRobotBridgeArgs(base, { ISOFLEET_SITE_ID: 'hotel-b' })).toMatchObject({ ok: true, flags: { 'site-id': 'hotel-b' } });
    for (const bad of ['hotel/a', 'Hotel', 'a+b', '#'])
      expect(parseRobotBridgeArgs([...base, '--site-id', bad], {})).toMatchObject({ ok: false, error: expect.stringMatching(/^--site-id must be 1-32 lower-case/) });
  });

  it('reads the building file, naming the field that is wrong', async () => {
    const file = join(tmpdir(), `isofleet-robot-${process.pid}.json`);
    await writeFile(file, JSON.stringify({ startMapId: 'G', maps: { G: '/maps/G.yaml' }, doors: [{ door: 'd1', lanes: [['a', 'b']] }] }));
    expect(await readRobotConfig(file)).toMatchObject({ ok: true, config: { startMapId: 'G', lifts: {}, robot: { trays: 4 } } });
    await writeFile(file, JSON.stringify({ startMapId: 'F1', maps: { G: '/maps/G.yaml' } }));
    expect(await readRobotConfig(file)).toEqual({ ok: false, error: `--config ${file}: startMapId F1 has no entry in maps` });
    await writeFile(file, JSON.stringify({ startMapId: 'G', maps: { G: '/maps/G.yaml' }, doors: [{ door: 'd1', lanes: [['a']] }] }));
    expect(await readRobotConfig(file)).toMatchObject({ ok: false, error: expect.stringMatching(/^--config .*: doors\.0\.lanes\.0/) });
  });
});
