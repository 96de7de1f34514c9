/**
 * `pnpm bench:sync` — our sync server (real startServer on PostgreSQL, persistence on) against the
 * y-websocket reference server (y-websocket@1.5.4 bin/utils setupWSConnection, in memory), both
 * driven by real y-websocket 3 WebsocketProvider clients with the same load:
 *
 *   A. 50 clients on one agreement, 10 of them typing at 5 operations per second;
 *   B. 200 agreements × 3 clients, one typist per agreement at 2 operations per second;
 *   C. the real client's behaviour, whole app only: 5, 10 and 20 clients on one agreement, each doing
 *      what the web app does (a replay of apps/web's request pattern, see realClient below): the
 *      page's HTTP requests and its event stream, presence with a caret that moves with every
 *      keystroke, the save-status poll after local edits, the audit list refetched when edits
 *      settle; two of them type in bursts (4 s at 5 keystrokes/s, 2 s pause). Reports server CPU per
 *      edit and per delivered update at each size.
 *
 * Reports propagation latency p50/p95/p99 (a change by one client until each other client sees
 * it), server CPU ms per 1,000 delivered updates (process.cpuUsage() of the server child process)
 * and its kernel part, RSS, and database transactions per second per active agreement; then
 * our/reference ratios.
 *
 * The machine is shared and noisy, so each scenario runs BENCH_ROUNDS rounds; in a round every
 * selected server runs once (fresh child process, fresh database), in an order that reverses from
 * round to round. The table shows each metric's median over the rounds and the ratios of those
 * medians; the per-round CPU ratios are printed below it to show the spread. The command, env and
 * load average at start and end are printed with it, and the last line is JSON with every round.
 *
 * Env: DATABASE_URL (admin URL of the PostgreSQL server; a fresh database is created and dropped
 * for each run; default postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL (our servers use the
 * Redis Streams cluster channel, as in production; BENCH_REDIS=0 without), BENCH_ROUNDS (default 3),
 * BENCH_SECONDS (measured seconds per run, default 20), BENCH_WARMUP_SECONDS (default 3),
 * BENCH_ONLY (A, B or C), BENCH_C_CLIENTS (default 5,10,20), BENCH_SERVERS (default ours,engine,reference), BENCH_CPU_PROF (directory
 * for V8 CPU profiles of the server processes, A and B: one per run, `<server>-<A|B>-round<N>.cpuprofile`, covering exactly the
 * measured window — started before the first stats, stopped after the last, so loading, seeding and warm-up stay out).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { sendOnlyOwnAwareness } from '../apps/web/src/sync/awareness-echo.ts';
import { clearChannelKeys } from '../tests/sync/support/channel-keys.ts';
import { createPostgresDatabase } from '../tests/sync/support/db.ts';
import { describeSeed, type SeedSpec } from '../tests/sync/support/seed.ts';
import { median } from './support/median.ts';
import { measureWriteFloor } from './support/write-floor.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_ROUNDS must be a positive integer, got ${process.env.BENCH_ROUNDS}`);
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/** With Redis (REDIS_URL; BENCH_REDIS=0 to measure without) our servers run the cluster channel on Redis Streams, as in production. */
const REDIS = process.env.BENCH_REDIS === '0' ? '' : (process.env.REDIS_URL ?? '');

/** The bench's agreement ids are the same every run: drop their streams, leases and positions first. */
async function clearChannel(agreementIds: readonly string[]): Promise<void> {
  if (REDIS) await clearChannelKeys(REDIS, agreementIds);
}

interface Stats {
  cpuMs: number;
  /** of which kernel time (socket writes on loopback are charged to the writer) */
  sysMs: number;
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
  /** BENCH_CPU_PROF: start the child's CPU profile of the measured window (no-op without it). */
  startProfile(name: string): Promise<void>;
  stopProfile(): Promise<void>;
  stop(): Promise<void>;
}

const PROFILE_DIR = process.env.BENCH_CPU_PROF;

/** Send one IPC message to the child and wait for its answer of type `answer`. */
function ask<T>(child: ChildProcess, msg: object, answer: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const on = (m: T & { type: string }) => {
      if (m.type === answer) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function startChild(script: string, env: Record<string, string>): Promise<ServerProc> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
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
    stats: () => ask<Stats>(child, { type: 'stats' }, 'stats'),
    startProfile: async (name) => {
      if (PROFILE_DIR) await ask(child, { type: 'profile-start', name }, 'profile-started');
    },
    stopProfile: async () => {
      if (PROFILE_DIR) await ask(child, { type: 'profile-stop' }, 'profile-stopped');
    },
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
  /** update frames the server wrote (one may carry several merged updates) */
  framesWritten: number;
  ops: number;
  cpuPer1000: number;
  /** kernel share of cpuPer1000 */
  sysPer1000: number;
  rssMiB: number;
  txPerSec: number;
  txPerSecPerAgreement: number;
}

async function scenario(
  server: ServerProc,
  groups: { agreementId: string; tokens: string[]; typists: number; opsPerSecond: number }[],
  profileName: string,
): Promise<ScenarioResult> {
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
  await server.startProfile(profileName);
  const s0 = await server.stats();
  m.recording = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const s1 = await server.stats();
  m.recording = false;
  await server.stopProfile();
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
    framesWritten: s1.deliveries - s0.deliveries,
    ops,
    cpuPer1000: ((s1.cpuMs - s0.cpuMs) / Math.max(1, m.deliveries)) * 1000,
    sysPer1000: ((s1.sysMs - s0.sysMs) / Math.max(1, m.deliveries)) * 1000,
    rssMiB: s1.rss / 1024 / 1024,
    txPerSec: (s1.flushes - s0.flushes) / SECONDS,
    // transactions that wrote this agreement, per second, averaged over the active agreements
    txPerSecPerAgreement: ((s1.flushedDocuments ?? 0) - (s0.flushedDocuments ?? 0)) / SECONDS / groups.length,
  };
}

/* ---------------- scenario C: the real client's behaviour ---------------- */

interface RealClientResult {
  clients: number;
  edits: number;
  deliveries: number;
  httpRequests: number;
  httpErrors: number;
  p50: number;
  cpuMs: number;
  cpuPerEditMs: number;
  cpuPer1000Delivered: number;
}

/** Which of the page's queries an event makes stale (apps/web/src/queries/keys.ts staleParts). */
function staleAfter(type: string): string[] {
  // not …/approvals: the bench's seeded agreements have no template row, so the approval state
  // cannot be computed for them (500); it is asked on open and on approval events, never per edit
  const all = ['', '/comments', '/versions', '/final-versions', '/audit'];
  if (type === 'ready') return all;
  if (type.startsWith('comment.')) return ['/comments'];
  if (type.startsWith('member.')) return [''];
  if (type.startsWith('approval.')) return ['/audit'];
  if (type === 'version.saved') return ['/versions', '/audit'];
  if (type === 'agreement.locked' || type === 'agreement.unlocked') return ['', '/audit', '/versions', '/final-versions'];
  if (type === 'agreement.updated') return ['', '/audit'];
  return [];
}

/**
 * One browser on the agreement page, replaying what apps/web does (read from its code):
 * - on open: GET the agreement (detail), its comments, versions, final versions and audit list
 *   (the page's queries; not its approval state, see staleAfter), and the event stream (GET …/events, Server-Sent Events); every
 *   event refetches the queries it makes stale (`ready` all of them);
 * - the websocket (y-websocket provider) with presence: the user and a caret (relative positions,
 *   y-prosemirror's cursor plugin) that moves with every keystroke, sent with its section; like the web
 *   app it sends only its own awareness changes (apps/web/src/sync/awareness-echo.ts);
 * - after a local edit the save-status poll of apps/web/src/sync/connection.ts: GET …/sync-status
 *   600 ms after the last edit, again every 1 s until "saved" (100 ms after the server's awareness
 *   says saved), only once the socket has sent everything;
 * - the audit list refetched 1.2 s after document changes settle (AuditSection, while it is open:
 *   here always open, the worst case).
 */
function realClient(url: string, agreementId: string, token: string, m: Measure, counters: { http: number; httpErrors: number }) {
  const headers = { cookie: `overens_session=${token}`, accept: 'application/json' };
  const base = `${url}/api/agreements/${agreementId}`;
  const abort = new AbortController();
  let stopped = false;
  const get = async (path: string) => {
    if (stopped) return;
    counters.http++;
    try {
      const res = await fetch(base + path, { headers, signal: abort.signal });
      if (!res.ok) {
        counters.httpErrors++;
        if (process.env.BENCH_DEBUG) process.stderr.write(`C: GET ${path} -> ${res.status}\n`);
      }
      await res.arrayBuffer();
    } catch {
      if (!stopped) counters.httpErrors++;
    }
  };
  const refetch = (paths: string[]) => void Promise.all(paths.map(get));
  refetch(staleAfter('ready'));
  // the event stream: refetch what each event makes stale
  void (async () => {
    try {
      const res = await fetch(`${base}/events`, { headers: { ...headers, accept: 'text/event-stream' }, signal: abort.signal });
      counters.http++;
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          if (type) refetch(staleAfter(type));
        }
      }
    } catch {
      /* closed at the end of the run */
    }
  })();

  const c = connect(url, agreementId, token, m);
  // As the web app: only this client's own awareness changes go to the server (no echo of the others').
  sendOnlyOwnAwareness(c.provider);
  c.provider.awareness.setLocalState({ user: { name: 'bench', color: '#1f6feb' }, cursor: null });
  // audit list: refetched 1.2 s after document changes settle
  let auditTimer: NodeJS.Timeout | undefined;
  c.doc.on('update', () => {
    clearTimeout(auditTimer);
    auditTimer = setTimeout(() => void get('/audit'), 1200);
  });
  // save-status poll after local edits
  let saving = false;
  let editSeq = 0;
  let pollTimer: NodeJS.Timeout | undefined;
  const schedulePoll = (ms: number) => {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => void poll(), ms);
  };
  const poll = async () => {
    if (stopped || !saving) return;
    const ws = c.provider.ws as unknown as { bufferedAmount: number } | null;
    if (!c.provider.wsconnected || !c.provider.synced || !ws || ws.bufferedAmount > 0) return schedulePoll(800);
    const seq = editSeq;
    counters.http++;
    try {
      const res = await fetch(`${base}/sync-status`, { headers, signal: abort.signal });
      if (!res.ok) counters.httpErrors++;
      const body = (await res.json()) as { state?: string };
      if (body.state === 'saved' && seq === editSeq) {
        saving = false;
        return;
      }
    } catch {
      /* retry */
    }
    schedulePoll(1000);
  };
  c.provider.awareness.on('change', () => {
    const st = c.provider.awareness.getStates().get(0) as { overensServer?: { save?: string } } | undefined;
    if (saving && st?.overensServer?.save === 'saved') schedulePoll(100);
  });
  return {
    client: c,
    /** one keystroke as the editor makes it: the character, then the caret after it */
    type(): void {
      const pos = Math.floor(Math.random() * (c.text.length + 1));
      m.sent.set(`${c.doc.clientID}:${Y.getState(c.doc.store, c.doc.clientID)}`, performance.now());
      c.text.insert(pos, 'x');
      const caret = JSON.parse(JSON.stringify(Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(c.text, pos + 1))));
      // the caret and its section in one update, as apps/web/src/agreement/section-awareness.ts sends it
      c.provider.awareness.setLocalState({ ...c.provider.awareness.getLocalState(), cursor: { anchor: caret, head: caret }, sectionId: 'bench' });
      editSeq++;
      saving = true;
      schedulePoll(600);
    },
    stop(): void {
      stopped = true;
      clearTimeout(auditTimer);
      clearTimeout(pollTimer);
      abort.abort();
      c.provider.destroy();
      c.doc.destroy();
    },
  };
}

const C_TYPISTS = 2;
const C_RATE = 5;
const C_BURST_MS = 4000;
const C_PAUSE_MS = 2000;

async function realClientScenario(server: ServerProc, agreementId: string, tokens: string[]): Promise<RealClientResult> {
  const m: Measure = { latencies: [], deliveries: 0, recording: false, sent: new Map() };
  const counters = { http: 0, httpErrors: 0 };
  const clients = tokens.map((t) => realClient(server.url, agreementId, t, m, counters));
  await waitFor(() => clients.every((c) => c.client.provider.synced), 'clients synced');
  let edits = 0;
  const timers = clients.slice(0, C_TYPISTS).map((c, k) => {
    let t: NodeJS.Timeout | undefined;
    const started = performance.now() + k * 1000; // the typists' bursts overlap only partly
    const tick = () => {
      const phase = (performance.now() - started) % (C_BURST_MS + C_PAUSE_MS);
      if (phase >= 0 && phase < C_BURST_MS) {
        c.type();
        if (m.recording) edits++;
      }
    };
    t = setInterval(tick, 1000 / C_RATE);
    return () => clearInterval(t);
  });
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const s0 = await server.stats();
  const http0 = counters.http;
  const err0 = counters.httpErrors;
  m.recording = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const s1 = await server.stats();
  m.recording = false;
  const httpRequests = counters.http - http0;
  const httpErrors = counters.httpErrors - err0;
  for (const stop of timers) stop();
  await new Promise((r) => setTimeout(r, 1000));
  for (const c of clients) c.stop();
  const cpuMs = s1.cpuMs - s0.cpuMs;
  const sorted = m.latencies.sort((a, b) => a - b);
  return {
    clients: tokens.length,
    edits,
    deliveries: m.deliveries,
    httpRequests,
    httpErrors,
    p50: pct(sorted, 50),
    cpuMs,
    cpuPerEditMs: cpuMs / Math.max(1, edits),
    cpuPer1000Delivered: (cpuMs / Math.max(1, m.deliveries)) * 1000,
  };
}

async function runRealClients(agreementId: string, tokens: string[], serverEnv: (databaseUrl: string) => Record<string, string>): Promise<RealClientResult> {
  const db = await createPostgresDatabase(ADMIN_URL);
  await clearChannel([agreementId]);
  try {
    const server = await startChild(SCRIPT.ours, serverEnv(db.url!));
    try {
      return await realClientScenario(server, agreementId, tokens);
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
}

function realClientTable(byClients: Map<number, RealClientResult[]>): string[] {
  const lines = [
    '| Clients | edits | delivered | HTTP requests | p50 ms | server CPU ms / edit | CPU ms / 1,000 delivered | CPU per edit per receiving client (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [n, rounds] of byClients) {
    const med = (f: (r: RealClientResult) => number) => median(rounds.map(f));
    const perEdit = med((r) => r.cpuPerEditMs);
    lines.push(
      `| ${n} | ${fmt(med((r) => r.edits), 0)} | ${fmt(med((r) => r.deliveries), 0)} | ${fmt(med((r) => r.httpRequests), 0)} | ${fmt(med((r) => r.p50))} | ` +
        `${fmt(perEdit, 2)} (rounds: ${rounds.map((r) => fmt(r.cpuPerEditMs, 2)).join(', ')}) | ${fmt(med((r) => r.cpuPer1000Delivered))} | ${fmt(perEdit / (n - 1), 3)} |`,
    );
  }
  return lines;
}


function fmt(n: number, d = 1): string {
  return Number.isFinite(n) ? n.toFixed(d) : '–';
}

type Kind = 'ours' | 'engine' | 'reference';
const KINDS: readonly Kind[] = ['ours', 'engine', 'reference'];
const SCRIPT: Record<Kind, string> = {
  ours: 'bench/support/sync-our-server.ts',
  engine: 'bench/support/sync-engine-server.ts',
  reference: 'bench/support/sync-reference-server.ts',
};
const LABEL: Record<Kind, string> = { ours: 'Överens server (whole app)', engine: 'Överens sync engine only', reference: 'y-websocket 1.5.4 reference' };
const RATIO_LABEL: Record<Exclude<Kind, 'reference'>, string> = { ours: 'whole app / reference', engine: 'engine / reference' };
/** the env that changes what is measured, echoed in the output (DATABASE_URL without its password) */
const ENV_KEYS = ['BENCH_REDIS', 'REDIS_URL', 'BENCH_ROUNDS', 'BENCH_SECONDS', 'BENCH_WARMUP_SECONDS', 'BENCH_ONLY', 'BENCH_C_CLIENTS', 'BENCH_SERVERS', 'BENCH_CPU_PROF', 'DATABASE_URL'];

type Groups = Parameters<typeof scenario>[1];
/** results[kind][scenario name] = one result per round, in round order */
type Results = Partial<Record<Kind, Record<string, ScenarioResult[]>>>;

function selectedServers(): Kind[] {
  const servers = (process.env.BENCH_SERVERS ?? KINDS.join(',')).split(',').map((s) => s.trim());
  const unknown = servers.filter((s) => !(KINDS as readonly string[]).includes(s));
  if (unknown.length > 0 || servers.length === 0) throw new Error(`BENCH_SERVERS: unknown server(s) ${unknown.join(', ')} (use ${KINDS.join(',')})`);
  return servers as Kind[];
}

/** Round 1 runs the servers in the given order, round 2 in reverse, and so on, so drift hits all alike. */
function serverOrder(servers: Kind[], round: number): Kind[] {
  return round % 2 === 0 ? servers : [...servers].reverse();
}

/** Each metric's median over the rounds (p50/p95/p99 are per-round percentiles). */
function medianResult(rounds: ScenarioResult[]): ScenarioResult {
  const keys = Object.keys(rounds[0]!) as (keyof ScenarioResult)[];
  return Object.fromEntries(keys.map((k) => [k, median(rounds.map((r) => r[k]))])) as unknown as ScenarioResult;
}

function shellWord(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

function commandLine(): string {
  const env = ENV_KEYS.filter((k) => process.env[k]).map((k) => `${k}=${shellWord(k === 'DATABASE_URL' ? withoutPassword(process.env[k]!) : process.env[k]!)}`);
  const cmd = process.env.npm_lifecycle_event === 'bench:sync' ? 'pnpm bench:sync' : `tsx ${path.relative(ROOT, process.argv[1] ?? 'bench/sync.bench.ts')}`;
  return [...env, cmd].join(' ');
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

async function runOnce(kind: Kind, groups: Groups, serverEnv: (databaseUrl: string) => Record<string, string>, profileName: string): Promise<ScenarioResult> {
  // a fresh database per run, so later rounds do not start with the update history of earlier ones
  const db = kind === 'reference' ? null : await createPostgresDatabase(ADMIN_URL);
  if (kind !== 'reference') await clearChannel(groups.map((g) => g.agreementId));
  try {
    const server = await startChild(SCRIPT[kind], db ? serverEnv(db.url!) : {});
    try {
      return await scenario(server, groups, profileName);
    } finally {
      await server.stop();
    }
  } finally {
    await db?.drop();
  }
}

/** A run that delivered far fewer updates than typed × receivers is broken (server error, code mid-edit), not slow. */
function deliveryWarning(kind: Kind, name: string, round: number, r: ScenarioResult, groups: Groups): string | null {
  const receivers = groups[0] ? groups[0].tokens.length - 1 : 0;
  const expected = r.ops * receivers;
  if (r.deliveries >= 0.8 * expected) return null;
  return `WARNING: ${kind} ${name.slice(0, 1)} round ${round + 1} delivered ${r.deliveries} of ≈ ${expected} expected updates; its figures are not comparable.`;
}

function resultRow(name: string, kind: Kind, r: ScenarioResult): string {
  const db = kind === 'reference' ? '– (in memory) | –' : `${fmt(r.txPerSec, 2)} | ${fmt(r.txPerSecPerAgreement, 2)}`;
  return `| ${name} | ${LABEL[kind]} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.deliveries, 0)} | ${fmt(r.cpuPer1000)} | ${fmt(r.sysPer1000)} | ${fmt(r.rssMiB, 0)} | ${db} |`;
}

function ratioRow(name: string, kind: Exclude<Kind, 'reference'>, o: ScenarioResult, f: ScenarioResult): string {
  return `| ${name} | **${RATIO_LABEL[kind]}** | ${fmt(o.p50 / f.p50, 2)} | ${fmt(o.p95 / f.p95, 2)} | ${fmt(o.p99 / f.p99, 2)} | | **${fmt(o.cpuPer1000 / f.cpuPer1000, 2)}** | ${fmt(o.sysPer1000 / f.sysPer1000, 2)} | ${fmt(o.rssMiB / f.rssMiB, 2)} | | |`;
}

function medianTable(names: string[], medians: Partial<Record<Kind, Record<string, ScenarioResult>>>): string[] {
  const lines = [
    '| Scenario | Server | p50 ms | p95 ms | p99 ms | delivered | CPU ms / 1,000 delivered | of which kernel | RSS MiB | DB tx/s (total) | DB tx/s per active agreement |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of names) {
    for (const kind of KINDS) {
      const r = medians[kind]?.[name];
      if (r) lines.push(resultRow(name, kind, r));
    }
    const f = medians.reference?.[name];
    for (const kind of ['ours', 'engine'] as const) {
      const o = medians[kind]?.[name];
      if (o && f) lines.push(ratioRow(name, kind, o, f));
    }
  }
  return lines;
}

/** e.g. "CPU ratio per round, B: whole app / reference 2.41, 2.60, 2.52; engine / reference 1.10, 1.21, 1.14" */
function perRoundCpuRatios(names: string[], results: Results): string[] {
  const lines: string[] = [];
  for (const name of names) {
    const f = results.reference?.[name];
    if (!f) continue;
    const parts = (['ours', 'engine'] as const).flatMap((kind) => {
      const o = results[kind]?.[name];
      return o ? [`${RATIO_LABEL[kind]} ${o.map((r, i) => fmt(r.cpuPer1000 / f[i]!.cpuPer1000, 2)).join(', ')}`] : [];
    });
    if (parts.length > 0) lines.push(`CPU ratio per round, ${name.slice(0, 1)}: ${parts.join('; ')}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadStart = loadAverage();
  process.stderr.write(`bench:sync ${startedAt}, load average ${loadStart}\n`);

  const users = Array.from({ length: 50 }, (_, i) => `u${i}`);
  const spec: SeedSpec = { name: 'bench-sync', agreements: 201, members: Object.fromEntries(users.map((u) => [u, 'editor'])), initialText: '' };
  const seeded = describeSeed(spec);
  const token = (i: number) => seeded.users[`u${i}`]!.token;
  const only = process.env.BENCH_ONLY; // 'A', 'B' or 'C' (default all)
  const scenarios = [
    { name: 'A: 50 clients / 1 agreement, 10 typing at 5 ops/s', groups: () => [{ agreementId: seeded.agreementIds[0]!, tokens: users.map((_, i) => token(i)), typists: 10, opsPerSecond: 5 }] },
    {
      name: 'B: 200 agreements × 3 clients, 1 typing at 2 ops/s',
      groups: () => seeded.agreementIds.slice(1).map((agreementId) => ({ agreementId, tokens: [token(0), token(1), token(2)], typists: 1, opsPerSecond: 2 })),
    },
  ].filter((s) => !only || s.name.startsWith(only));
  const servers = selectedServers();
  const serverEnv = (databaseUrl: string) => ({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: REDIS,
    LOG_LEVEL: 'warn',
    BENCH_SEED: JSON.stringify(spec),
    OVERENS_SYNC_MAX_CONNECTIONS_PER_USER: '10000',
    OVERENS_SYNC_IP_BURST: '100000',
    OVERENS_SYNC_IP_PER_SECOND: '100000',
  });

  const results: Results = {};
  const warnings: string[] = [];
  /** µs of CPU per bare socket write, measured at the start of each round of scenario A */
  const writeFloors: number[] = [];
  for (const { name, groups } of scenarios) {
    for (let round = 0; round < ROUNDS; round++) {
      if (name.startsWith('A') && process.env.BENCH_WRITE_FLOOR !== '0') {
        const f = await measureWriteFloor();
        writeFloors.push(f.userUs + f.sysUs);
        process.stderr.write(`round ${round + 1}/${ROUNDS}: bare socket write ${(f.userUs + f.sysUs).toFixed(1)} µs CPU\n`);
      }
      for (const kind of serverOrder(servers, round)) {
        process.stderr.write(`round ${round + 1}/${ROUNDS}: running ${kind} ${name} (${WARMUP}s warm-up + ${SECONDS}s)…\n`);
        const g = groups();
        const r = await runOnce(kind, g, serverEnv, `${kind}-${name.slice(0, 1)}-round${round + 1}`);
        ((results[kind] ??= {})[name] ??= []).push(r);
        const warning = deliveryWarning(kind, name, round, r, g);
        if (warning) {
          warnings.push(warning);
          process.stderr.write(`${warning}\n`);
        }
      }
    }
  }
  // C: the whole app only (the reference has no HTTP API); the same agreement as A
  const realClients = new Map<number, RealClientResult[]>();
  if (!only || only === 'C') {
    const sizes = (process.env.BENCH_C_CLIENTS ?? '5,10,20').split(',').map((x) => Number(x.trim()));
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of round % 2 === 0 ? sizes : [...sizes].reverse()) {
        process.stderr.write(`round ${round + 1}/${ROUNDS}: running ours C with ${n} clients (${WARMUP}s warm-up + ${SECONDS}s)…\n`);
        const r = await runRealClients(seeded.agreementIds[0]!, users.slice(0, n).map((_, i) => token(i)), serverEnv);
        (realClients.get(n) ?? realClients.set(n, []).get(n)!).push(r);
        if (r.httpErrors > 0) warnings.push(`WARNING: C with ${n} clients round ${round + 1}: ${r.httpErrors} HTTP requests failed.`);
      }
    }
  }
  const finishedAt = new Date().toISOString();
  const loadEnd = loadAverage();

  const names = scenarios.map((s) => s.name).filter((n) => servers.some((k) => results[k]?.[n]));
  const medians = Object.fromEntries(
    Object.entries(results).map(([kind, byName]) => [kind, Object.fromEntries(Object.entries(byName).map(([n, rounds]) => [n, medianResult(rounds)]))]),
  ) as Partial<Record<Kind, Record<string, ScenarioResult>>>;
  const orders = Array.from({ length: Math.min(ROUNDS, 2) }, (_, r) => `round ${r + 1}: ${serverOrder(servers, r).join(', ')}`);
  const conditions = {
    command: commandLine(),
    startedAt,
    finishedAt,
    loadAverageStart: loadStart,
    loadAverageEnd: loadEnd,
    cpus: os.cpus().length,
    node: process.version,
    rounds: ROUNDS,
    seconds: SECONDS,
    warmupSeconds: WARMUP,
  };
  console.log(`Command: ${conditions.command}`);
  console.log(
    `${ROUNDS} round(s) per scenario, server order alternating (${orders.join('; ')}${ROUNDS > 2 ? '; …' : ''}); each run a fresh server process ` +
      `(and database), ${WARMUP} s warm-up + ${SECONDS} s measured; Node ${process.version}, ${conditions.cpus} CPUs.`,
  );
  console.log(`Load average (1 / 5 / 15 min): ${loadStart} at start (${startedAt}), ${loadEnd} at end (${finishedAt}).`);
  console.log(`\nMedians over ${ROUNDS} round(s):\n`);
  console.log(medianTable(names, medians).join('\n'));
  const spread = perRoundCpuRatios(names, results);
  if (spread.length > 0) console.log(`\n${spread.join('\n')}`);
  const refA = medians.reference?.[scenarios[0]?.name ?? ''];
  if (writeFloors.length > 0) {
    const floor = median(writeFloors);
    const vsRef = refA && scenarios[0]!.name.startsWith('A') ? `; that is ${(floor / refA.cpuPer1000).toFixed(2)}× the reference's CPU per delivered update in A` : '';
    console.log(
      `\nWrite floor (bench/support/write-floor.ts, once per round of A, median): one bare ${31}-byte socket write costs ${floor.toFixed(1)} µs of CPU here` +
        `${vsRef}. A server that writes each update to each client separately cannot go below it.`,
    );
  }
  if (realClients.size > 0) {
    console.log(`\nC: the real client's behaviour (whole app, ${C_TYPISTS} typists in bursts, every client replaying the web app's requests), medians over ${ROUNDS} round(s):\n`);
    console.log(realClientTable(new Map([...realClients].sort((a, b) => a[0] - b[0]))).join('\n'));
  }
  if (warnings.length > 0) console.log(`\n${warnings.join('\n')}`);
  console.log(JSON.stringify({ conditions, warnings, writeFloorsUs: writeFloors, rounds: results, medians, realClients: Object.fromEntries(realClients) }));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
