import { SOFT_HYPHEN } from './hyphenate.ts';
import { maxContentWidth, minContentWidth, type Measure } from './wrap.ts';

/** What a column's content asks for, in points (cell padding included). */
export interface ColumnNeed {
  /** The widest piece that cannot be broken, even at hyphenation points. */
  min: number;
  /** The widest whole word: at this width no word needs hyphenating. */
  word: number;
  /** The widest line unbroken. */
  max: number;
}

export function columnNeed(texts: readonly string[], measure: Measure, padding: number): ColumnNeed {
  let min = 0;
  let word = 0;
  let max = 0;
  for (const t of texts) {
    min = Math.max(min, minContentWidth(t, measure));
    for (const w of t.replaceAll(SOFT_HYPHEN, '').split(/\s+/)) if (w) word = Math.max(word, measure(w));
    max = Math.max(max, maxContentWidth(t, measure));
  }
  return { min: min + padding, word: Math.max(word, min) + padding, max: Math.max(max, word, min) + padding };
}

/** Raises widths from `from` towards `to`, sharing `budget` in proportion to what each still lacks. */
function raise(widths: number[], to: number[], budget: number): number {
  const lack = widths.map((w, i) => Math.max(0, to[i]! - w));
  const total = lack.reduce((a, b) => a + b, 0);
  if (total <= 0 || budget <= 0) return budget;
  const share = Math.min(1, budget / total);
  widths.forEach((w, i) => (widths[i] = w + lack[i]! * share));
  return budget - total * share;
}

/**
 * Column widths for a table `total` points wide, sized for the content (like an automatic table
 * layout): every column gets at least its unbreakable minimum, then as much as it needs to keep its
 * words whole, then its full lines, each step short columns first and then shared in proportion to the need; what is left is spread
 * by the `weights` (the designer's sense of which columns deserve room). When even the minimums do not
 * fit, the widths are the minimums scaled down (the cell text is then cut with visible hyphens).
 */
export function fitColumns(needs: readonly ColumnNeed[], total: number, weights?: readonly number[]): number[] {
  const mins = needs.map((n) => n.min);
  const minSum = mins.reduce((a, b) => a + b, 0);
  if (minSum >= total) return mins.map((m) => (m / minSum) * total);
  const widths = [...mins];
  let budget = total - minSum;
  // At each step the columns that ask for little (numbers, dates, amounts, "80 %") are served first:
  // that costs little and keeps them whole; then the long ones share what is left.
  const fair = total / needs.length;
  for (const step of [(n: ColumnNeed) => n.word, (n: ColumnNeed) => n.max]) {
    budget = raise(widths, needs.map((n, i) => (step(n) <= fair ? step(n) : widths[i]!)), budget);
    budget = raise(widths, needs.map(step), budget);
  }
  if (budget > 0) {
    const ws = weights ?? needs.map(() => 1);
    const wsum = ws.reduce((a, b) => a + b, 0) || 1;
    widths.forEach((w, i) => (widths[i] = w + (budget * (ws[i] ?? 1)) / wsum));
  }
  return widths;
}
