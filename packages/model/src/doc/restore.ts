/**
 * Restore a version as a new edit.
 *
 * `restoreAsEdit(currentDoc, versionDoc)` makes the content of the live document equal to the content
 * of an older version through ordinary Yjs operations (set, delete, insert) in ONE transaction. Nothing
 * is rewritten: the restore is one more change in the history, it syncs to every client like typing
 * does, and it can itself be compared and restored.
 *
 * The walk is structural and keeps what is already equal: map entries that did not change are not
 * touched, list items (sections, goal rows …) are matched by their `id` field, a section body keeps the
 * paragraphs that are equal and patches changed text character-wise. That keeps concurrent carets and
 * comment anchors (Yjs relative positions) in untouched text alive.
 */
import * as Y from 'yjs';
import { removeUnsafeLinks } from '../links/unsafe-links.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

export type RootKind = 'map' | 'array' | 'text' | 'xml';

/** Which top-level shared types to restore. By default every root of the version doc, kind detected. */
export type RootLayout = Record<string, RootKind>;

/** The roots of an agreement Y.Doc and their kinds (the names of `ROOT` in layout.ts). */
export const AGREEMENT_ROOTS: RootLayout = {
  meta: 'map',
  sections: 'map',
  parties: 'map',
  goals: 'array',
  contributions: 'array',
  period: 'map',
  checklist: 'map',
  attachments: 'array',
};

export interface RestoreOptions {
  /**
   * Roots to restore (name → kind). Defaults to the agreement layout plus any other root found in
   * either document (kind detected).
   */
  roots?: RootLayout;
  /** Transaction origin, so the sync layer and listeners can tell a restore from typing. */
  origin?: unknown;
  /**
   * Map roots restored only for the keys present in BOTH documents: entries only in the current
   * document are kept, entries only in the version are not brought back. Used for `parties`, whose
   * existence follows the agreement's membership (a party that joined after the version stays).
   */
  commonKeysOnly?: string[];
}

/**
 * Make `currentDoc` equal to `versionDoc` with ordinary operations in one transaction. Links the link
 * rule refuses (in a version saved before the rule, or written past it) come back as plain text.
 */
export function restoreAsEdit(currentDoc: Y.Doc, versionDoc: Y.Doc, options: RestoreOptions = {}): void {
  const roots = options.roots ?? { ...detectRoots(versionDoc, currentDoc), ...AGREEMENT_ROOTS };
  const safeVersion = withoutUnsafeLinks(versionDoc, roots);
  try {
    restoreFrom(currentDoc, safeVersion, roots, options);
  } finally {
    safeVersion.destroy();
  }
}

/**
 * A copy of the version with refused links removed, so the walk below only ever reads (and copies)
 * safe formatting: the restore never writes a refused link, not even one it would then remove.
 */
function withoutUnsafeLinks(versionDoc: Y.Doc, roots: RootLayout): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(versionDoc));
  for (const [name, kind] of Object.entries(roots)) getRoot(copy, name, kind);
  removeUnsafeLinks(copy);
  return copy;
}

function restoreFrom(currentDoc: Y.Doc, versionDoc: Y.Doc, roots: RootLayout, options: RestoreOptions): void {
  currentDoc.transact(() => {
    for (const [name, kind] of Object.entries(roots)) {
      const target = getRoot(currentDoc, name, kind);
      const source = getRoot(versionDoc, name, kind);
      if (kind === 'map' && options.commonKeysOnly?.includes(name)) syncCommonKeys(target as Y.Map<unknown>, source as Y.Map<unknown>);
      else syncType(target, source);
    }
  }, options.origin ?? 'restore');
}

function getRoot(doc: Y.Doc, name: string, kind: RootKind): AnyType {
  switch (kind) {
    case 'map':
      return doc.getMap(name);
    case 'array':
      return doc.getArray(name);
    case 'text':
      return doc.getText(name);
    case 'xml':
      return doc.getXmlFragment(name);
  }
}

/**
 * Find the kind of each root of a document decoded from an update (roots are untyped until first
 * accessed). A root already typed in either document wins; otherwise its content decides.
 */
export function detectRoots(versionDoc: Y.Doc, currentDoc?: Y.Doc): RootLayout {
  const layout: RootLayout = {};
  const names = new Set<string>([...versionDoc.share.keys(), ...(currentDoc ? currentDoc.share.keys() : [])]);
  for (const name of names) {
    const kind = kindOfTyped(versionDoc.share.get(name)) ?? kindOfTyped(currentDoc?.share.get(name)) ?? kindOfContent(versionDoc.share.get(name)) ?? kindOfContent(currentDoc?.share.get(name));
    if (kind) layout[name] = kind;
  }
  return layout;
}

function kindOfTyped(type: AnyType | undefined): RootKind | null {
  if (!type) return null;
  if (type instanceof Y.Map) return 'map';
  if (type instanceof Y.Array) return 'array';
  if (type instanceof Y.Text) return 'text';
  if (type instanceof Y.XmlFragment) return 'xml';
  return null;
}

function kindOfContent(type: AnyType | undefined): RootKind | null {
  if (!type) return null;
  if (type._map.size > 0) return 'map';
  for (let item = type._start; item !== null; item = item.right) {
    const content = item.content;
    if (content instanceof Y.ContentType) {
      const t = content.type;
      if (t instanceof Y.XmlElement || t instanceof Y.XmlText || t instanceof Y.XmlHook) return 'xml';
      return 'array';
    }
    if (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed) return 'text';
    if (content instanceof Y.ContentAny || content instanceof Y.ContentBinary || content instanceof Y.ContentJSON || content instanceof Y.ContentDoc) return 'array';
  }
  return null; // empty: nothing to restore from, nothing to detect
}

/* ------------------------------------------------------------------ walk */

type Value = unknown;

function isType(v: Value): v is AnyType {
  return v instanceof Y.AbstractType;
}

function sameKind(a: AnyType, b: AnyType): boolean {
  if (a.constructor !== b.constructor) return false;
  if (a instanceof Y.XmlElement && b instanceof Y.XmlElement) return a.nodeName === b.nodeName;
  return true;
}

/** An unintegrated deep copy of a shared type, ready to be inserted into another document. */
function cloneValue(v: Value): Value {
  if (isType(v)) return (v as unknown as { clone(): AnyType }).clone();
  return v;
}

function syncType(target: AnyType, source: AnyType): void {
  if (target instanceof Y.Map && source instanceof Y.Map) syncMap(target, source);
  else if (target instanceof Y.Array && source instanceof Y.Array) syncArray(target, source);
  else if (target instanceof Y.XmlText && source instanceof Y.XmlText) {
    syncAttributes(target, source);
    syncText(target, source);
  } else if (target instanceof Y.Text && source instanceof Y.Text) syncText(target, source);
  else if (target instanceof Y.XmlElement && source instanceof Y.XmlElement) {
    syncAttributes(target, source);
    syncXmlChildren(target, source);
  } else if (target instanceof Y.XmlFragment && source instanceof Y.XmlFragment) syncXmlChildren(target, source);
}

function syncMap(target: Y.Map<Value>, source: Y.Map<Value>): void {
  for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
  source.forEach((sv, key) => {
    const tv = target.get(key);
    if (isType(sv)) {
      if (isType(tv) && sameKind(tv, sv)) syncType(tv, sv);
      else target.set(key, cloneValue(sv));
    } else if (!target.has(key) || !jsonEqual(tv, sv)) {
      target.set(key, sv);
    }
  });
}

function syncCommonKeys(target: Y.Map<Value>, source: Y.Map<Value>): void {
  source.forEach((sv, key) => {
    if (!target.has(key)) return;
    const tv = target.get(key);
    if (isType(sv)) {
      if (isType(tv) && sameKind(tv, sv)) syncType(tv, sv);
      else target.set(key, cloneValue(sv));
    } else if (!jsonEqual(tv, sv)) target.set(key, sv);
  });
}

function idOf(v: Value): string | null {
  if (v instanceof Y.Map) {
    const id = v.get('id');
    return typeof id === 'string' ? id : null;
  }
  if (v && typeof v === 'object' && !isType(v) && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
  return null;
}

function syncArray(target: Y.Array<Value>, source: Y.Array<Value>): void {
  const src = source.toArray();
  const sourceIds = src.map(idOf);
  const keyed = src.length > 0 && sourceIds.every((id) => id !== null) && new Set(sourceIds).size === src.length;
  if (!keyed) {
    syncSequence(target, src);
    return;
  }
  // 1. Drop target items that are gone, duplicated, untyped-by-id, or out of order (no move op in Yjs).
  const wanted = new Map(sourceIds.map((id, i) => [id!, i] as const));
  const tgt = target.toArray();
  const seen = new Set<string>();
  const candidates: Array<{ index: number; id: string }> = [];
  tgt.forEach((v, index) => {
    const id = idOf(v);
    if (id !== null && wanted.has(id) && !seen.has(id)) {
      seen.add(id);
      candidates.push({ index, id });
    }
  });
  const keep = longestIncreasing(candidates.map((c) => wanted.get(c.id)!));
  const keepIndexes = new Set(keep.map((k) => candidates[k]!.index));
  for (let i = tgt.length - 1; i >= 0; i--) if (!keepIndexes.has(i)) target.delete(i, 1);
  // 2. Walk the source order: patch the kept items, insert copies of the missing ones.
  for (let i = 0; i < src.length; i++) {
    const sv = src[i];
    const tv = i < target.length ? target.get(i) : undefined;
    if (tv !== undefined && idOf(tv) === sourceIds[i]) {
      if (isType(sv) && isType(tv) && sameKind(tv, sv)) syncType(tv, sv);
      else if (!jsonEqual(isType(tv) ? tv.toJSON() : tv, isType(sv) ? sv.toJSON() : sv)) {
        target.delete(i, 1);
        target.insert(i, [cloneValue(sv)]);
      }
    } else {
      target.insert(i, [cloneValue(sv)]);
    }
  }
}

/** Indexes (into `seq`) of one longest strictly increasing subsequence. */
function longestIncreasing(seq: number[]): number[] {
  const tails: number[] = [];
  const prev: number[] = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const out: number[] = [];
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k !== -1; k = prev[k]!) out.push(k);
  return out.reverse();
}

/** Unkeyed list (array of values or shared types): keep the equal head and tail, patch pairwise or replace the middle. */
function syncSequence(target: Y.Array<Value> | Y.XmlFragment, src: Value[]): void {
  const tgt: Value[] = target instanceof Y.Array ? target.toArray() : target.toArray();
  let head = 0;
  while (head < tgt.length && head < src.length && valueEqual(tgt[head], src[head])) head++;
  let tail = 0;
  while (tail < tgt.length - head && tail < src.length - head && valueEqual(tgt[tgt.length - 1 - tail], src[src.length - 1 - tail])) tail++;
  const tMid = tgt.slice(head, tgt.length - tail);
  const sMid = src.slice(head, src.length - tail);
  // Align the middles: similar items of the same kind (an edited paragraph) are patched in place,
  // the rest deleted or inserted. Patching keeps anchors in the unchanged part of an edited paragraph.
  let pos = head;
  for (const [ti, si] of alignMiddle(tMid, sMid)) {
    if (ti !== null && si !== null) {
      syncType(tMid[ti] as AnyType, sMid[si] as AnyType);
      pos++;
    } else if (ti !== null) {
      target.delete(pos, 1);
    } else if (si !== null) {
      const copy = cloneValue(sMid[si]);
      if (target instanceof Y.Array) target.insert(pos, [copy]);
      else target.insert(pos, [copy as Y.XmlElement | Y.XmlText]);
      pos++;
    }
  }
}

/** Plain text of a shared type, for similarity. */
function plainOf(v: Value): string {
  if (v instanceof Y.XmlText || v instanceof Y.Text) return v.toString().replace(/<[^>]*>/g, '');
  if (v instanceof Y.XmlElement || v instanceof Y.XmlFragment) return v.toArray().map(plainOf).join('\n');
  if (isType(v)) return stableStringify(v.toJSON());
  return stableStringify(v);
}

/** 0..1: shared head and tail of the two texts relative to the longer one. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
  return (p + q) / max;
}

const MATCH_THRESHOLD = 0.4;

/**
 * Alignment of two short lists maximising the summed similarity of matched pairs (same kind, similar
 * enough). Returns steps in order: [t, s] matched, [t, null] delete, [null, s] insert.
 */
function alignMiddle(t: Value[], s: Value[]): Array<[number | null, number | null]> {
  const n = t.length;
  const m = s.length;
  const sim: number[][] = t.map((tv) => s.map((sv) => (isType(tv) && isType(sv) && sameKind(tv, sv) ? similarity(plainOf(tv), plainOf(sv)) : 0)));
  const score: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const x = sim[i]![j]!;
      const matched = x >= MATCH_THRESHOLD ? x + score[i + 1]![j + 1]! : -1;
      score[i]![j] = Math.max(matched, score[i + 1]![j]!, score[i]![j + 1]!);
    }
  }
  const steps: Array<[number | null, number | null]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const x = sim[i]![j]!;
    if (x >= MATCH_THRESHOLD && score[i]![j] === x + score[i + 1]![j + 1]!) steps.push([i++, j++]);
    else if (score[i]![j] === score[i + 1]![j]) steps.push([i++, null]);
    else steps.push([null, j++]);
  }
  while (i < n) steps.push([i++, null]);
  while (j < m) steps.push([null, j++]);
  return steps;
}

function syncXmlChildren(target: Y.XmlFragment | Y.XmlElement, source: Y.XmlFragment | Y.XmlElement): void {
  syncSequence(target, source.toArray());
}

function syncAttributes(target: Y.XmlElement | Y.XmlText, source: Y.XmlElement | Y.XmlText): void {
  const ta = target.getAttributes() as Record<string, unknown>;
  const sa = source.getAttributes() as Record<string, unknown>;
  for (const key of Object.keys(ta)) if (!(key in sa)) target.removeAttribute(key);
  for (const [key, value] of Object.entries(sa)) {
    if (!jsonEqual(ta[key], value)) target.setAttribute(key, value as string);
  }
}

/* ------------------------------------------------------------------ text */

interface Unit {
  /** A character, or an embed. */
  value: string | object;
  attrs: Record<string, unknown>;
  key: string;
}

function unitsOf(text: Y.Text): Unit[] {
  const units: Unit[] = [];
  for (const op of text.toDelta() as Array<{ insert: string | object; attributes?: Record<string, unknown> }>) {
    const attrs = op.attributes ?? {};
    const attrKey = stableStringify(attrs);
    if (typeof op.insert === 'string') {
      for (const ch of op.insert) units.push({ value: ch, attrs, key: ch + '\u0000' + attrKey });
    } else {
      const v = isType(op.insert) ? (op.insert as AnyType).toJSON() : op.insert;
      units.push({ value: op.insert, attrs, key: '\u0001' + stableStringify(v) + '\u0000' + attrKey });
    }
  }
  return units;
}

/** Patch a text so its content and formatting equal the source: keep the equal head and tail, replace the middle. */
function syncText(target: Y.Text, source: Y.Text): void {
  const t = unitsOf(target);
  const s = unitsOf(source);
  let head = 0;
  while (head < t.length && head < s.length && t[head]!.key === s[head]!.key) head++;
  let tail = 0;
  while (tail < t.length - head && tail < s.length - head && t[t.length - 1 - tail]!.key === s[s.length - 1 - tail]!.key) tail++;
  // Positions are in Yjs text length units (UTF-16), characters above count 2.
  const len = (units: Unit[]) => units.reduce((n, u) => n + (typeof u.value === 'string' ? u.value.length : 1), 0);
  const start = len(t.slice(0, head));
  const deleteLength = len(t.slice(head, t.length - tail));
  if (deleteLength > 0) target.delete(start, deleteLength);
  let pos = start;
  const mid = s.slice(head, s.length - tail);
  let i = 0;
  while (i < mid.length) {
    const unit = mid[i]!;
    if (typeof unit.value !== 'string') {
      target.insertEmbed(pos, isType(unit.value) ? (cloneValue(unit.value) as object) : unit.value, unit.attrs as Record<string, never>);
      pos += 1;
      i++;
      continue;
    }
    // A run of characters with the same formatting, inserted with exactly that formatting.
    let run = '';
    const attrKey = stableStringify(unit.attrs);
    while (i < mid.length && typeof mid[i]!.value === 'string' && stableStringify(mid[i]!.attrs) === attrKey) {
      run += mid[i]!.value as string;
      i++;
    }
    // Explicit attributes: Yjs clears any formatting active at `pos` that is not listed.
    target.insert(pos, run, { ...unit.attrs });
    pos += run.length;
  }
}

/* ------------------------------------------------------------ equality */

function valueEqual(a: Value, b: Value): boolean {
  if (isType(a) && isType(b)) return sameKind(a, b) && typeSignature(a) === typeSignature(b);
  if (isType(a) || isType(b)) return false;
  return jsonEqual(a, b);
}

function typeSignature(t: AnyType): string {
  if (t instanceof Y.XmlElement || t instanceof Y.XmlFragment || t instanceof Y.XmlText) {
    // toString() of Xml types is a markup rendering incl. attributes and formatting.
    return t.toString();
  }
  if (t instanceof Y.Text) return stableStringify(t.toDelta());
  return stableStringify(t.toJSON());
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

function stableStringify(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value instanceof Uint8Array) return { __bytes: Array.from(value) };
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      if (isType(value)) return (value as AnyType).toJSON();
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
      return sorted;
    }
    return value;
  }) ?? 'undefined';
}
