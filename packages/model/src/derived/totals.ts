import type { ContributionKind, ContributionRow } from '../types.ts';
import { CONTRIBUTION_KINDS } from '../doc/contributions.ts';

export interface ContributionTotals {
  /** Sum of valueSek per party id (rows without a party are under ''), with per-kind sums. */
  byParty: Record<string, { totalSek: number; byKind: Record<ContributionKind, number>; rows: number }>;
  /** Sum of valueSek per kind over all parties. */
  byKind: Record<ContributionKind, number>;
  totalSek: number;
  /** Rows without a value (allowed for what is not money), counted so UIs can say "plus N unvalued items". */
  unvaluedRows: number;
}

const zeroKinds = (): Record<ContributionKind, number> =>
  Object.fromEntries(CONTRIBUTION_KINDS.map((k) => [k, 0])) as Record<ContributionKind, number>;

/** Totals of the contributions table per party and per kind (values in SEK; rows without value add 0). */
export function contributionTotals(rows: readonly ContributionRow[]): ContributionTotals {
  const out: ContributionTotals = { byParty: {}, byKind: zeroKinds(), totalSek: 0, unvaluedRows: 0 };
  for (const row of rows) {
    const key = row.partyId ?? '';
    const party = (out.byParty[key] ??= { totalSek: 0, byKind: zeroKinds(), rows: 0 });
    party.rows++;
    if (row.valueSek === null || !Number.isFinite(row.valueSek)) {
      out.unvaluedRows++;
      continue;
    }
    party.totalSek += row.valueSek;
    party.byKind[row.kind] += row.valueSek;
    out.byKind[row.kind] += row.valueSek;
    out.totalSek += row.valueSek;
  }
  return out;
}
