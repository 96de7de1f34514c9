/**
 * `pnpm bench:burst` — one editor's client (its own child process, tests/sync/support/burst-client.ts) sends
 * N single-character updates as fast as it can (each its own y-websocket update message) to the
 * real server (child process, PostgreSQL, persistence on). Meanwhile a second client on ANOTHER agreement types one character every
 * 50 ms and a poller asks GET /api/health back to back.
 *
 * Reports, per burst size (default 25k / 50k / 100k), medians over BENCH_ROUNDS rounds (default 3):
 *   - processed: from the 'go' to the burst client until the server reports the document saved
 *     with nothing pending AND the database holds every character (so received, validated,
 *     queued, flushed; compaction runs in the flushes);
 *   - health max: the longest single /api/health wait during that time;
 *   - other client max: the longest wait for one of the other agreement's edits to come back
 *     (the other client's own echo through a second socket).
 *
 * Env: DATABASE_URL (admin URL; a fresh database per run, default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_ROUNDS, BENCH_SIZES (comma-separated, default 25000,50000,100000), BENCH_CPU_PROF (directory
 * for a V8 CPU profile of each server process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClient as connect, waitFor } from '../tests/sync/support/client.ts';
import { createPostgresDatabase } from '../tests/sync/support/db.ts';
import { spawnBurstClient } from '../tests/sync/support/burst.ts';
import { persistedText } from '../tests/sync/support/inspect.ts';
import { describeSeed, type SeedSpec } from '../tests/sync/support/seed.ts';
import { median } from './support/median.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '25000,50000,100000').split(',').map(Number);
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

interface ServerProc {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<ServerProc> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.join(ROOT, 'bench/support/sync-our-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /BENCH_SERVER (.*)\n/.exec(buf);
      if (m) resolve((JSON.parse(m[1]!) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


interface RoundResult {
  processedMs: number;
  healthMaxMs: number;
  healthCount: number;
  otherMaxMs: number;
}

async function round(n: number): Promise<RoundResult> {
  const db = await createPostgresDatabase(ADMIN_URL);
  const spec: SeedSpec = { name: `burst-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, agreements: 2, members: { a: 'editor', b: 'editor', c: 'editor' }, initialText: '' };
  const s = describeSeed(spec);
  const server = await startServer({ DATABASE_URL: db.url!, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', BENCH_SEED: JSON.stringify(spec), OVERENS_SYNC_IP_BURST: '100000', OVERENS_SYNC_IP_PER_SECOND: '100000' });
  const [burstId, otherId] = s.agreementIds as [string, string];
  const burster = spawnBurstClient(server.url, burstId, s.users.a!.token, n);
  const typist = connect(server.url, otherId, s.users.b!.token);
  const reader = connect(server.url, otherId, s.users.c!.token);
  const all = [typist, reader];
  try {
    await waitFor(() => all.every((c) => c.provider.synced), 'clients synced', 60_000);
    await burster.ready;
    let done = false;
    // the other agreement: one character every 50 ms, the wait until the reader has it
    let otherMax = 0;
    const typing = (async () => {
      while (!done) {
        const want = typist.text.length + 1;
        const t0 = performance.now();
        typist.text.insert(typist.text.length, 'x');
        while (!done && reader.text.length < want) await sleep(5);
        otherMax = Math.max(otherMax, performance.now() - t0);
        await sleep(50);
      }
    })();
    let healthMax = 0;
    let healthCount = 0;
    const polling = (async () => {
      while (!done) {
        const t0 = performance.now();
        await fetch(`${server.url}/api/health`).then((r) => r.arrayBuffer());
        healthMax = Math.max(healthMax, performance.now() - t0);
        healthCount++;
        await sleep(20);
      }
    })();
    const cookie = { cookie: `overens_session=${s.users.a!.token}` };
    const t0 = performance.now();
    void burster.go();
    await waitFor(async () => {
      const st = (await (await fetch(`${server.url}/api/agreements/${burstId}/sync-status`, { headers: cookie })).json()) as { state: string; pendingBytes: number };
      return st.state === 'saved' && st.pendingBytes === 0 && (await persistedText(db, burstId)).length === n;
    }, 'burst persisted', 900_000);
    const processedMs = performance.now() - t0;
    done = true;
    await Promise.all([typing, polling]);
    return { processedMs, healthMaxMs: healthMax, healthCount, otherMaxMs: otherMax };
  } finally {
    for (const c of all) c.provider.destroy();
    burster.kill();
    await server.stop();
    await db.drop();
  }
}

function loadavg(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
}

const cmd = process.env.npm_lifecycle_event === 'bench:burst' ? 'pnpm bench:burst' : `tsx ${path.relative(ROOT, process.argv[1] ?? 'bench/burst.bench.ts')}`;
console.log(`command: ${cmd}  (BENCH_ROUNDS=${ROUNDS} BENCH_SIZES=${SIZES.join(',')})`);
console.log(`load average at start: ${loadavg()}`);
const results: Record<number, RoundResult[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const n of SIZES) {
    const res = await round(n);
    (results[n] ??= []).push(res);
    console.log(`round ${r + 1} burst ${n}: processed ${res.processedMs.toFixed(0)} ms, health max ${res.healthMaxMs.toFixed(0)} ms (${res.healthCount} polls), other agreement max ${res.otherMaxMs.toFixed(0)} ms`);
  }
}
console.log(`load average at end: ${loadavg()}`);
console.log('\n| burst | processed (median) | per 1,000 updates | longest /api/health wait | longest other-agreement edit | rounds (processed ms) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const n of SIZES) {
  const rs = results[n]!;
  const p = median(rs.map((x) => x.processedMs));
  console.log(
    `| ${n.toLocaleString('en')} | ${(p / 1000).toFixed(2)} s | ${((p / n) * 1000).toFixed(0)} ms | ${median(rs.map((x) => x.healthMaxMs)).toFixed(0)} ms | ${median(rs.map((x) => x.otherMaxMs)).toFixed(0)} ms | ${rs.map((x) => x.processedMs.toFixed(0)).join(' / ')} |`,
  );
}
console.log(JSON.stringify(results));
process.exit(0);
