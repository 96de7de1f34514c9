/** Start real Överens servers for sync tests: in this process, or as a child process (crash tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../../apps/server/src/server.ts';
import type { TestDatabase } from './db.ts';
import type { SeedSpec } from './seed.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Sync tunables for tests: fast idle unload, no IP throttling surprises. */
export const TEST_SYNC_ENV: Record<string, string> = {
  OVERENS_SYNC_IDLE_UNLOAD_MS: '1500',
  OVERENS_SYNC_IP_BURST: '100000',
  OVERENS_SYNC_IP_PER_SECOND: '100000',
};

export async function startInProcess(db: TestDatabase, opts: { redisUrl?: string | null; env?: Record<string, string> } = {}): Promise<RunningServer> {
  Object.assign(process.env, TEST_SYNC_ENV, opts.env);
  return startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: db.url,
    dataDir: db.dataDir,
    redisUrl: opts.redisUrl ?? null,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'error',
    shutdownTimeoutMs: 2000,
  });
}

export interface ChildServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** stderr+stdout lines, for failure messages */
  output: string[];
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawn tests/sync/support/server-process.ts (node --import tsx): seeds, starts, prints its URL. */
export async function spawnServer(
  db: TestDatabase,
  seedSpec: SeedSpec,
  opts: { port?: number; redisUrl?: string | null; env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const entry = path.join(REPO_ROOT, 'tests/sync/support/server-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...TEST_SYNC_ENV,
      ...opts.env,
      PORT: String(opts.port ?? 0),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url ?? '',
      OVERENS_DATA_DIR: db.dataDir ?? '',
      REDIS_URL: opts.redisUrl ?? '',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      SYNC_TEST_SEED: JSON.stringify(seedSpec),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        output.push(line);
        if (output.length > 500) output.shift();
        const m = /^SYNC_TEST_SERVER (.*)$/.exec(line);
        if (m) resolve((JSON.parse(m[1]!) as { url: string }).url);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      output.push(c.toString());
      if (output.length > 500) output.shift();
    });
    void exited.then((code) => reject(new Error(`server process exited (${code}) before listening:\n${output.join('\n')}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
