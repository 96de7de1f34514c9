import { createRequire } from 'node:module';

/** U+00AD: a break opportunity that shows a hyphen only where the line actually breaks. */
export const SOFT_HYPHEN = '\u00ad';

interface Hyphenator {
  hyphenateSync(text: string, options?: { hyphenChar?: string; minWordLength?: number }): string;
}

let sv: Hyphenator | null = null;
const cache = new Map<string, string>();

function swedish(): Hyphenator {
  // hyphen/sv is CommonJS with Liang patterns from TeX's Swedish hyphenation (hyph-sv).
  sv ??= createRequire(import.meta.url)('hyphen/sv/index.js') as Hyphenator;
  return sv;
}

/** Letters only (Swedish and other Latin letters): addresses, numbers, codes and dates are never hyphenated. */
const WORD = /^\p{L}+$/u;
const MIN_WORD = 6;

/** One word with soft hyphens at its Swedish hyphenation points ("gym­na­sie­be­hö­rig­het"). */
export function hyphenateWord(word: string): string {
  if (word.length < MIN_WORD || !WORD.test(word)) return word;
  let out = cache.get(word);
  if (out === undefined) {
    out = swedish().hyphenateSync(word, { hyphenChar: SOFT_HYPHEN, minWordLength: MIN_WORD });
    if (cache.size > 20_000) cache.clear();
    cache.set(word, out);
  }
  return out;
}

/**
 * Text with soft hyphens at the hyphenation points of its words. Tokens that are not plain words
 * (e-mail and web addresses, numbers, dates, "2027-08-31") are left as they are; a word joined with a
 * hyphen ("e-post", "IOP-avtal") is hyphenated part by part.
 */
export function hyphenate(text: string): string {
  return text.replace(/[^\s]+/g, (token) => {
    if (/[@/\\:_]|\d/.test(token)) return token;
    return token.replace(/\p{L}+/gu, hyphenateWord);
  });
}

export function stripSoftHyphens(text: string): string {
  return text.replaceAll(SOFT_HYPHEN, '');
}
