/**
 * Numbers as people type them in Sweden and elsewhere: "12,5", "12.5", "1 234,5" (a space or a no-break
 * space as thousands separator). Goals keep baseline and target as text ("60 %", "45 elever"); the chart
 * needs the number in them.
 */

/** A typed decimal number, or null when the text is not exactly one number. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(/^\u2212/, '-');
  if (!/^[-+]?(\d+([.,]\d+)?|[.,]\d+)$/.test(t)) return null;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/** The one number in a goal's text value ("60 %" → 60, "1 200 besök" → 1200), or null when none or several. */
export function numberIn(text: string | null | undefined): number | null {
  if (!text) return null;
  const found = text.match(/[-\u2212]?\d{1,3}(?:[\s\u00a0\u202f]\d{3})+(?:[.,]\d+)?|[-\u2212]?\d+(?:[.,]\d+)?/g);
  if (!found || found.length !== 1) return null;
  return parseDecimal(found[0]);
}

/** Today's date (YYYY-MM-DD) in Sweden, whatever the browser's time zone. */
export function todayInStockholm(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

