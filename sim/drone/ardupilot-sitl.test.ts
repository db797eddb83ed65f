import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sitlBinaryFromEnv, sitlDefaultsFile, startSitl } from './ardupilot-sitl.js';

/** A source tree laid out as ArduPilot's after `./waf copter`, with `binary` as its arducopter. */
function fakeTree(binary: string): { root: string; binary: string; defaults: string } {
  const root = mkdtempSync(join(tmpdir(), 'isofleet-fake-ardupilot-'));
  mkdirSync(join(root, 'build/sitl/bin'), { recursive: true });
  mkdirSync(join(root, 'Tools/autotest/default_params'), { recursive: true });
  const defaults = join(root, 'Tools/autotest/default_params/copter.parm');
  writeFileSync(defaults, 'FRAME_CLASS 1\n');
  const path = join(root, 'build/sitl/bin/arducopter');
  writeFileSync(path, binary);
  chmodSync(path, 0o755);
  return { root, binary: path, defaults };
}

describe('ArduCopter SITL launcher', () => {
  it('names ARDUPILOT_SITL when it is missing or points at nothing', () => {
    const missing = sitlBinaryFromEnv({});
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.message).toMatch(/ARDUPILOT_SITL/);
    const nothing = sitlBinaryFromEnv({ ARDUPILOT_SITL: '/nonexistent/arducopter' });
    expect(!nothing.ok && nothing.message).toMatch(/\/nonexistent\/arducopter: no such file/);
    const tree = fakeTree('#!/bin/sh\n');
    expect(sitlBinaryFromEnv({ ARDUPILOT_SITL: tree.binary })).toEqual({ ok: true, binary: tree.binary });
  });

  it('finds copter.parm in the source tree above the binary; ARDUPILOT_DEFAULTS wins; says what to set when neither is there', () => {
    const tree = fakeTree('#!/bin/sh\n');
    expect(sitlDefaultsFile(tree.binary, {})).toBe(tree.defaults);
    expect(sitlDefaultsFile(tree.binary, { ARDUPILOT_DEFAULTS: '/x/copter.parm' })).toBe('/x/copter.parm');
    expect(() => sitlDefaultsFile('/tmp/arducopter', {})).toThrow(/ARDUPILOT_DEFAULTS/);
  });

  it('rejects with what the binary printed when it exits at start', async () => {
    const tree = fakeTree('#!/bin/sh\necho "bind failed: port 5760 in use" >&2\nexit 3\n');
    await expect(startSitl({ binary: tree.binary, homes: [{ lat: 22.7, lon: 114.25 }], speedup: 10 })).rejects.toThrow(/exited \(3\).*port 5760 in use/);
  });

  it('starts one instance per home on ports 5760 + 10·N with the wipe, the speed-up, the home and both defaults files', async () => {
    // A stand-in binary that prints its arguments and stays up like SITL waiting for its link.
    const tree = fakeTree('#!/bin/sh\necho "$@"\nexec sleep 30\n');
    const fleet = await startSitl({
      binary: tree.binary,
      homes: [
        { lat: 22.7, lon: 114.25 },
        { lat: 22.701, lon: 114.251 },
      ],
      speedup: 7,
      firstInstance: 2,
    });
    try {
      expect(fleet.instances.map((s) => [s.instance, s.port, s.watchPort])).toEqual([
        [2, 5780, 5782],
        [3, 5790, 5792],
      ]);
      const args = fleet.instances[1]!.output();
      expect(args).toMatch(/^-w --model \+ --speedup 7 -I 3 --home 22\.701,114\.251,50,0 --defaults /);
      expect(args).toContain(`${tree.defaults},`);
      expect(args).toMatch(/isofleet\.parm/);
    } finally {
      await fleet.stop();
    }
    expect(fleet.instances.every((s) => s.process.signalCode === 'SIGTERM')).toBe(true);
  });

  it('test:sitl, bench:sitl and scenario --sitl say what is missing and exit 1 without ARDUPILOT_SITL', async () => {
    const env = { ...process.env, ARDUPILOT_SITL: '' };
    const commands = [
      ['firmware-bridge/drone/mavlink/sitl/run-sitl-tests.ts'],
      ['bench/sitl.ts'],
      ['sim/scenario-cli.ts', '--zones', 'sites/zones/l-shape.geojson', '--sitl', '2', '--json'],
    ];
    const runs = await Promise.all(
      commands.map(
        (args) =>
          new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (b: Buffer) => (stdout += b));
            child.stderr.on('data', (b: Buffer) => (stderr += b));
            child.on('close', (status) => resolve({ status, stdout, stderr }));
          }),
      ),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.status, commands[i]![0]).toBe(1);
      expect(run.stderr).toMatch(/needs ARDUPILOT_SITL/);
      expect(run.stdout).toBe('');
    }
  }, 240_000);
});
