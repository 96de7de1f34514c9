import * as Y from 'yjs';

/**
 * Names of the root shared types of an agreement Y.Doc. See ../../README.md for the full layout.
 * Nothing outside src/doc should use these directly: go through the typed accessors.
 */
export const ROOT = {
  meta: 'meta',
  sections: 'sections',
  parties: 'parties',
  goals: 'goals',
  contributions: 'contributions',
  period: 'period',
  checklist: 'checklist',
  attachments: 'attachments',
} as const;

/** Bumped when the layout changes incompatibly; stored in meta.layoutVersion. */
export const LAYOUT_VERSION = 1;

export type YRecord = Y.Map<unknown>;

export const metaMap = (doc: Y.Doc): YRecord => doc.getMap(ROOT.meta);
/** sectionId -> section map (see sections.ts). Order is the `order` field, not map order. */
export const sectionsMap = (doc: Y.Doc): Y.Map<YRecord> => doc.getMap(ROOT.sections);
/** partyId (organisation id) -> party map. */
export const partiesMap = (doc: Y.Doc): Y.Map<YRecord> => doc.getMap(ROOT.parties);
export const goalsArray = (doc: Y.Doc): Y.Array<YRecord> => doc.getArray(ROOT.goals);
export const contributionsArray = (doc: Y.Doc): Y.Array<YRecord> => doc.getArray(ROOT.contributions);
export const periodMap = (doc: Y.Doc): YRecord => doc.getMap(ROOT.period);
/** ChecklistKey -> Y.Map {answer, justification}. */
export const checklistMap = (doc: Y.Doc): Y.Map<YRecord> => doc.getMap(ROOT.checklist);
export const attachmentsArray = (doc: Y.Doc): Y.Array<YRecord> => doc.getArray(ROOT.attachments);

/** Thrown by accessors for refused operations (unknown id, removing a required section, …). */
export class AgreementModelError extends Error {
  constructor(
    readonly code: 'not_found' | 'required_section' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'AgreementModelError';
  }
}

/* ----- small typed readers for Y.Map fields ----- */

export function readString(m: YRecord, key: string): string {
  const v = m.get(key);
  return typeof v === 'string' ? v : '';
}

export function readNullableString(m: YRecord, key: string): string | null {
  const v = m.get(key);
  return typeof v === 'string' && v !== '' ? v : null;
}

export function readNumber(m: YRecord, key: string): number | null {
  const v = m.get(key);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function readBoolean(m: YRecord, key: string): boolean {
  return m.get(key) === true;
}

export function readStringArray(m: YRecord, key: string): string[] {
  const v = m.get(key);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function readSubMap(m: YRecord, key: string): YRecord | null {
  const v = m.get(key);
  return v instanceof Y.Map ? (v as YRecord) : null;
}

export function readSubArray(m: YRecord, key: string): Y.Array<YRecord> | null {
  const v = m.get(key);
  return v instanceof Y.Array ? (v as Y.Array<YRecord>) : null;
}

/** Writes a field only when the value differs (keeps updates small and observers quiet). */
export function writeField(m: YRecord, key: string, value: unknown): void {
  const current = m.get(key);
  if (current === value) return;
  if (Array.isArray(value) && Array.isArray(current) && JSON.stringify(value) === JSON.stringify(current)) return;
  if (value === undefined) {
    m.delete(key);
    return;
  }
  m.set(key, value);
}

/** A new random id (UUID v4); works in browsers and Node without IO. */
export function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return 'id-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
}

/** Runs fn in a transaction (joins the caller's transaction if there is one). */
export function transact<T>(doc: Y.Doc, fn: () => T, origin?: unknown): T {
  let result!: T;
  doc.transact(() => {
    result = fn();
  }, origin);
  return result;
}

/** Index of the row map with this id in a Y.Array of row maps, or -1. */
export function indexOfRow(arr: Y.Array<YRecord>, id: string): number {
  let i = 0;
  for (const row of arr) {
    if (row.get('id') === id) return i;
    i++;
  }
  return -1;
}

export function findRow(arr: Y.Array<YRecord>, id: string, what: string): YRecord {
  for (const row of arr) if (row.get('id') === id) return row;
  throw new AgreementModelError('not_found', `${what} ${id} not found`);
}
