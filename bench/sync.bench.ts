/**
 * `pnpm bench:sync` — our sync server (real startServer on PostgreSQL, persistence on) against the
 * y-websocket reference server (y-websocket@1.5.4 bin/utils setupWSConnection, in memory), both
 * driven by real y-websocket 3 WebsocketProvider clients with the same load:
 *
 *   A. 50 clients on one agreement, 10 of them typing at 5 operations per second;
 *   B. 200 agreements × 3 clients, one typist per agreement at 2 operations per second.
 *
 * Reports propagation latency p50/p95/p99 (a change by one client until each other client sees
 * it), server CPU ms per 1,000 delivered updates (process.cpuUsage() of the server child process),
 * RSS, and database transactions per second per active agreement; then our/reference ratios.
 *
 * Env: DATABASE_URL (admin URL of the PostgreSQL server; a fresh database is created and dropped;
 * default postgres://postgres@127.0.0.1:5432/postgres), BENCH_SECONDS (measured seconds per
 * scenario, default 20), BENCH_WARMUP_SECONDS (default 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createPostgresDatabase } from '../tests/sync/support/db.ts';
import { describeSeed, type SeedSpec } from '../tests/sync/support/seed.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

interface Stats {
  cpuMs: number;
  rss: number;
  /** persistence transactions */
  flushes: number;
  /** per-agreement batches written (several share one transaction) */
  flushedDocuments?: number;
  deliveries: number;
}

interface ServerProc {
  url: string;
  child: ChildProcess;
  stats(): Promise<Stats>;
  stop(): Promise<void>;
}

async function startChild(script: string, env: Record<string, string>): Promise<ServerProc> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.join(ROOT, script)], {
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
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    url,
    child,
    stats: () =>
      new Promise<Stats>((resolve) => {
        const on = (m: Stats & { type: string }) => {
          if (m.type === 'stats') {
            child.off('message', on);
            resolve(m);
          }
        };
        child.on('message', on);
        child.send({ type: 'stats' });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

function cookieWs(token: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: `overens_session=${token}` } });
    }
  };
}

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
}

interface Measure {
  latencies: number[];
  deliveries: number;
  recording: boolean;
  sent: Map<string, number>;
}

function connect(url: string, agreementId: string, token: string, m: Measure): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + '/sync', agreementId, doc, {
    WebSocketPolyfill: cookieWs(token) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.local) return;
    const now = performance.now();
    tr.afterState.forEach((clock, client) => {
      const before = tr.beforeState.get(client) ?? 0;
      for (let c = before; c < clock; c++) {
        const t = m.sent.get(`${client}:${c}`);
        if (t !== undefined && m.recording) {
          m.latencies.push(now - t);
          m.deliveries++;
        }
      }
    });
  });
  return { doc, provider, text: doc.getText('text') };
}

async function waitFor(cond: () => boolean, what: string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface ScenarioResult {
  p50: number;
  p95: number;
  p99: number;
  deliveries: number;
  ops: number;
  cpuPer1000: number;
  rssMiB: number;
  txPerSec: number;
  txPerSecPerAgreement: number;
}

async function scenario(server: ServerProc, groups: { agreementId: string; tokens: string[]; typists: number; opsPerSecond: number }[]): Promise<ScenarioResult> {
  const m: Measure = { latencies: [], deliveries: 0, recording: false, sent: new Map() };
  const clients: Client[] = [];
  const typists: Client[] = [];
  const rates = new Map<Client, number>();
  for (const g of groups) {
    g.tokens.forEach((token, i) => {
      const c = connect(server.url, g.agreementId, token, m);
      clients.push(c);
      if (i < g.typists) {
        typists.push(c);
        rates.set(c, g.opsPerSecond);
      }
    });
    // do not open hundreds of sockets in one burst
    if (clients.length % 60 === 0) await new Promise((r) => setTimeout(r, 50));
  }
  await waitFor(() => clients.every((c) => c.provider.synced), 'clients synced');
  let ops = 0;
  const timers = typists.map((c) => {
    const every = 1000 / rates.get(c)!;
    const type = () => {
      const pos = Math.floor(Math.random() * (c.text.length + 1));
      m.sent.set(`${c.doc.clientID}:${Y.getState(c.doc.store, c.doc.clientID)}`, performance.now());
      c.text.insert(pos, 'x');
      if (m.recording) ops++;
    };
    let t: NodeJS.Timeout;
    const start = setTimeout(() => {
      t = setInterval(type, every);
    }, Math.random() * every);
    return () => {
      clearTimeout(start);
      clearInterval(t);
    };
  });
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const s0 = await server.stats();
  m.recording = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const s1 = await server.stats();
  m.recording = false;
  for (const stop of timers) stop();
  await new Promise((r) => setTimeout(r, 1000));
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
  const sorted = m.latencies.sort((a, b) => a - b);
  return {
    p50: pct(sorted, 50),
    p95: pct(sorted, 95),
    p99: pct(sorted, 99),
    deliveries: m.deliveries,
    ops,
    cpuPer1000: ((s1.cpuMs - s0.cpuMs) / Math.max(1, m.deliveries)) * 1000,
    rssMiB: s1.rss / 1024 / 1024,
    txPerSec: (s1.flushes - s0.flushes) / SECONDS,
    // transactions that wrote this agreement, per second, averaged over the active agreements
    txPerSecPerAgreement: ((s1.flushedDocuments ?? 0) - (s0.flushedDocuments ?? 0)) / SECONDS / groups.length,
  };
}

function fmt(n: number, d = 1): string {
  return Number.isFinite(n) ? n.toFixed(d) : '–';
}

async function main(): Promise<void> {
  const users = Array.from({ length: 50 }, (_, i) => `u${i}`);
  const spec: SeedSpec = { name: 'bench-sync', agreements: 201, members: Object.fromEntries(users.map((u) => [u, 'editor'])), initialText: '' };
  const seeded = describeSeed(spec);
  const token = (i: number) => seeded.users[`u${i}`]!.token;
  const scenarioA = () => [{ agreementId: seeded.agreementIds[0]!, tokens: users.map((_, i) => token(i)), typists: 10, opsPerSecond: 5 }];
  const scenarioB = () => seeded.agreementIds.slice(1).map((agreementId) => ({ agreementId, tokens: [token(0), token(1), token(2)], typists: 1, opsPerSecond: 2 }));

  const db = await createPostgresDatabase(ADMIN_URL);
  const results: Record<string, Record<string, ScenarioResult>> = {};
  try {
    const only = process.env.BENCH_ONLY; // 'A' or 'B' (default both)
    type Kind = 'ours' | 'engine' | 'reference';
    const servers = (process.env.BENCH_SERVERS ?? 'ours,engine,reference').split(',') as Kind[];
    const script: Record<Kind, string> = {
      ours: 'bench/support/sync-our-server.ts',
      engine: 'bench/support/sync-engine-server.ts',
      reference: 'bench/support/sync-reference-server.ts',
    };
    const ourEnv = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url!,
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      BENCH_SEED: JSON.stringify(spec),
      OVERENS_SYNC_MAX_CONNECTIONS_PER_USER: '10000',
      OVERENS_SYNC_IP_BURST: '100000',
      OVERENS_SYNC_IP_PER_SECOND: '100000',
    };
    for (const kind of servers) {
      results[kind] = {};
      for (const [name, groups] of [
        ['A: 50 clients / 1 agreement, 10 typing at 5 ops/s', scenarioA],
        ['B: 200 agreements × 3 clients, 1 typing at 2 ops/s', scenarioB],
      ] as const) {
        if (only && !name.startsWith(only)) continue;
        const server = await startChild(script[kind], kind === 'reference' ? {} : ourEnv);
        try {
          process.stderr.write(`running ${kind} ${name} (${WARMUP}s warm-up + ${SECONDS}s)…\n`);
          results[kind]![name] = await scenario(server, groups());
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    await db.drop();
  }

  const label: Record<string, string> = { ours: 'Överens server (whole app)', engine: 'Överens sync engine only', reference: 'y-websocket 1.5.4 reference' };
  const lines: string[] = [];
  lines.push(`| Scenario | Server | p50 ms | p95 ms | p99 ms | delivered | CPU ms / 1,000 delivered | RSS MiB | DB tx/s (total) | DB tx/s per active agreement |`);
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const names = [...new Set(Object.values(results).flatMap((r) => Object.keys(r)))];
  for (const name of names) {
    for (const kind of ['ours', 'engine', 'reference']) {
      const r = results[kind]?.[name];
      if (!r) continue;
      const db = kind === 'reference' ? '– (in memory) | –' : `${fmt(r.txPerSec, 2)} | ${fmt(r.txPerSecPerAgreement, 2)}`;
      lines.push(`| ${name} | ${label[kind]} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.deliveries} | ${fmt(r.cpuPer1000)} | ${fmt(r.rssMiB, 0)} | ${db} |`);
    }
    const f = results.reference?.[name];
    for (const kind of ['ours', 'engine']) {
      const o = results[kind]?.[name];
      if (!o || !f) continue;
      lines.push(`| ${name} | **${kind === 'ours' ? 'whole app' : 'engine'} / reference** | ${fmt(o.p50 / f.p50, 2)} | ${fmt(o.p95 / f.p95, 2)} | ${fmt(o.p99 / f.p99, 2)} | | **${fmt(o.cpuPer1000 / f.cpuPer1000, 2)}** | ${fmt(o.rssMiB / f.rssMiB, 2)} | | |`);
    }
  }
  console.log(lines.join('\n'));
  console.log(JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
