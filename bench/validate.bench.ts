/**
 * Validation speed on a large agreement: `pnpm bench:validate`.
 *
 * Builds a 100-page agreement (about 250 words per page over the 15 standard sections, with headings,
 * lists and bold runs) with 50 goal rows, then times
 *   - validateAgreement alone (on a ready snapshot): what the server and export gate do per request,
 *   - snapshotAgreement + validateAgreement: what the live panel does after an edit,
 *   - canonicalSerialize (for the approval hash), for reference.
 * Options: --pages N --goals N --runs N (defaults 100 / 50 / 200).
 */
import * as Y from 'yjs';
import {
  buildLargeFixtureDoc,
  canonicalSerialize,
  richPlainText,
  snapshotAgreement,
  STANDARD_TEMPLATE,
  validateAgreement,
} from '@overens/model';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const pages = arg('pages', 100);
const goals = arg('goals', 50);
const runs = arg('runs', 200);
const warmup = Math.max(10, Math.floor(runs / 10));

function stats(samples: number[]): { median: number; p95: number; min: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { median: at(0.5), p95: at(0.95), min: s[0]! };
}

function time(fn: () => void): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const doc: Y.Doc = buildLargeFixtureDoc({ pages, goals });
const title = 'Benchmark';
const snapshot = snapshotAgreement(doc, { title });
const words = snapshot.sections.reduce((n, s) => n + richPlainText(s.body).split(/\s+/).filter(Boolean).length, 0);
const check = validateAgreement(snapshot, STANDARD_TEMPLATE);
if (check.summary.errors > 0) throw new Error(`benchmark agreement should be valid: ${JSON.stringify(check.findings.slice(0, 3))}`);

let sink = 0;
const validateOnly = stats(time(() => (sink += validateAgreement(snapshot, STANDARD_TEMPLATE).findings.length)));
const snapshotAndValidate = stats(
  time(() => (sink += validateAgreement(snapshotAgreement(doc, { title }), STANDARD_TEMPLATE).findings.length)),
);
const canonical = stats(time(() => (sink += canonicalSerialize(snapshot).length)));

const f = (n: number) => n.toFixed(2);
console.log(
  `agreement: ${pages} pages requested, ${words} words in ${snapshot.sections.length} sections, ${snapshot.goals.length} goal rows, ` +
    `Y.Doc update ${(Y.encodeStateAsUpdate(doc).byteLength / 1024).toFixed(0)} KiB; ${runs} runs after ${warmup} warm-up (sink ${sink % 10})`,
);
console.log('| measurement | median ms | p95 ms | min ms |');
console.log('|---|---|---|---|');
console.log(`| validateAgreement (snapshot ready) | ${f(validateOnly.median)} | ${f(validateOnly.p95)} | ${f(validateOnly.min)} |`);
console.log(`| snapshotAgreement + validateAgreement | ${f(snapshotAndValidate.median)} | ${f(snapshotAndValidate.p95)} | ${f(snapshotAndValidate.min)} |`);
console.log(`| canonicalSerialize (approval hash input) | ${f(canonical.median)} | ${f(canonical.p95)} | ${f(canonical.min)} |`);
