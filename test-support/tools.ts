/**
 * Programs that some tests drive and a developer may not have installed. Without one, the tests
 * that need it are skipped (`describe.skipIf(!toolPresent(…))`) and the Vitest global setup
 * prints why, once per run. `ISOFLEET_REQUIRE_TOOLS=1` (set by `.ci/run`, which installs them all)
 * turns a missing program into a failed run, so CI never passes with those tests skipped.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

interface Tool {
  /** Path of the executable; the variable named in `env` overrides it. */
  path: string;
  env?: string;
  /** Arguments for a harmless run that shows the program starts. */
  probe: string[];
  /** What a developer runs to get it (Debian names). */
  install: string;
  /** Which tests need it. */
  tests: string;
}

export const TOOLS = {
  mosquitto: {
    path: process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto',
    env: 'MOSQUITTO_BIN',
    probe: ['-h'],
    install: 'apt-get install mosquitto',
    tests: 'the Mosquitto ACL tests (controller/auth/mosquitto-files.test.ts)',
  },
  mosquitto_passwd: {
    path: '/usr/bin/mosquitto_passwd',
    probe: [],
    install: 'apt-get install mosquitto',
    tests: "the check of our password hashes against mosquitto_passwd's (controller/auth/device-credentials.test.ts)",
  },
  chromium: {
    path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    env: 'CHROMIUM_PATH',
    probe: ['--version'],
    install: 'apt-get install chromium fonts-noto-cjk',
    tests: 'the browser tests (dashboard/e2e/)',
  },
  postgres: {
    path: path.join(postgresBin(), 'initdb'),
    env: 'POSTGRES_BIN',
    probe: ['--version'],
    install: 'apt-get install postgresql',
    tests: 'the PostgreSQL store tests (controller/storage/postgres-store.test.ts, the recovery test on PostgreSQL)',
  },
} satisfies Record<string, Tool>;

/**
 * The folder of PostgreSQL's server programs (initdb, pg_ctl): POSTGRES_BIN, else the newest
 * Debian installs under /usr/lib/postgresql/<major>/bin (not on PATH there).
 */
export function postgresBin(): string {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  let majors: string[] = [];
  try {
    majors = readdirSync('/usr/lib/postgresql').filter((d) => /^\d+$/.test(d));
  } catch {
    // No PostgreSQL installed: the probe of initdb fails and says how to get it.
  }
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0] ?? 'none';
  return `/usr/lib/postgresql/${newest}/bin`;
}

export type ToolName = keyof typeof TOOLS;

const present = new Map<ToolName, boolean>();

/** Whether the program starts (probed once per process). */
export function toolPresent(name: ToolName): boolean {
  let found = present.get(name);
  if (found === undefined) {
    const tool = TOOLS[name];
    found = spawnSync(tool.path, tool.probe, { stdio: 'ignore', timeout: 10_000 }).error === undefined;
    present.set(name, found);
  }
  return found;
}

/**
 * A Vitest global setup for a run whose tests need `names`: prints one line per missing program
 * (what is skipped, how to get it), or throws when `ISOFLEET_REQUIRE_TOOLS=1`.
 */
export function requireTools(...names: ToolName[]): () => void {
  return () => {
    const missing = names
      .filter((name) => !toolPresent(name))
      .map((name) => {
        const tool: Tool = TOOLS[name];
        const where = `${name} not found at ${tool.path}${tool.env ? ` (or set ${tool.env})` : ''}; \`${tool.install}\` installs it`;
        return { tests: tool.tests, where };
      });
    if (missing.length > 0 && process.env.ISOFLEET_REQUIRE_TOOLS === '1') {
      throw new Error(`ISOFLEET_REQUIRE_TOOLS=1: ${missing.map((m) => `${m.tests} need a program: ${m.where}`).join('\n')}`);
    }
    for (const m of missing) console.warn(`SKIPPED ${m.tests}: ${m.where}`);
  };
}
