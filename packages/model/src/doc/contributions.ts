import * as Y from 'yjs';
import type { ContributionKind, ContributionRow } from '../types.ts';
import {
  AgreementModelError,
  contributionsArray,
  findRow,
  indexOfRow,
  newId,
  readNullableString,
  readNumber,
  readString,
  transact,
  writeField,
  type YRecord,
} from './layout.ts';

/** The contributions table: `contributions` root Y.Array of row maps (plain cell values). */
export const CONTRIBUTION_KINDS: readonly ContributionKind[] = [
  'money',
  'staff_time',
  'premises',
  'volunteer_work',
  'expertise',
  'other',
];

export type ContributionPatch = Partial<Omit<ContributionRow, 'id'>>;

function applyPatch(m: YRecord, patch: ContributionPatch): void {
  if ('partyId' in patch) writeField(m, 'partyId', patch.partyId || null);
  if ('kind' in patch) {
    const kind = patch.kind ?? 'other';
    if (!CONTRIBUTION_KINDS.includes(kind)) throw new AgreementModelError('invalid', `unknown contribution kind ${kind}`);
    writeField(m, 'kind', kind);
  }
  if ('description' in patch) writeField(m, 'description', patch.description ?? '');
  if ('unit' in patch) writeField(m, 'unit', patch.unit ?? '');
  for (const key of ['quantity', 'valueSek'] as const) {
    if (key in patch) {
      const v = patch[key];
      writeField(m, key, typeof v === 'number' && Number.isFinite(v) ? v : null);
    }
  }
  for (const key of ['periodStart', 'periodEnd'] as const) if (key in patch) writeField(m, key, patch[key] || null);
}

export function addContribution(doc: Y.Doc, initial: ContributionPatch & { id?: string } = {}, index?: number): string {
  if (initial.kind !== undefined && !CONTRIBUTION_KINDS.includes(initial.kind)) {
    throw new AgreementModelError('invalid', `unknown contribution kind ${initial.kind}`);
  }
  return transact(doc, () => {
    const arr = contributionsArray(doc);
    const m = new Y.Map<unknown>();
    const id = initial.id ?? newId();
    m.set('id', id);
    m.set('partyId', null);
    m.set('kind', 'money');
    m.set('description', '');
    m.set('quantity', null);
    m.set('unit', '');
    m.set('valueSek', null);
    m.set('periodStart', null);
    m.set('periodEnd', null);
    arr.insert(Math.max(0, Math.min(index ?? arr.length, arr.length)), [m]);
    applyPatch(m, initial); // after insertion: a prelim map cannot be read
    return id;
  });
}

export function updateContribution(doc: Y.Doc, id: string, patch: ContributionPatch): void {
  transact(doc, () => applyPatch(findRow(contributionsArray(doc), id, 'contribution'), patch));
}

export function removeContribution(doc: Y.Doc, id: string): void {
  transact(doc, () => {
    const arr = contributionsArray(doc);
    const i = indexOfRow(arr, id);
    if (i < 0) throw new AgreementModelError('not_found', `contribution ${id} not found`);
    arr.delete(i, 1);
  });
}

export function listContributions(doc: Y.Doc): ContributionRow[] {
  return contributionsArray(doc)
    .toArray()
    .map((m) => {
      const kind = m.get('kind');
      return {
        id: readString(m, 'id'),
        partyId: readNullableString(m, 'partyId'),
        kind: CONTRIBUTION_KINDS.includes(kind as ContributionKind) ? (kind as ContributionKind) : 'other',
        description: readString(m, 'description'),
        quantity: readNumber(m, 'quantity'),
        unit: readString(m, 'unit'),
        valueSek: readNumber(m, 'valueSek'),
        periodStart: readNullableString(m, 'periodStart'),
        periodEnd: readNullableString(m, 'periodEnd'),
      };
    });
}
