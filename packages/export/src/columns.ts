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
 * layout): every column gets at least its unbreakable minimum (its widest hyphenation piece); columns
 * that ask for little (numbers, dates, amounts, "80 %": whole line within a fair share) then get their
 * whole line, so they never wrap; the rest is shared by the `weights` (which columns deserve room),
 * never giving a column more than its widest line until every column has that. Long words in the
 * shared columns are then hyphenated, at hyphenation points. When even the minimums do not fit, the
 * widths are the minimums scaled down (the cell text is then cut with visible hyphens).
 */
export function fitColumns(needs: readonly ColumnNeed[], total: number, weights?: readonly number[]): number[] {
  const mins = needs.map((n) => n.min);
  const minSum = mins.reduce((a, b) => a + b, 0);
  if (minSum >= total) return mins.map((m) => (m / minSum) * total);
  const widths = [...mins];
  let budget = total - minSum;
  const fair = total / needs.length;
  // A column's whole lines and whole words (a header asks only for its words).
  const full = needs.map((n) => Math.max(n.max, n.word));
  budget = raise(widths, full.map((f, i) => (f <= fair ? f : widths[i]!)), budget);
  // Weighted water-filling up to each column's widest line; a column weighted 0 only gets what others cannot use.
  const ws = needs.map((_, i) => Math.max(weights?.[i] ?? 1, 1e-6));
  const open = needs.map((_, i) => widths[i]! < full[i]!);
  while (budget > 1e-6 && open.some(Boolean)) {
    const wsum = ws.reduce((a, w, i) => a + (open[i] ? w : 0), 0);
    let capped = false;
    const given = budget;
    for (let i = 0; i < needs.length; i++) {
      if (!open[i]) continue;
      const add = (given * ws[i]!) / wsum;
      const room = full[i]! - widths[i]!;
      if (add >= room) {
        widths[i] = full[i]!;
        budget -= room;
        open[i] = false;
        capped = true;
      }
    }
    if (!capped) {
      for (let i = 0; i < needs.length; i++) if (open[i]) widths[i]! += (given * ws[i]!) / wsum;
      budget = 0;
    }
  }
  if (budget > 1e-6) {
    // Every column has its whole lines: spread the rest by weight.
    const wsum = ws.reduce((a, b) => a + b, 0);
    widths.forEach((w, i) => (widths[i] = w + (budget * ws[i]!) / wsum));
  }
  return widths;
}
