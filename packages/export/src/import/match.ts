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

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

function similarity(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - levenshtein(a, b) / max;
}

/** One side is the other plus more words ("ekonomi" / "ekonomi och budget"). */
function wordPrefix(a: string, b: string): boolean {
  return a.length >= 4 && b.length >= 4 && (a.startsWith(`${b} `) || b.startsWith(`${a} `));
}

export const MATCH_THRESHOLD = 0.6;

/** Every template section this heading could be, with a confidence in 0..1, best first. */
export function candidateMatches(heading: string, template: Template): HeadingMatch[] {
  const h = normalizeHeading(heading);
  if (!h) return [];
  const best = new Map<string, number>();
  const offer = (key: string, c: number): void => {
    if (c >= MATCH_THRESHOLD && c > (best.get(key) ?? 0)) best.set(key, c);
  };
  for (const s of template.sections) {
    const title = normalizeHeading(s.title);
    const names = [title];
    const standardKey = Object.keys(STANDARD_TITLES).find(
      (k) => k === s.key || normalizeHeading(STANDARD_TITLES[k]!) === title,
    );
    const synonyms = standardKey ? (HEADING_SYNONYMS[standardKey] ?? []).map(normalizeHeading) : [];
    if (h === title) offer(s.key, 1);
    else if (h === s.key.replace(/_/g, ' ')) offer(s.key, 0.95);
    else if (synonyms.includes(h)) offer(s.key, 0.9);
    for (const name of [...names, ...synonyms]) {
      if (wordPrefix(h, name)) offer(s.key, name === title ? 0.75 : 0.7);
      const sim = similarity(h, name);
      if (sim >= 0.8) offer(s.key, Math.min(0.85, sim * (name === title ? 0.9 : 0.85)));
    }
  }
  return [...best.entries()].map(([key, confidence]) => ({ key, confidence })).sort((a, b) => b.confidence - a.confidence);
}

/**
 * Assigns template keys to headings, each key at most once, best confidence first.
 * Returns per heading the match or null (a custom section).
 */
export function assignHeadings(headings: readonly string[], template: Template): Array<HeadingMatch | null> {
  const cands = headings.flatMap((h, i) => candidateMatches(h, template).map((m) => ({ i, ...m })));
  cands.sort((a, b) => b.confidence - a.confidence || a.i - b.i);
  const result: Array<HeadingMatch | null> = headings.map(() => null);
  const used = new Set<string>();
  for (const c of cands) {
    if (result[c.i] || used.has(c.key)) continue;
    result[c.i] = { key: c.key, confidence: Math.round(c.confidence * 100) / 100 };
    used.add(c.key);
  }
  return result;
}
