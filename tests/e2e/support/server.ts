/**
 * The real Överens server for browser tests, as a child process (`tsx apps/server/src/main.ts`), so a
 * test can stop it and start it again on the same port and database (offline tests).
 *
 * Storage: with DATABASE_URL set (CI) a fresh PostgreSQL database is created and dropped at the end;
 * otherwise embedded PGlite in a temporary data directory.
 * The built web app (apps/web/dist) is served by the server on the same port; it is built once here
 * if it is missing or older than the web sources.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WEB_DIR = path.join(REPO_ROOT, 'apps', 'web');
const DIST_INDEX = path.join(WEB_DIR, 'dist', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds apps/web once when dist is missing or stale (sources newer than the build). */
export function ensureWebBuilt(): void {
  const srcNewest = Math.max(newestMtime(path.join(WEB_DIR, 'src')), fs.statSync(path.join(WEB_DIR, 'index.html')).mtimeMs);
  if (fs.existsSync(DIST_INDEX) && fs.statSync(DIST_INDEX).mtimeMs >= srcNewest) return;
  const lock = path.join(os.tmpdir(), 'overens-web-build.lock');
  // NODE_ENV=production: vitest sets it to "test", which vite would inherit and build without the
  // production-only parts (the offline service worker among them).
  const r = spawnSync('flock', [lock, 'pnpm', '--filter', '@overens/web', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error('building the web app failed');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface E2EServer {
  url: string;
  port: number;
  db: 'pglite' | 'postgres';
  /** Stop the server process (graceful SIGTERM). The data stays. */
  stop(): Promise<void>;
  /** Start it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stop and remove the data (drop the database / delete the directory). */
  close(): Promise<void>;
  /** Server output so far (for failure messages). */
  output(): string;
}

async function waitHealthy(url: string, child: ChildProcess, out: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out().slice(-4000)}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${out().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function startE2EServer(env: Record<string, string> = {}): Promise<E2EServer> {
  ensureWebBuilt();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let dataDir: string | null = null;
  let databaseUrl: string | null = null;
  let drop: (() => Promise<void>) | null = null;
  if (process.env.DATABASE_URL) {
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    const name = `overens_e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.unsafe(`create database ${name}`);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overens-e2e-'));
  }

  let child: ChildProcess | null = null;
  let log = '';
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

  const start = async () => {
    const childEnv: Record<string, string> = {
      ...(process.env as Record<string, string>),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OVERENS_DEMO: '0',
      // Unverified kommuner sign in the tests that are not about verification (organisations.test.ts turns it on).
      OVERENS_REQUIRE_VERIFIED_PUBLIC_PARTIES: '0',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { OVERENS_DATA_DIR: dataDir! }),
      ...env,
    };
    if (!databaseUrl) delete childEnv.DATABASE_URL;
    delete childEnv.REDIS_URL; // one process: no Redis needed
    if (env.REDIS_URL) childEnv.REDIS_URL = env.REDIS_URL;
    const c = spawn(tsx, [path.join(REPO_ROOT, 'apps', 'server', 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    child = c;
    await waitHealthy(url, c, () => log);
  };

  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });
    child = null;
  };

  await start();
  return {
    url,
    port,
    db: databaseUrl ? 'postgres' : 'pglite',
    stop,
    start,
    output: () => log,
    async close() {
      await stop();
      await drop?.();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
