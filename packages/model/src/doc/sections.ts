/* eslint-disable @typescript-eslint/no-explicit-any */
import * as Y from 'yjs';
import type { RichNode, SectionMark, SectionSnapshot, SectionStatus } from '../types.ts';
import { orderKeyBetween, spreadOrderKeys } from './fractional.ts';
import {
  AgreementModelError,
  newId,
  readBoolean,
  readNullableString,
  readString,
  readSubMap,
  sectionsMap,
  transact,
  writeField,
  type YRecord,
} from './layout.ts';
import { fragmentToRichNode, richNodeToFragment } from './rich.ts';
import { stableStringify } from '../canonical/canonical.ts';
import { baseView } from '../suggestions/rich.ts';

/**
 * Section map fields:
 *   id: string, key: string | null, title: string, required: boolean, guidance: string | null,
 *   order: string (fractional key, see fractional.ts; ties broken by id),
 *   body: Y.XmlFragment (bind Tiptap's Collaboration `fragment` option to it),
 *   readyForReview: SectionMark | null, agreedBy: Y.Map<partyId, SectionMark>, lastResetBy: SectionMark | null
 */
export interface SectionInfo {
  id: string;
  key: string | null;
  title: string;
  required: boolean;
  guidance: string | null;
  order: string;
}

export interface NewSection {
  id?: string;
  key?: string | null;
  title: string;
  required?: boolean;
  guidance?: string | null;
  /** Position in the ordered list; default: at the end. */
  index?: number;
  /** Initial body; default: one empty paragraph. */
  body?: RichNode;
}

function compareSections(a: SectionInfo, b: SectionInfo): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function infoOf(id: string, m: YRecord): SectionInfo {
  return {
    id,
    key: readNullableString(m, 'key'),
    title: readString(m, 'title'),
    required: readBoolean(m, 'required'),
    guidance: readNullableString(m, 'guidance'),
    order: readString(m, 'order'),
  };
}

/** Sections in document order (without bodies). */
export function listSections(doc: Y.Doc): SectionInfo[] {
  const out: SectionInfo[] = [];
  sectionsMap(doc).forEach((m, id) => out.push(infoOf(id, m)));
  return out.sort(compareSections);
}

function sectionMap(doc: Y.Doc, id: string): YRecord {
  const m = sectionsMap(doc).get(id);
  if (!m) throw new AgreementModelError('not_found', `section ${id} not found`);
  return m;
}

export function hasSection(doc: Y.Doc, id: string): boolean {
  return sectionsMap(doc).has(id);
}

/** The body of a section: pass it to Tiptap's Collaboration extension as `fragment`. */
export function getSectionBody(doc: Y.Doc, id: string): Y.XmlFragment {
  const body = sectionMap(doc, id).get('body');
  if (!(body instanceof Y.XmlFragment)) throw new AgreementModelError('not_found', `section ${id} has no body`);
  return body;
}

/** Order key for inserting at `index` among `ordered` (which must not include the moved section). */
function orderKeyAt(doc: Y.Doc, ordered: SectionInfo[], index: number): string {
  const i = Math.max(0, Math.min(index, ordered.length));
  const before = i > 0 ? ordered[i - 1]!.order : null;
  const after = i < ordered.length ? ordered[i]!.order : null;
  if (before !== null && after !== null && before >= after) {
    // Ties (concurrent inserts at one spot): spread every key again, then retry once.
    const keys = spreadOrderKeys(ordered.length);
    const all = sectionsMap(doc);
    ordered.forEach((s, k) => {
      all.get(s.id)!.set('order', keys[k]!);
      s.order = keys[k]!;
    });
    return orderKeyAt(doc, ordered, i);
  }
  return orderKeyBetween(before || null, after || null);
}

function createSectionMap(id: string, input: NewSection, order: string): YRecord {
  const m = new Y.Map<unknown>();
  m.set('id', id);
  m.set('key', input.key ?? null);
  m.set('title', input.title);
  m.set('required', input.required ?? false);
  m.set('guidance', input.guidance ?? null);
  m.set('order', order);
  m.set('body', new Y.XmlFragment());
  m.set('readyForReview', null);
  m.set('agreedBy', new Y.Map<unknown>());
  m.set('lastResetBy', null);
  return m;
}

/** Adds a section (custom when `key` is null); returns its id. */
export function addSection(doc: Y.Doc, input: NewSection): string {
  const title = input.title.trim();
  if (!title) throw new AgreementModelError('invalid', 'a section needs a title');
  return transact(doc, () => {
    const id = input.id ?? newId();
    const ordered = listSections(doc);
    const order = orderKeyAt(doc, ordered, input.index ?? ordered.length);
    const m = createSectionMap(id, { ...input, title }, order);
    sectionsMap(doc).set(id, m);
    richNodeToFragment(input.body ?? { type: 'doc', content: [{ type: 'paragraph' }] }, m.get('body') as Y.XmlFragment);
    return id;
  });
}

/** Renames a section. Required (template) sections keep their title. */
export function renameSection(doc: Y.Doc, id: string, title: string): void {
  const clean = title.trim();
  if (!clean) throw new AgreementModelError('invalid', 'a section needs a title');
  transact(doc, () => {
    const m = sectionMap(doc, id);
    if (readBoolean(m, 'required')) throw new AgreementModelError('required_section', 'a required section cannot be renamed');
    writeField(m, 'title', clean);
  });
}

/** Moves a section to `toIndex` in the ordered list (index counted without the section itself). */
export function moveSection(doc: Y.Doc, id: string, toIndex: number): void {
  transact(doc, () => {
    const m = sectionMap(doc, id);
    const others = listSections(doc).filter((s) => s.id !== id);
    m.set('order', orderKeyAt(doc, others, toIndex));
  });
}

/** Removes a section. Required sections cannot be removed. */
export function removeSection(doc: Y.Doc, id: string): void {
  transact(doc, () => {
    const m = sectionMap(doc, id);
    if (readBoolean(m, 'required')) throw new AgreementModelError('required_section', 'a required section cannot be removed');
    sectionsMap(doc).delete(id);
  });
}

/** Replaces a section body with ProseMirror JSON (import, restore). */
export function setSectionBody(doc: Y.Doc, id: string, body: RichNode): void {
  transact(doc, () => richNodeToFragment(body, getSectionBody(doc, id)));
}

export function getSectionRichBody(doc: Y.Doc, id: string): RichNode {
  return fragmentToRichNode(getSectionBody(doc, id));
}

/* ----- status marks ----- */

function readMark(v: unknown): SectionMark | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.partyId !== 'string' || typeof o.userId !== 'string') return null;
  return {
    partyId: o.partyId,
    userId: o.userId,
    userName: typeof o.userName === 'string' ? o.userName : '',
    at: typeof o.at === 'string' ? o.at : '',
  };
}

export interface SectionMarks {
  readyForReview: SectionMark | null;
  agreedBy: Record<string, SectionMark>;
  lastResetBy: SectionMark | null;
}

export function getSectionMarks(doc: Y.Doc, id: string): SectionMarks {
  return marksOf(sectionMap(doc, id));
}

function marksOf(m: YRecord): SectionMarks {
  const agreedBy: Record<string, SectionMark> = {};
  readSubMap(m, 'agreedBy')?.forEach((v, partyId) => {
    const mark = readMark(v);
    if (mark) agreedBy[partyId] = mark;
  });
  return { readyForReview: readMark(m.get('readyForReview')), agreedBy, lastResetBy: readMark(m.get('lastResetBy')) };
}

/** Marks (or with null unmarks) a section as ready for review. */
export function setSectionReadyForReview(doc: Y.Doc, id: string, mark: SectionMark | null): void {
  transact(doc, () => sectionMap(doc, id).set('readyForReview', mark ? { ...mark } : null));
}

/** cyrb53: a fast 53-bit string hash (not cryptographic: it only tells "same standing text" apart). */
function hash53(str: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Hash of the section's standing text (open suggestions left out, issue #16). An "agreed" mark stores
 * it, so an edit that only adds or removes suggestions does not withdraw the agreement.
 */
export function standingTextHash(doc: Y.Doc, id: string): string {
  return hash53(stableStringify(baseView(getSectionRichBody(doc, id))));
}

/** Records (or with null withdraws) that `partyId` agrees with the section as it stands. */
export function setSectionAgreed(doc: Y.Doc, id: string, partyId: string, mark: SectionMark | null): void {
  transact(doc, () => {
    const agreedBy = readSubMap(sectionMap(doc, id), 'agreedBy');
    if (!agreedBy) throw new AgreementModelError('invalid', `section ${id} has no agreedBy map`);
    if (mark) agreedBy.set(partyId, { ...mark, partyId, textHash: standingTextHash(doc, id) });
    else agreedBy.delete(partyId);
  });
}

/**
 * Call when the body of a section was edited: the agreements given to another standing text (marks
 * without a text hash count as such) are withdrawn and `by` is recorded as lastResetBy. An edit that
 * only changed suggestions leaves them. Returns true when something was reset.
 */
export function resetSectionAgreementOnEdit(doc: Y.Doc, id: string, by: SectionMark): boolean {
  if (!hasSection(doc, id)) return false;
  return transact(doc, () => {
    const m = sectionMap(doc, id);
    const agreedBy = readSubMap(m, 'agreedBy');
    if (!agreedBy || agreedBy.size === 0) return false;
    const current = standingTextHash(doc, id);
    let reset = false;
    for (const key of Array.from(agreedBy.keys())) {
      const mark = agreedBy.get(key) as { textHash?: unknown } | undefined;
      if (mark && mark.textHash === current) continue;
      agreedBy.delete(key);
      reset = true;
    }
    if (reset) m.set('lastResetBy', { ...by });
    return reset;
  });
}

/** Derived section status for the given parties. */
export function deriveSectionStatus(marks: SectionMarks, partyIds: string[]): SectionStatus {
  if (partyIds.length > 0 && partyIds.every((p) => marks.agreedBy[p])) return 'agreed';
  if (marks.readyForReview || Object.keys(marks.agreedBy).length > 0) return 'ready_for_review';
  return 'draft';
}

/** Full section snapshots in order (bodies converted to ProseMirror JSON). */
export function snapshotSections(doc: Y.Doc, partyIds: string[]): SectionSnapshot[] {
  const all = sectionsMap(doc);
  return listSections(doc).map((info) => {
    const m = all.get(info.id)!;
    const body = m.get('body');
    const marks = marksOf(m);
    return {
      id: info.id,
      key: info.key,
      title: info.title,
      required: info.required,
      guidance: info.guidance,
      body: body instanceof Y.XmlFragment ? fragmentToRichNode(body) : { type: 'doc', content: [] },
      status: deriveSectionStatus(marks, partyIds),
      readyForReview: marks.readyForReview,
      agreedBy: marks.agreedBy,
      lastResetBy: marks.lastResetBy,
    };
  });
}

/**
 * Ids of sections whose body (or anything inside it) changed in this transaction.
 * Works from `afterTransaction` handlers and observers alike.
 */
export function sectionIdsWithBodyEdits(doc: Y.Doc, transaction: Y.Transaction): string[] {
  const root = sectionsMap(doc) as unknown as Y.AbstractType<any>;
  const ids = new Set<string>();
  for (const changed of transaction.changed.keys()) {
    let type: Y.AbstractType<any> = changed;
    let childKey: string | null = null;
    while (type._item !== null) {
      const item = type._item;
      const parent = item.parent as Y.AbstractType<any>;
      if (parent === root) {
        if (childKey === 'body' && typeof item.parentSub === 'string' && !item.deleted) ids.add(item.parentSub);
        break;
      }
      childKey = item.parentSub;
      type = parent;
    }
  }
  return [...ids];
}
