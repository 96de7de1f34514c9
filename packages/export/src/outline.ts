import type { AgreementSnapshot, ContributionKind, ContributionRow, PartySnapshot } from '@overens/model';
import { CONTRIBUTION_KIND_ORDER, GENERATED_HEADINGS } from './labels.ts';

export type OutlineKind = 'section' | 'goals' | 'contributions' | 'suitability' | 'attachments' | 'signatures';

export interface OutlineEntry {
  /** Stable anchor id (section id, or the generated part's name). */
  id: string;
  /** "1", "2", … ('' for the unnumbered signature page). */
  number: string;
  title: string;
  kind: OutlineKind;
  /** For kind 'section': index into snapshot.sections. */
  sectionIndex?: number;
}

/** The document's headings in order: the agreement's sections as they stand, then the generated parts. */
export function buildOutline(snapshot: AgreementSnapshot): OutlineEntry[] {
  const entries: OutlineEntry[] = snapshot.sections.map((s, i) => ({
    id: `section-${s.id}`,
    number: String(i + 1),
    title: s.title.trim() || 'Namnlöst avsnitt',
    kind: 'section',
    sectionIndex: i,
  }));
  let n = entries.length;
  const add = (kind: OutlineKind, title: string): void => {
    n += 1;
    entries.push({ id: kind, number: String(n), title, kind });
  };
  add('goals', GENERATED_HEADINGS.goals);
  add('contributions', GENERATED_HEADINGS.contributions);
  add('suitability', GENERATED_HEADINGS.suitability);
  add('attachments', GENERATED_HEADINGS.attachments);
  entries.push({ id: 'signatures', number: '', title: GENERATED_HEADINGS.signatures, kind: 'signatures' });
  return entries;
}

export function headingText(e: OutlineEntry): string {
  return e.number ? `${e.number}. ${e.title}` : e.title;
}

export interface PartyContributions {
  party: PartySnapshot | null; // null: rows whose party is not (or no longer) in the agreement
  rows: ContributionRow[];
  totalSek: number;
}

export interface KindTotal {
  kind: ContributionKind;
  /** By party id ('' for rows without a known party). */
  perParty: Map<string, number>;
  /** Parties with at least one row of this kind that has a value in SEK (others print "–", not "0 kr"). */
  valuedParties: Set<string>;
  total: number;
}

export interface ContributionSummary {
  byParty: PartyContributions[];
  byKind: KindTotal[];
  grandTotal: number;
  /** True when some rows have no value in SEK (typical for non-money contributions). */
  someUnvalued: boolean;
}

/** Contribution rows grouped by party (in party order) with totals per party and per kind. */
export function summariseContributions(snapshot: AgreementSnapshot): ContributionSummary {
  const known = new Set(snapshot.parties.map((p) => p.id));
  const byParty: PartyContributions[] = snapshot.parties.map((party) => ({ party, rows: [], totalSek: 0 }));
  const orphan: PartyContributions = { party: null, rows: [], totalSek: 0 };
  const byKindMap = new Map<ContributionKind, KindTotal>();
  let grandTotal = 0;
  let someUnvalued = false;
  for (const row of snapshot.contributions) {
    const group =
      row.partyId && known.has(row.partyId) ? byParty.find((g) => g.party?.id === row.partyId)! : orphan;
    group.rows.push(row);
    const value = row.valueSek ?? 0;
    if (row.valueSek == null) someUnvalued = true;
    group.totalSek += value;
    grandTotal += value;
    let kt = byKindMap.get(row.kind);
    if (!kt) {
      kt = { kind: row.kind, perParty: new Map(), valuedParties: new Set(), total: 0 };
      byKindMap.set(row.kind, kt);
    }
    const pid = group.party?.id ?? '';
    kt.perParty.set(pid, (kt.perParty.get(pid) ?? 0) + value);
    if (row.valueSek != null) kt.valuedParties.add(pid);
    kt.total += value;
  }
  if (orphan.rows.length > 0) byParty.push(orphan);
  const byKind = CONTRIBUTION_KIND_ORDER.map((k) => byKindMap.get(k)).filter((k): k is KindTotal => !!k);
  return { byParty, byKind, grandTotal, someUnvalued };
}
