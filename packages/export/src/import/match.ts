import type { Template } from '@overens/model';
import { HEADING_SYNONYMS, STANDARD_TITLES } from './synonyms.ts';

/** Strips numbering ("3.", "3.1", "§ 3", "IV.", "A)") and punctuation, folds case and whitespace. */
export function normalizeHeading(raw: string): string {
  let s = raw.normalize('NFC').replace(/\u00a0/g, ' ').trim().toLowerCase();
  s = s.replace(/^(?:§\s*)?(?:\d{1,2}(?:\.\d{1,2})*\.?|[ivxlcdm]+\.|[a-zåäö][.)])(?:\)|:)?\s+/u, '');
  s = s.replace(/[–—‐-]/g, ' ').replace(/[.,:;!?()"'’“”«»§*]/g, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

export interface HeadingMatch {
  key: string;
  confidence: number;
}

/**
 * Levenshtein distance if it is at most `k`, else k + 1. Only the diagonal band of width 2k + 1 is computed
 * and a row whose minimum exceeds k stops early: O(min(a, b) · k) instead of O(a · b).
 */
export function boundedLevenshtein(a: string, b: string, k: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > k) return k + 1;
  if (a.length > b.length) [a, b] = [b, a];
  const big = k + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j <= k ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - k);
    const to = Math.min(b.length, i + k);
    cur[from - 1] = from === 1 ? (i <= k ? i : big) : big;
    let rowMin = cur[from - 1]!;
    for (let j = from; j <= to; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur[j] = v > big ? big : v;
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (to < b.length) cur[to + 1] = big;
    if (rowMin > k) return big;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length]!, big);
}

/** One side is the other plus more words ("ekonomi" / "ekonomi och budget"); both sides 4+ characters. */
const MIN_PREFIX = 4;
/** similarity = 1 - distance / longer length; near matches need at least this. */
const NEAR = 0.8;

export const MATCH_THRESHOLD = 0.6;

interface Name {
  key: string;
  /** The section's own title (weighs more than a synonym). */
  title: boolean;
}

/**
 * A template's section names (titles, keys, synonyms), normalised once and indexed so that one heading costs
 * a few map look-ups plus a bounded edit distance against the names of about its length: matching is linear
 * in the number of headings.
 */
interface TemplateIndex {
  /** Normalised heading → exact confidences per key (title 1, key 0.95, synonym 0.9). */
  exact: Map<string, Array<{ key: string; confidence: number }>>;
  /** Every name, by itself (for "heading = name + more words"). */
  names: Map<string, Name[]>;
  /** Every word prefix of every name (for "name = heading + more words"). */
  prefixes: Map<string, Name[]>;
  /** Names by length, with their character histograms (for near matches). */
  byLength: Map<number, Array<Name & { name: string; hist: Uint8Array }>>;
  longest: number;
}

const indexes = new WeakMap<Template, TemplateIndex>();

const BUCKETS = 32;
/** Character counts folded into 32 buckets: half the L1 distance of two histograms bounds the edit distance from below. */
function histogram(s: string): Uint8Array {
  const h = new Uint8Array(BUCKETS);
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i) % BUCKETS;
    if (h[b]! < 255) h[b]!++;
  }
  return h;
}

function histogramBound(a: Uint8Array, b: Uint8Array): number {
  let l1 = 0;
  for (let i = 0; i < BUCKETS; i++) l1 += Math.abs(a[i]! - b[i]!);
  return Math.ceil(l1 / 2);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

const standardByTitle = new Map(Object.entries(STANDARD_TITLES).map(([k, t]) => [normalizeHeading(t), k]));

function indexTemplate(template: Template): TemplateIndex {
  const cached = indexes.get(template);
  if (cached) return cached;
  const idx: TemplateIndex = { exact: new Map(), names: new Map(), prefixes: new Map(), byLength: new Map(), longest: 0 };
  for (const s of template.sections) {
    const title = normalizeHeading(s.title);
    const standardKey = s.key in STANDARD_TITLES ? s.key : standardByTitle.get(title);
    const synonyms = standardKey ? (HEADING_SYNONYMS[standardKey] ?? []).map(normalizeHeading) : [];
    push(idx.exact, title, { key: s.key, confidence: 1 });
    push(idx.exact, s.key.replace(/_/g, ' '), { key: s.key, confidence: 0.95 });
    for (const syn of synonyms) push(idx.exact, syn, { key: s.key, confidence: 0.9 });
    const names: Array<Name & { name: string }> = [{ key: s.key, title: true, name: title }, ...synonyms.map((name) => ({ key: s.key, title: false, name }))];
    for (const n of names) {
      if (!n.name) continue;
      const entry = { key: n.key, title: n.title };
      push(idx.byLength, n.name.length, { ...n, hist: histogram(n.name) });
      idx.longest = Math.max(idx.longest, n.name.length);
      if (n.name.length < MIN_PREFIX) continue;
      push(idx.names, n.name, entry);
      for (let i = n.name.indexOf(' '); i >= 0; i = n.name.indexOf(' ', i + 1)) {
        if (i >= MIN_PREFIX) push(idx.prefixes, n.name.slice(0, i), entry);
      }
    }
  }
  indexes.set(template, idx);
  return idx;
}

/** Every template section this heading could be, with a confidence in 0..1, best first. */
export function candidateMatches(heading: string, template: Template): HeadingMatch[] {
  const h = normalizeHeading(heading);
  if (!h) return [];
  const idx = indexTemplate(template);
  const best = new Map<string, number>();
  const offer = (key: string, c: number): void => {
    if (c >= MATCH_THRESHOLD && c > (best.get(key) ?? 0)) best.set(key, c);
  };
  for (const e of idx.exact.get(h) ?? []) offer(e.key, e.confidence);
  if (h.length >= MIN_PREFIX) {
    // The name is the heading plus more words.
    for (const n of idx.prefixes.get(h) ?? []) offer(n.key, n.title ? 0.75 : 0.7);
    // The heading is a name plus more words: only prefixes as long as the longest name can be names.
    for (let i = h.indexOf(' '); i >= 0 && i <= idx.longest; i = h.indexOf(' ', i + 1)) {
      for (const n of idx.names.get(h.slice(0, i)) ?? []) offer(n.key, n.title ? 0.75 : 0.7);
    }
  }
  // Near matches: distance ≤ 20 % of the longer string, so only names within that length difference qualify.
  const minLen = Math.ceil(h.length * NEAR - 1e-9);
  const maxLen = Math.floor(h.length / NEAR + 1e-9);
  const hist = minLen <= idx.longest ? histogram(h) : null;
  for (let len = minLen; len <= Math.min(maxLen, idx.longest); len++) {
    for (const n of idx.byLength.get(len) ?? []) {
      const longer = Math.max(h.length, len);
      const k = Math.floor(longer * (1 - NEAR) + 1e-9);
      if (histogramBound(hist!, n.hist) > k) continue; // cheap filter: most names stop here
      const d = boundedLevenshtein(h, n.name, k);
      if (d > k) continue;
      const sim = 1 - d / longer;
      offer(n.key, Math.min(0.85, sim * (n.title ? 0.9 : 0.85)));
    }
  }
  return [...best.entries()].map(([key, confidence]) => ({ key, confidence })).sort((a, b) => b.confidence - a.confidence);
}

/**
 * Assigns template keys to headings, each key at most once, best confidence first.
 * Returns per heading the match or null (a custom section).
 */
export function assignHeadings(headings: readonly string[], template: Template): Array<HeadingMatch | null> {
  return assignCandidates(headings.map((h) => candidateMatches(h, template)));
}

/** assignHeadings over candidates already computed per heading (each heading is matched once). */
export function assignCandidates(perHeading: ReadonlyArray<readonly HeadingMatch[]>): Array<HeadingMatch | null> {
  const cands = perHeading.flatMap((list, i) => list.map((m) => ({ i, ...m })));
  cands.sort((a, b) => b.confidence - a.confidence || a.i - b.i);
  const result: Array<HeadingMatch | null> = perHeading.map(() => null);
  const used = new Set<string>();
  for (const c of cands) {
    if (result[c.i] || used.has(c.key)) continue;
    result[c.i] = { key: c.key, confidence: Math.round(c.confidence * 100) / 100 };
    used.add(c.key);
  }
  return result;
}
