/**
 * Fractional order keys: strings that compare with plain `<` and always leave room between two keys.
 * A key is read as the base-36 fraction 0.<key>; keys never end in '0', so a midpoint always exists.
 * Used for section order so that concurrent moves never duplicate or lose a section (each section
 * carries its own key; the last writer of that one key wins).
 */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;

function digit(s: string, i: number): number {
  const ch = s[i];
  return ch === undefined ? 0 : DIGITS.indexOf(ch);
}

function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while (n < b.length && (a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const da = a.length > 0 ? digit(a, 0) : 0;
  const db = b !== null ? digit(b, 0) : BASE;
  if (db - da > 1) return DIGITS[Math.round((da + db) / 2)]!;
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da]! + midpoint(a.slice(1), null);
}

export function isValidOrderKey(key: string): boolean {
  return key.length > 0 && /^[0-9a-z]+$/.test(key) && !key.endsWith('0');
}

/** A key strictly between `a` and `b` (null = open end). Requires a < b when both are given. */
export function orderKeyBetween(a: string | null, b: string | null): string {
  if (a !== null && b !== null && a >= b) throw new Error(`orderKeyBetween: ${a} >= ${b}`);
  return midpoint(a ?? '', b);
}

/** n evenly spread keys, for initial layouts. */
export function spreadOrderKeys(n: number): string[] {
  const keys: string[] = [];
  let prev: string | null = null;
  for (let i = 0; i < n; i++) {
    // two-digit keys spread over the space keep later inserts short
    const pos = Math.floor(((i + 1) * BASE * BASE) / (n + 1));
    let key = DIGITS[Math.floor(pos / BASE)]! + DIGITS[pos % BASE]!;
    key = key.replace(/0+$/, '');
    if (key === '' || (prev !== null && key <= prev)) key = orderKeyBetween(prev, null);
    keys.push(key);
    prev = key;
  }
  return keys;
}
