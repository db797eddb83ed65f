/**
 * A real PostgreSQL server for tests: a throwaway cluster (initdb in a temporary folder, started
 * with pg_ctl on a free loopback port, removed by `close`), or the server at
 * `ISOFLEET_TEST_POSTGRES` (a URL whose user may create databases) when that is set. As root (CI,
 * containers) the cluster runs as the `postgres` user: PostgreSQL refuses to run as root.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { postgresBin, toolPresent } from './tools.js';

const run = promisify(execFile);

export interface TestPostgres {
  /** A new empty database on the server; its URL. */
  newDatabase(): Promise<string>;
  close(): Promise<void>;
}

/** Whether the PostgreSQL tests can run here (a server to use, or the programs to start one). */
export const postgresAvailable = (): boolean => Boolean(process.env.ISOFLEET_TEST_POSTGRES) || toolPresent('postgres');

export async function postgresForTests(): Promise<TestPostgres> {
  const given = process.env.ISOFLEET_TEST_POSTGRES;
  if (given) return { newDatabase: () => createDatabase(given), close: async () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), 'isofleet-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const bin = (name: string) => path.join(postgresBin(), name);
  const pgRun = (program: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', bin(program), ...args]) : run(bin(program), args));
  const data = path.join(dir, 'data');
  await pgRun('initdb', ['-D', data, '-U', 'isofleet', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // fsync off: the tests kill processes, never the machine.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  await pgRun('pg_ctl', ['-D', data, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  const admin = `postgres://isofleet@127.0.0.1:${port}/postgres`;
  return {
    newDatabase: () => createDatabase(admin),
    close: async () => {
      await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `isofleet_test_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
