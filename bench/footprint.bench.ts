/**
 * `pnpm bench:footprint` — what a small VM feels: the server as `pnpm start` runs it (scripts/start.mjs,
 * web app and server already built), on embedded PGlite and on PostgreSQL. Per round and database:
 *
 *   first start  fresh data directory / fresh database and an empty OVERENS_CACHE_DIR (a new machine),
 *                from spawning the process until /api/health answers 200;
 *   idle RSS     VmRSS of the server process 3 s after it is healthy, no agreement loaded;
 *   loaded RSS   with 20 agreements (the standard template) open by 3 real y-websocket clients each;
 *   restart      SIGTERM, then a new process on the same data until /api/health answers.
 *
 * Medians of BENCH_ROUNDS (default 3) rounds. Env: BENCH_ROOT (a checkout to run instead of this one, e.g.
 * an older commit in a git worktree, for before/after figures), BENCH_DATABASES (pglite,postgres),
 * DATABASE_URL (admin URL of the PostgreSQL server, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createPostgresDatabase, type TestDatabase } from '../tests/sync/support/db.ts';
import { median } from './support/median.ts';

const HERE = fileURLToPath(new URL('../', import.meta.url));
const ROOT = path.resolve(process.env.BENCH_ROOT ?? HERE);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',') as Array<'pglite' | 'postgres'>;
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const AGREEMENTS = 20;
const CLIENTS_PER_AGREEMENT = 3;

interface Round {
  firstStartMs: number;
  idleRssMb: number;
  loadedRssMb: number;
  restartMs: number;
  restartIdleRssMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

// A failed run must not leave a server behind.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  url: string;
  ms: number;
}

async function start(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      // One bench user opens all 60 sockets from one address, within a second.
      OVERENS_SYNC_MAX_CONNECTIONS_PER_USER: '100',
      OVERENS_SYNC_IP_BURST: '200',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) throw new Error(`server exited before it was healthy (${ROOT})`);
    const ok = await fetch(`${url}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    await sleep(25);
  }
  return { child, url, ms: performance.now() - t0 };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Registers a user with an organisation and 20 agreements, and opens each with 3 clients. */
async function load(url: string): Promise<() => void> {
  const headers: Record<string, string> = { 'content-type': 'application/json', origin: url };
  const post = async (p: string, body: unknown) => {
    const res = await fetch(url + p, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${p}: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie');
    const m = cookie && /overens_session=([^;]+)/.exec(cookie);
    if (m) headers.cookie = `overens_session=${m[1]}`;
    return (await res.json()) as { id: string };
  };
  await post('/api/auth/register', { email: `bench-${Date.now()}@example.se`, password: 'bench-footprint-password', name: 'Bench Användare' });
  const org = await post('/api/organisations', { name: 'Föreningen Bänk', kind: 'ideburen', orgNumber: '802002-4280' });
  const ids: string[] = [];
  for (let i = 0; i < AGREEMENTS; i++) ids.push((await post('/api/agreements', { title: `Överenskommelse ${i + 1}`, organisationId: org.id })).id);
  const cookie = headers.cookie!;
  class CookieWebSocket extends WebSocket {
    constructor(u: string | URL, protocols?: string | string[]) {
      super(u, protocols, { headers: { cookie, origin: url } });
    }
  }
  const providers: WebsocketProvider[] = [];
  for (const id of ids) {
    for (let c = 0; c < CLIENTS_PER_AGREEMENT; c++) {
      providers.push(
        new WebsocketProvider(url.replace(/^http/, 'ws') + '/sync', id, new Y.Doc(), {
          WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
        }),
      );
    }
  }
  const until = Date.now() + 60_000;
  while (!providers.every((p) => p.synced)) {
    if (Date.now() > until) throw new Error(`only ${providers.filter((p) => p.synced).length} of ${providers.length} clients synced`);
    await sleep(50);
  }
  return () => {
    for (const p of providers) {
      p.destroy();
      p.doc.destroy();
    }
  };
}

async function round(kind: 'pglite' | 'postgres'): Promise<Round> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overens-bench-cache-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overens-bench-data-'));
  fs.rmSync(dataDir, { recursive: true }); // an empty, not yet existing data directory, as on a new machine
  let db: TestDatabase | null = null;
  const env: Record<string, string> = { OVERENS_CACHE_DIR: cacheDir, OVERENS_DATA_DIR: dataDir, DATABASE_URL: '' };
  if (kind === 'postgres') {
    db = await createPostgresDatabase(ADMIN_URL);
    env.DATABASE_URL = db.url!;
  }
  try {
    const first = await start(env);
    await sleep(3000);
    const idleRssMb = rssMb(first.child.pid!);
    const unload = await load(first.url);
    await sleep(3000);
    const loadedRssMb = rssMb(first.child.pid!);
    unload();
    await stop(first.child);
    const again = await start(env);
    await sleep(3000);
    const restartIdleRssMb = rssMb(again.child.pid!);
    await stop(again.child);
    return { firstStartMs: Math.round(first.ms), idleRssMb, loadedRssMb, restartMs: Math.round(again.ms), restartIdleRssMb };
  } finally {
    await db?.drop().catch(() => {});
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const load1 = os.loadavg()[0]!.toFixed(1);
console.log(`pnpm bench:footprint  root=${ROOT}  rounds=${ROUNDS}  load average at start ${load1}`);
const results: Record<string, Round[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const kind of DATABASES) {
    const res = await round(kind);
    (results[kind] ??= []).push(res);
    console.log(`round ${r + 1} ${kind}: ${JSON.stringify(res)}`);
  }
}
const m = (rs: Round[], k: keyof Round) => Math.round(median(rs.map((x) => x[k])));
console.log('\n| database | first start | restart | RSS idle | RSS idle after restart | RSS 20 agreements × 3 clients | per loaded agreement |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [kind, rs] of Object.entries(results)) {
  const perAgreement = ((m(rs, 'loadedRssMb') - m(rs, 'idleRssMb')) / AGREEMENTS).toFixed(1);
  console.log(
    `| ${kind} | ${m(rs, 'firstStartMs')} ms | ${m(rs, 'restartMs')} ms | ${m(rs, 'idleRssMb')} MB | ${m(rs, 'restartIdleRssMb')} MB | ${m(rs, 'loadedRssMb')} MB | ${perAgreement} MB |`,
  );
}
console.log(`\nload average at end ${os.loadavg()[0]!.toFixed(1)}`);
console.log(JSON.stringify(results));
