/**
 * Import benchmark: the largest DOCX the default limits allow, uploaded to the import proposal route of a
 * real server (PGlite in memory), while a second client asks /api/health one request after another.
 * Reports per run the wall time of the upload and the longest health answer during it; medians over runs.
 * The server's import pool keeps its worker warm between runs, as in production between uploads.
 * For comparison the same file is parsed on the main thread (what the route did before it used workers).
 * Run: pnpm bench:import   (BENCH_RUNS=n timed runs, default 5, after 1 warm-up)
 */
import os from 'node:os';
import { DEFAULT_IMPORT_LIMITS, proposeImport } from '@overens/export';
import { STANDARD_TEMPLATE } from '@overens/model';
import { generateDocx, type GenBlock } from '../packages/export/src/testing/docx-zip.ts';
import { setUpTwoParties } from '../apps/server/test/helpers/agreement-fixture.ts';
import { startTestServer } from '../apps/server/test/support/index.ts';
import { median } from './support/median.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const WARMUP = 1;

const SENTENCE = 'Parterna ska gemensamt verka för att verksamheten når de barn och unga som har störst behov av stöd, och följa upp den i dialog. ';

/**
 * Every count at its cap: 1,000 headings, 200 tables of 2 × 2 cells, and body paragraphs up to 10,000
 * paragraphs in all (cells count), each about 250 characters.
 */
function largestAllowed(): Buffer {
  const { maxHeadings, maxTables, maxParagraphs } = DEFAULT_IMPORT_LIMITS;
  const cellParagraphs = maxTables * 4;
  const bodyParagraphs = maxParagraphs - maxHeadings - cellParagraphs;
  const blocks: GenBlock[] = [];
  const titles = STANDARD_TEMPLATE.sections.map((s) => s.title);
  for (let h = 0; h < maxHeadings; h++) {
    blocks.push(h < titles.length ? { h: titles[h]! } : { h: `Avsnitt ${h + 1} om verksamhetens innehåll`, level: 2 });
    const n = Math.floor(bodyParagraphs / maxHeadings) + (h < bodyParagraphs % maxHeadings ? 1 : 0);
    for (let i = 0; i < n; i++) blocks.push({ p: `${h + 1}.${i + 1} ${SENTENCE}${SENTENCE}` });
    if (h < maxTables) blocks.push({ table: [['Post', 'Belopp'], [`Bidrag ${h + 1}`, `${(h + 1) * 1000} kr`]] });
  }
  return generateDocx(blocks);
}

/**
 * /api/health every 10 ms (one at a time) until stop(). An answer's time counts from when the request was due,
 * so a blocked event loop counts in full even when it starts between two requests.
 */
function healthProbe(url: string) {
  let running = true;
  let longest = 0;
  let answers = 0;
  const done = (async () => {
    while (running) {
      const due = performance.now() + 10;
      await new Promise((r) => setTimeout(r, 10));
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      longest = Math.max(longest, performance.now() - due);
      answers++;
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { longest, answers };
    },
  };
}

const ms = (n: number) => `${Math.round(n)} ms`;

const server = await startTestServer();
const p = await setUpTwoParties(server.url);
const docx = largestAllowed();
console.log(`pnpm bench:import  BENCH_RUNS=${RUNS}  node ${process.version}  load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`file: ${(docx.length / 1024).toFixed(0)} KiB compressed, limits ${JSON.stringify(DEFAULT_IMPORT_LIMITS)}`);

async function upload(): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(docx)]), 'stor.docx');
  const res = await fetch(`${server.url}/api/agreements/${p.agreementId}/import/proposal`, { method: 'POST', headers: { cookie: p.ngo.cookie, origin: server.url }, body: form });
  // Read as text only: parsing 2.7 MB of JSON here would block the same event loop the probe measures.
  const text = await res.text();
  if (res.status !== 200) throw new Error(`import refused: ${res.status} ${text.slice(0, 300)}`);
  return text.length;
}

async function measure(label: string, run: () => Promise<unknown>) {
  const wall: number[] = [];
  const longest: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const probe = healthProbe(server.url);
    await new Promise((r) => setTimeout(r, 50)); // the probe is answering before the import starts
    const t0 = performance.now();
    await run();
    const t = performance.now() - t0;
    const h = await probe.stop();
    if (i >= WARMUP) {
      wall.push(t);
      longest.push(h.longest);
    }
  }
  console.log(`${label}: wall ${ms(median(wall))} (min ${ms(Math.min(...wall))}, max ${ms(Math.max(...wall))}); longest /api/health ${ms(median(longest))} (min ${ms(Math.min(...longest))}, max ${ms(Math.max(...longest))})`);
  return { wall: median(wall), health: median(longest) };
}

const idle = await measure('idle, 3 s without import', () => new Promise((r) => setTimeout(r, 3000)));
const route = await measure('upload to the proposal route (worker)', upload);
const inline = await measure('same file parsed on the main thread (before)', () => proposeImport(docx, STANDARD_TEMPLATE));
console.log(`load average at end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(JSON.stringify({ runs: RUNS, idle, route, inline }));
await server.close();
