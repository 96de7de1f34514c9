/**
 * `pnpm bench:client` — client speed as a person feels it, measured from outside with real Chromium
 * (issue 15, item 7). A real server (tests/e2e/support/server.ts: `tsx apps/server/src/main.ts`, the built
 * web app, embedded PGlite) with OVERENS_DEMO=1; two browser contexts signed in as the two demo users on
 * the demo agreement.
 *
 *   keystroke → other screen  one character typed at the end of the "Bakgrund" section in the NGO's
 *                             browser; from the keydown event's timestamp there to the MutationObserver
 *                             in the kommun's browser seeing the text (both `performance.timeOrigin +
 *                             t`, one machine, one clock). One key at a time: the next is typed after the
 *                             previous arrived and a pause (BENCH_GAP_MS, default 120 ms, typing speed).
 *   open → editable           a fresh page load of the agreement (`page.goto`) until the first section
 *                             editor is contenteditable, from the navigation's time origin (a
 *                             MutationObserver installed before the app's scripts).
 *
 * Per run: p50/p90 of BENCH_KEYS (default 40) keystrokes, and one page open per user; the report gives
 * every run and the medians over BENCH_RUNS runs (default 5; one warm-up run first).
 * Env: BENCH_RUNS, BENCH_KEYS, BENCH_GAP_MS, BENCH_TRACE=dir (a Chromium performance trace of the
 * receiving page during the first measured run, for chrome://tracing / DevTools; BENCH_TRACE_PAGE=sender
 * traces the typing page instead), BENCH_PROFILE=dir
 * (CPU profiles of both pages during the first measured run's typing, `sender.cpuprofile` and
 * `receiver.cpuprofile`, and of the first measured page open, `open.cpuprofile`: DevTools → Performance →
 * load profile; the top functions by self time are printed), BENCH_BASE_DIST=dir (a reference web build, e.g.
 * of the commit before a change, served by a second server: its runs alternate with this build's and the
 * report gives both and their ratio — the fair comparison on a loaded machine).
 * BENCH_OPEN_TIMELINE=1 prints each page open's timeline (documents and scripts as they arrived, sockets,
 * the first socket messages, long tasks). BENCH_RAW=1 prints each keystroke: when it was sent and shown, and the receiver's messages for it (kind,
 * size, queued → handled), with epoch times to match a `tcpdump -tt` capture of the loopback.
 * Also reported: keystroke → the receiver's next frame rendered after the text is in the DOM (a task queued
 * from the next animation frame runs once that frame's style, layout and paint are done on the main thread;
 * raster and compositing on other threads not included) — what moving work out of the message task into the
 * frame does not hide.
 * Each keystroke is also split into segments (keydown → websocket send → message at the receiver → its
 * handler → text in the DOM), so what the client and what the server + network cost is visible.
 * Run it under `flock /tmp/overens-heavy.lock` on the shared machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../tests/e2e/support/browser.ts';
import { waitForSections } from '../tests/e2e/support/scenario.ts';
import { startE2EServer, type E2EServer } from '../tests/e2e/support/server.ts';
import { median } from './support/median.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const KEYS = Number(process.env.BENCH_KEYS ?? 40);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 120);
const TRACE_DIR = process.env.BENCH_TRACE;
const TRACE_PAGE = process.env.BENCH_TRACE_PAGE === 'sender' ? 'sender' : 'receiver';
const PROFILE_DIR = process.env.BENCH_PROFILE;
/** A reference web build (a `dist` directory) measured in the same run, alternating with this one. */
const BASE_DIST = process.env.BENCH_BASE_DIST;
/** Per keystroke: its times and every websocket message the receiver handled for it. */
const RAW = process.env.BENCH_RAW === '1';
/** Prints each page open's timeline: resources, sockets, first messages, long tasks. */
const OPEN_TIMELINE = process.env.BENCH_OPEN_TIMELINE === '1';
const SECTION = 'background';

const DEMO_USERS = [
  { email: 'ngo@demo.overens.se', password: 'demo-ideburen-2026' },
  { email: 'kommun@demo.overens.se', password: 'demo-kommun-2026' },
];

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * Installed before the app's scripts: when the first section editor became editable, and the probes.
 * Plain JavaScript in a string: tsx would wrap the functions of a TypeScript function in `__name()`
 * helpers that do not exist in the page.
 */
const PROBES = `(() => {
  const w = window;
  w.__editableAt = null;
  const check = () => {
    if (w.__editableAt === null && document.querySelector('[data-section-editor][contenteditable="true"]')) {
      w.__editableAt = performance.now();
      return true;
    }
    return false;
  };
  const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
  mo.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['contenteditable'] });
  // Sender: the time of each keydown (the event's own timestamp: when the browser created it).
  // Also when the page starts handling it (this capture listener is the first to run).
  w.__keydowns = [];
  w.__keyHandled = [];
  window.addEventListener('keydown', (e) => {
    w.__keydowns.push(performance.timeOrigin + e.timeStamp);
    w.__keyHandled.push(performance.timeOrigin + performance.now());
  }, true);
  // Where the time goes (the breakdown): when each websocket message leaves the sender, and when each
  // arrives at the receiver (queued: the event's own timestamp; handled: its handler starts).
  // The page open's timeline (BENCH_OPEN_TIMELINE=1): long tasks, and when each socket was created.
  w.__long = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  w.__wsOpened = [];
  const WS = window.WebSocket;
  window.WebSocket = function (...args) { w.__wsOpened.push(Math.round(performance.now())); return new WS(...args); };
  window.WebSocket.prototype = WS.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  w.__wsSends = [];
  w.__wsRecvs = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    w.__wsSends.push(performance.timeOrigin + performance.now());
    return send.call(this, data);
  };
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return onmessage.get.call(this); },
    set(handler) {
      onmessage.set.call(this, handler && function (e) {
        const rec = { queued: performance.timeOrigin + e.timeStamp, handled: performance.timeOrigin + performance.now(), size: e.data && e.data.byteLength, kind: e.data instanceof ArrayBuffer ? new Uint8Array(e.data)[0] : -1, done: 0 };
        w.__wsRecvs.push(rec);
        try { return handler.call(this, e); } finally { rec.done = performance.timeOrigin + performance.now(); }
      });
    },
  });
  // Receiver: arm with the text to wait for; the observer stamps the first mutation that shows it.
  // The text is read without the other users' carets: a caret label drawn inside the typed text (the
  // writer's caret still before the new character until their caret update arrives) would hide the
  // needle although the character is on screen.
  const textWithoutCarets = (root) => {
    let s = '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest('.collaboration-carets__caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) s += n.data;
    return s;
  };
  w.__arm = (selector, needle) => {
    const root = document.querySelector(selector);
    w.__arrivedAt = null;
    w.__paintedAt = null;
    const obs = new MutationObserver(() => {
      const at = performance.timeOrigin + performance.now();
      if (textWithoutCarets(root).includes(needle)) {
        w.__arrivedAt = at;
        obs.disconnect();
        // The frame that shows it: style, layout and paint run right after the animation-frame
        // callbacks, so a task queued from one runs once that frame is rendered on the main thread.
        requestAnimationFrame(() => setTimeout(() => { w.__paintedAt = performance.timeOrigin + performance.now(); }, 0));
      }
    });
    obs.observe(root, { subtree: true, childList: true, characterData: true });
  };
})();`;

async function login(context: BrowserContext, url: string, user: (typeof DEMO_USERS)[number]): Promise<void> {
  const res = await context.request.post(`${url}/api/auth/login`, {
    headers: { origin: url, 'content-type': 'application/json' },
    data: JSON.stringify(user),
  });
  if (!res.ok()) throw new Error(`login ${user.email}: ${res.status()} ${await res.text()}`);
}

/** Opens the agreement in a fresh page and returns ms from navigation start to the first editable editor. */
async function openAgreement(context: BrowserContext, url: string, agreementId: string): Promise<{ page: Page; editableMs: number }> {
  const page = await context.newPage();
  await page.goto(`${url}/#/agreements/${agreementId}`);
  await waitForSections(page, 'bench');
  await page.waitForFunction(() => (window as unknown as { __editableAt: number | null }).__editableAt !== null, null, { timeout: 60_000 });
  const editableMs = await page.evaluate(() => (window as unknown as { __editableAt: number }).__editableAt);
  if (OPEN_TIMELINE) console.log(`open timeline (ms from navigation), editable at ${editableMs.toFixed(0)}:\n${await openTimeline(page)}`);
  return { page, editableMs };
}

/** Navigation, documents and scripts as they arrived, sockets, the first socket messages and the long tasks of a page open. */
async function openTimeline(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = window as unknown as { __long: number[][]; __wsOpened: number[]; __wsRecvs: Array<{ handled: number; size: number; kind: number }> };
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const rows: Array<[number, string]> = [
      [nav.responseEnd, 'document received'],
      [nav.domContentLoadedEventEnd, 'DOMContentLoaded done'],
    ];
    for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      rows.push([r.responseEnd, `${r.initiatorType} ${r.name.replace(location.origin, '')} (requested ${r.startTime.toFixed(0)}, ${r.transferSize} B)`]);
    }
    for (const t of w.__wsOpened) rows.push([t, 'websocket created']);
    for (const m of performance.getEntriesByType('mark')) rows.push([m.startTime, `mark ${m.name}`]);
    for (const m of w.__wsRecvs.slice(0, 4)) rows.push([m.handled - performance.timeOrigin, `websocket message kind ${m.kind}, ${m.size} B`]);
    for (const [start = 0, d = 0] of w.__long) rows.push([start, `long task ${d} ms (until ${start + d})`]);
    return rows.sort((a, b) => a[0] - b[0]).map(([t, what]) => `  ${t.toFixed(0).padStart(6)}  ${what}`).join('\n');
  });
}

const editorSelector = `section[data-section-key="${SECTION}"] [data-section-editor]`;

async function placeCaretAtEnd(page: Page): Promise<void> {
  const editor = page.locator(editorSelector);
  await editor.click();
  // A string, not a function: see PROBES.
  await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(editorSelector)});
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement && n.parentElement.closest('.collaboration-carets__caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let last = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) last = n;
    if (last) window.getSelection().collapse(last, last.length);
    return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
  })()`);
  await page.waitForTimeout(100);
}

/**
 * One keystroke's way, in ms: keydown → the sender's websocket send (input), → the message queued at
 * the receiver (server relay and network), → its handler starts (waiting for the receiver's main
 * thread), → the text in the DOM (apply: Yjs, y-prosemirror, ProseMirror, everything else in that task).
 */
interface Segments {
  /** of input: the keydown created → the page starts handling it (browser → renderer) */
  dispatch: number;
  input: number;
  relay: number;
  wait: number;
  apply: number;
}

/** Types KEYS characters one at a time; returns each keystroke's latency to the other screen (ms) and its segments. */
async function typingRun(sender: Page, receiver: Page, run: number): Promise<{ latencies: number[]; painted: number[]; segments: Segments[] }> {
  await placeCaretAtEnd(sender);
  const marker = ` R${run}x${Date.now().toString(36)}:`;
  // The marker itself is typed first (not measured), so each measured key has a unique needle.
  await sender.keyboard.type(marker, { delay: 20 });
  await receiver.waitForFunction(
    ({ sel, m }: { sel: string; m: string }) => (document.querySelector(sel)?.textContent ?? '').includes(m),
    { sel: editorSelector, m: marker },
    { timeout: 30_000 },
  );
  await sender.waitForTimeout(300);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  let typed = marker;
  const latencies: number[] = [];
  const painted: number[] = [];
  const segments: Segments[] = [];
  type Probe = { __keydowns: number[]; __keyHandled: number[]; __wsSends: number[]; __wsRecvs: Array<{ queued: number; handled: number }>; __arrivedAt: number };
  for (let i = 0; i < KEYS; i++) {
    const ch = alphabet[i % alphabet.length]!;
    typed += ch;
    await receiver.evaluate(({ sel, needle }: { sel: string; needle: string }) => (window as unknown as { __arm: (s: string, n: string) => void }).__arm(sel, needle), {
      sel: editorSelector,
      needle: typed,
    });
    const before = await sender.evaluate(() => (window as unknown as { __keydowns: number[] }).__keydowns.length);
    await sender.keyboard.press(ch);
    await receiver.waitForFunction(() => (window as unknown as { __paintedAt: number | null }).__paintedAt !== null, null, { timeout: 30_000 });
    const { arrived, paintedAt, recv } = await receiver.evaluate(() => {
      const w = window as unknown as Probe & { __paintedAt: number };
      const handled = w.__wsRecvs.filter((m) => m.handled <= w.__arrivedAt);
      return { arrived: w.__arrivedAt, paintedAt: w.__paintedAt, recv: handled[handled.length - 1] ?? null };
    });
    const { sent, handledAt, wsSent } = await sender.evaluate((n: number) => {
      const w = window as unknown as Probe;
      const at = w.__keydowns[n]!;
      return { sent: at, handledAt: w.__keyHandled[n]!, wsSent: w.__wsSends.find((t) => t >= at) ?? null };
    }, before);
    latencies.push(arrived - sent);
    painted.push(paintedAt - sent);
    if (RAW) {
      // Every message the receiver handled for this key: y-websocket kind, bytes, queued → done (ms after the keydown).
      const msgs = await receiver.evaluate(
        (t0: number) =>
          (window as unknown as { __wsRecvs: Array<{ queued: number; done: number; size: number; kind: number }> }).__wsRecvs
            .filter((m) => m.queued > t0 - 5)
            .map((m) => `${m.kind === 0 ? 'sync' : m.kind === 1 ? 'awareness' : m.kind} ${m.size} B ${(m.queued - t0).toFixed(1)}→${(m.done - t0).toFixed(1)}`),
        sent,
      );
      console.log(`key ${i}: at ${(sent / 1000).toFixed(4)} s, handled +${(handledAt - sent).toFixed(1)} ms, sent +${wsSent === null ? '?' : (wsSent - sent).toFixed(1)} ms, on screen +${(arrived - sent).toFixed(1)} ms; receiver: ${msgs.join(', ')}`);
    }
    if (recv && wsSent !== null) segments.push({ dispatch: handledAt - sent, input: wsSent - sent, relay: recv.queued - wsSent, wait: recv.handled - recv.queued, apply: arrived - recv.handled });
    await sender.waitForTimeout(GAP_MS);
  }
  return { latencies, painted, segments };
}

type Cdp = Awaited<ReturnType<BrowserContext['newCDPSession']>>;

async function startProfile(page: Page): Promise<Cdp> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return cdp;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

async function stopProfile(cdp: Cdp, name: string): Promise<void> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  };
  await cdp.detach();
  fs.mkdirSync(PROFILE_DIR!, { recursive: true });
  fs.writeFileSync(path.join(PROFILE_DIR!, `${name}.cpuprofile`), JSON.stringify(profile));
  // Self time per function (sample count × mean interval), idle and program excluded.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const fn = n.callFrame.functionName || '(anonymous)';
    if (fn === '(idle)' || fn === '(program)') return;
    const where = n.callFrame.url ? ` ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}` : '';
    self.set(fn + where, (self.get(fn + where) ?? 0) + dt);
    total += dt;
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`profile ${name}: ${total.toFixed(0)} ms busy of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`);
  for (const [fn, ms] of top) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${fn}`);
}

async function profileOpen(context: BrowserContext, url: string, agreementId: string): Promise<void> {
  const page = await context.newPage();
  const cdp = await startProfile(page);
  await page.goto(`${url}/#/agreements/${agreementId}`);
  await page.waitForFunction(() => (window as unknown as { __editableAt: number | null }).__editableAt !== null, null, { timeout: 60_000 });
  await stopProfile(cdp, 'open');
  await page.close();
}

interface RunResult {
  p50: number;
  p90: number;
  max: number;
  /** keystroke → the receiver's next rendered frame after the text is in the DOM */
  paintedP50: number;
  paintedP90: number;
  openNgoMs: number;
  openKommunMs: number;
  /** Medians of the keystrokes' segments (see Segments). */
  dispatch: number;
  input: number;
  relay: number;
  wait: number;
  apply: number;
}

interface Target {
  label: string;
  server: E2EServer;
  contexts: BrowserContext[];
  agreementId: string;
  results: RunResult[];
}

/** A server (PGlite, demo data) serving one web build, with both demo users signed in. */
async function startTarget(browser: Browser, label: string, env: Record<string, string>): Promise<Target> {
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL; // embedded PGlite, as `OVERENS_DEMO=1 pnpm start`
  let server: E2EServer;
  try {
    server = await startE2EServer(env);
  } finally {
    if (saved) process.env.DATABASE_URL = saved;
  }
  const contexts: BrowserContext[] = [];
  for (const u of DEMO_USERS) {
    const c = await newContext(browser, server.url);
    await c.addInitScript({ content: PROBES });
    await login(c, server.url, u);
    contexts.push(c);
  }
  const list = await contexts[0]!.request.get(`${server.url}/api/agreements`);
  const body = (await list.json()) as { agreements?: Array<{ id: string }> } | Array<{ id: string }>;
  const items = Array.isArray(body) ? body : (body.agreements ?? []);
  const agreementId = items[0]?.id;
  if (!agreementId) throw new Error(`no demo agreement: ${JSON.stringify(body).slice(0, 300)}`);
  return { label, server, contexts, agreementId, results: [] };
}

/** One run on one target: both users open the agreement, then the NGO types KEYS characters. */
async function measure(browser: Browser, t: Target, run: number): Promise<RunResult> {
  const { server, contexts, agreementId } = t;
  const ngo = await openAgreement(contexts[0]!, server.url, agreementId);
  const kommun = await openAgreement(contexts[1]!, server.url, agreementId);
  // Both pages settled (validation, side panel, presence) before typing.
  await ngo.page.waitForTimeout(1000);
  const first = run === 1 && t.label === 'new';
  const tracing = TRACE_DIR && first;
  if (tracing) {
    fs.mkdirSync(TRACE_DIR, { recursive: true });
    const traced = TRACE_PAGE === 'sender' ? ngo.page : kommun.page;
    await browser.startTracing(traced, { path: path.join(TRACE_DIR, `${TRACE_PAGE}.json`), screenshots: false });
  }
  const profiling = PROFILE_DIR && first;
  const profilers = profiling ? await Promise.all([startProfile(ngo.page), startProfile(kommun.page)]) : [];
  const { latencies: lat, painted, segments } = await typingRun(ngo.page, kommun.page, run);
  if (tracing) await browser.stopTracing();
  if (profiling) {
    await stopProfile(profilers[0]!, 'sender');
    await stopProfile(profilers[1]!, 'receiver');
    await profileOpen(contexts[1]!, server.url, agreementId);
  }
  await ngo.page.close();
  await kommun.page.close();
  return {
    p50: percentile(lat, 50),
    p90: percentile(lat, 90),
    max: Math.max(...lat),
    paintedP50: percentile(painted, 50),
    paintedP90: percentile(painted, 90),
    openNgoMs: ngo.editableMs,
    openKommunMs: kommun.editableMs,
    dispatch: median(segments.map((x) => x.dispatch)),
    input: median(segments.map((x) => x.input)),
    relay: median(segments.map((x) => x.relay)),
    wait: median(segments.map((x) => x.wait)),
    apply: median(segments.map((x) => x.apply)),
  };
}

function summary(t: Target): Record<string, number> {
  const m = (f: (r: RunResult) => number) => median(t.results.map(f));
  return {
    p50: m((r) => r.p50),
    p90: m((r) => r.p90),
    paintedP50: m((r) => r.paintedP50),
    paintedP90: m((r) => r.paintedP90),
    open: median(t.results.flatMap((r) => [r.openNgoMs, r.openKommunMs])),
    dispatch: m((r) => r.dispatch),
    input: m((r) => r.input),
    relay: m((r) => r.relay),
    wait: m((r) => r.wait),
    apply: m((r) => r.apply),
  };
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  console.log(
    `# pnpm bench:client  BENCH_RUNS=${RUNS} BENCH_KEYS=${KEYS} BENCH_GAP_MS=${GAP_MS}${BASE_DIST ? ` BENCH_BASE_DIST=${BASE_DIST}` : ''}  ${started}  load average ${loadavg()}`,
  );
  const env: Record<string, string> = { OVERENS_DEMO: '1', LOG_LEVEL: 'warn', ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) };
  let browser: Browser | null = null;
  const targets: Target[] = [];
  try {
    browser = await launchBrowser();
    // With a reference build: its runs alternate with this build's, on a server of its own, so both
    // see the same machine load (the ratio is what compares).
    if (BASE_DIST) targets.push(await startTarget(browser, 'base', { ...env, OVERENS_WEB_DIST: path.resolve(BASE_DIST) }));
    targets.push(await startTarget(browser, 'new', env));

    for (let run = 0; run <= RUNS; run++) {
      for (const t of targets) {
        const r = await measure(browser, t, run);
        const label = `${run === 0 ? 'warm-up' : `run ${run}`}${BASE_DIST ? ` ${t.label}` : ''}`;
        console.log(
          `${label.padEnd(12)} keystroke→other screen p50 ${r.p50.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  (frame rendered p50 ${r.paintedP50.toFixed(1)}, p90 ${r.paintedP90.toFixed(1)})   ` +
            `open→editable ngo ${r.openNgoMs.toFixed(0)} ms  kommun ${r.openKommunMs.toFixed(0)} ms   load ${loadavg()}\n` +
            `             p50 segments: input ${r.input.toFixed(1)} (of which dispatch ${r.dispatch.toFixed(1)})  relay ${r.relay.toFixed(1)}  wait ${r.wait.toFixed(1)}  apply ${r.apply.toFixed(1)} ms`,
        );
        if (run > 0) t.results.push(r);
      }
    }
    const sums = targets.map((t) => [t, summary(t)] as const);
    const cols = sums.map(([t]) => t.label).join(' | ');
    console.log('');
    console.log(`| Measurement (median of ${RUNS} runs) | ${cols}${BASE_DIST ? ' | new / base' : ''} |`);
    console.log(`| --- | ${sums.map(() => '---').join(' | ')}${BASE_DIST ? ' | ---' : ''} |`);
    const row = (name: string, key: string, digits: number) => {
      const vals = sums.map(([, s]) => s[key]!);
      const ratio = BASE_DIST ? ` | ${(vals[1]! / vals[0]!).toFixed(2)}` : '';
      console.log(`| ${name} | ${vals.map((v) => `${v.toFixed(digits)} ms`).join(' | ')}${ratio} |`);
    };
    row('keystroke → other screen p50', 'p50', 1);
    row('keystroke → other screen p90', 'p90', 1);
    row('keystroke → next frame rendered there p50', 'paintedP50', 1);
    row('keystroke → next frame rendered there p90', 'paintedP90', 1);
    row('agreement page → first editor editable', 'open', 0);
    row('segment input (keydown → websocket send)', 'input', 1);
    row('… of which dispatch (keydown created → page handles it)', 'dispatch', 1);
    row('segment relay (send → message at the receiver)', 'relay', 1);
    row('segment wait (message queued → handled)', 'wait', 1);
    row('segment apply (handled → text in the DOM)', 'apply', 1);
    for (const t of targets) {
      console.log(`${t.label}: p50 per run ${t.results.map((r) => r.p50.toFixed(1)).join(', ')}; p90 per run ${t.results.map((r) => r.p90.toFixed(1)).join(', ')}; open per run (ngo/kommun) ${t.results.map((r) => `${r.openNgoMs.toFixed(0)}/${r.openKommunMs.toFixed(0)}`).join(', ')}`);
    }
    console.log(`\nload average at end ${loadavg()}`);
    console.log(JSON.stringify({ started, targets: targets.map((t) => ({ label: t.label, runs: t.results })) }));
  } finally {
    await browser?.close().catch(() => {});
    for (const t of targets) await t.server.close().catch(() => {});
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
