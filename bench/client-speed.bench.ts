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
 * receiving page during the first measured run, for chrome://tracing / DevTools), BENCH_PROFILE=dir
 * (CPU profiles of both pages during the first measured run's typing, `sender.cpuprofile` and
 * `receiver.cpuprofile`, and of the first measured page open, `open.cpuprofile`: DevTools → Performance →
 * load profile; the top functions by self time are printed).
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
const PROFILE_DIR = process.env.BENCH_PROFILE;
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
  w.__keydowns = [];
  window.addEventListener('keydown', (e) => w.__keydowns.push(performance.timeOrigin + e.timeStamp), true);
  // Receiver: arm with the text to wait for; the observer stamps the first mutation that shows it.
  w.__arm = (selector, needle) => {
    const root = document.querySelector(selector);
    w.__arrivedAt = null;
    const obs = new MutationObserver(() => {
      if ((root.textContent || '').includes(needle)) {
        w.__arrivedAt = performance.timeOrigin + performance.now();
        obs.disconnect();
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
  return { page, editableMs };
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

/** Types KEYS characters one at a time; returns each keystroke's latency to the other screen (ms). */
async function typingRun(sender: Page, receiver: Page, run: number): Promise<number[]> {
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
  for (let i = 0; i < KEYS; i++) {
    const ch = alphabet[i % alphabet.length]!;
    typed += ch;
    await receiver.evaluate(({ sel, needle }: { sel: string; needle: string }) => (window as unknown as { __arm: (s: string, n: string) => void }).__arm(sel, needle), {
      sel: editorSelector,
      needle: typed,
    });
    const before = await sender.evaluate(() => (window as unknown as { __keydowns: number[] }).__keydowns.length);
    await sender.keyboard.press(ch);
    await receiver.waitForFunction(() => (window as unknown as { __arrivedAt: number | null }).__arrivedAt !== null, null, { timeout: 30_000 });
    const arrived = await receiver.evaluate(() => (window as unknown as { __arrivedAt: number }).__arrivedAt);
    const sent = await sender.evaluate((n: number) => (window as unknown as { __keydowns: number[] }).__keydowns[n]!, before);
    latencies.push(arrived - sent);
    await sender.waitForTimeout(GAP_MS);
  }
  return latencies;
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
  openNgoMs: number;
  openKommunMs: number;
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  console.log(`# pnpm bench:client  BENCH_RUNS=${RUNS} BENCH_KEYS=${KEYS} BENCH_GAP_MS=${GAP_MS}  ${started}  load average ${loadavg()}`);
  const env = { OVERENS_DEMO: '1', LOG_LEVEL: 'warn' };
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL; // embedded PGlite, as `OVERENS_DEMO=1 pnpm start`
  let server: E2EServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startE2EServer(env);
    if (saved) process.env.DATABASE_URL = saved;
    browser = await launchBrowser();
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

    const results: RunResult[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const ngo = await openAgreement(contexts[0]!, server.url, agreementId);
      const kommun = await openAgreement(contexts[1]!, server.url, agreementId);
      // Both pages settled (validation, side panel, presence) before typing.
      await ngo.page.waitForTimeout(1000);
      const tracing = TRACE_DIR && run === 1;
      if (tracing) {
        fs.mkdirSync(TRACE_DIR, { recursive: true });
        await browser.startTracing(kommun.page, { path: path.join(TRACE_DIR, 'receiver.json'), screenshots: false });
      }
      const profiling = PROFILE_DIR && run === 1;
      const profilers = profiling ? await Promise.all([startProfile(ngo.page), startProfile(kommun.page)]) : [];
      const lat = await typingRun(ngo.page, kommun.page, run);
      if (tracing) await browser.stopTracing();
      if (profiling) {
        await stopProfile(profilers[0]!, 'sender');
        await stopProfile(profilers[1]!, 'receiver');
        await profileOpen(contexts[1]!, server.url, agreementId);
      }
      await ngo.page.close();
      await kommun.page.close();
      const r: RunResult = {
        p50: percentile(lat, 50),
        p90: percentile(lat, 90),
        max: Math.max(...lat),
        openNgoMs: ngo.editableMs,
        openKommunMs: kommun.editableMs,
      };
      const label = run === 0 ? 'warm-up' : `run ${run}`;
      console.log(
        `${label.padEnd(8)} keystroke→other screen p50 ${r.p50.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms  max ${r.max.toFixed(1)} ms   ` +
          `open→editable ngo ${r.openNgoMs.toFixed(0)} ms  kommun ${r.openKommunMs.toFixed(0)} ms   load ${loadavg()}`,
      );
      if (run > 0) results.push(r);
    }
    const m = (f: (r: RunResult) => number) => median(results.map(f));
    console.log('');
    console.log(`| Measurement (median of ${results.length} runs) | Value |`);
    console.log('| --- | --- |');
    console.log(`| keystroke → other screen p50 | ${m((r) => r.p50).toFixed(1)} ms |`);
    console.log(`| keystroke → other screen p90 | ${m((r) => r.p90).toFixed(1)} ms |`);
    console.log(`| p50 per run | ${results.map((r) => r.p50.toFixed(1)).join(', ')} |`);
    console.log(`| p90 per run | ${results.map((r) => r.p90.toFixed(1)).join(', ')} |`);
    console.log(`| agreement page → first editor editable | ${median(results.flatMap((r) => [r.openNgoMs, r.openKommunMs])).toFixed(0)} ms |`);
    console.log(`| open per run (ngo/kommun) | ${results.map((r) => `${r.openNgoMs.toFixed(0)}/${r.openKommunMs.toFixed(0)}`).join(', ')} |`);
    console.log(`\nload average at end ${loadavg()}`);
    console.log(JSON.stringify({ started, runs: results }));
  } finally {
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
