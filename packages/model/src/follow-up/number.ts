/**
 * The goal table stores baseline and target as text ("45 %", "1 200", "3,5"): what people write.
 * A value is a number when, after removing spaces, a unit or a per cent sign, one decimal number
 * with a comma or a point is left; anything else ("minska", "fler än förra året") is not a number.
 */
export function parseGoalNumber(text: string | null | undefined): number | null {
  if (!text) return null;
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(/[−–]/g, '-');
  const m = /^([+-]?\d+(?:[.,]\d+)?)(?:%|[a-zåäöA-ZÅÄÖ.:/]*)$/.exec(compact);
  if (!m) return null;
  const value = Number(m[1]!.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}
