import * as Y from 'yjs';
import { isUnsafeUrlAttribute, safeRichMark } from '../links/unsafe-links.ts';
import type { RichMark, RichNode } from '../types.ts';

/**
 * Conversion between a section body (Y.XmlFragment as bound by Tiptap's Collaboration extension,
 * i.e. @tiptap/y-tiptap / y-prosemirror) and ProseMirror JSON (RichNode).
 *
 * y-prosemirror stores a node as Y.XmlElement(nodeName = node type, attributes = non-null attrs) and a
 * run of text nodes as one Y.XmlText whose delta `attributes` are the marks (mark name -> attrs).
 * Marks that may overlap themselves (e.g. comments) are stored as `name--<8 chars hash>`.
 */

const HASHED_MARK = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

export function markNameFromAttribute(attr: string): string {
  return HASHED_MARK.exec(attr)?.[1] ?? attr;
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}

function marksFromAttributes(attributes: Record<string, unknown> | undefined): RichMark[] | undefined {
  if (!attributes) return undefined;
  const marks: RichMark[] = [];
  for (const name of Object.keys(attributes)) {
    const attrs = attributes[name];
    if (attrs === null || attrs === undefined) continue;
    const mark: RichMark = { type: markNameFromAttribute(name) };
    if (typeof attrs === 'object' && !isEmptyObject(attrs)) mark.attrs = { ...(attrs as Record<string, unknown>) };
    marks.push(mark);
  }
  return marks.length > 0 ? marks : undefined;
}

function textNodesFromYText(text: Y.XmlText, out: RichNode[]): void {
  const delta = text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>;
  for (const op of delta) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const node: RichNode = { type: 'text', text: op.insert };
    const marks = marksFromAttributes(op.attributes);
    if (marks) node.marks = marks;
    out.push(node);
  }
}

function childrenToRich(parent: Y.XmlFragment | Y.XmlElement): RichNode[] {
  const out: RichNode[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) textNodesFromYText(child, out);
    else if (child instanceof Y.XmlElement) out.push(elementToRich(child));
  }
  return out;
}

function elementToRich(el: Y.XmlElement): RichNode {
  const node: RichNode = { type: el.nodeName };
  const attrs = el.getAttributes() as Record<string, unknown>;
  if (Object.keys(attrs).length > 0) node.attrs = { ...attrs };
  const content = childrenToRich(el);
  if (content.length > 0) node.content = content;
  return node;
}

/** The body fragment as a ProseMirror `doc` node. */
export function fragmentToRichNode(fragment: Y.XmlFragment): RichNode {
  const content = childrenToRich(fragment);
  return content.length > 0 ? { type: 'doc', content } : { type: 'doc', content: [] };
}

/* ----- RichNode -> Y.XmlFragment ----- */

/** Short stable hash in the alphabet y-prosemirror's hashed mark names use. */
function hash8(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822519);
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let x = (h1 >>> 0) * 4294967296 + (h2 >>> 0);
  for (let i = 0; i < 8; i++) {
    out += alphabet[x % 64];
    x = Math.floor(x / 64);
  }
  return out;
}

/**
 * Non-null attribute defaults of the editor's schema (Tiptap 3 StarterKit + TableKit as configured in the
 * web app). y-prosemirror stores every non-null attr, and on the first view of a body it
 * writes any attr missing from Yjs (for marks it even re-inserts the text), which would count as an edit
 * of the section. Writing bodies with the defaults filled in keeps a first view a no-op.
 * rich-compat.test.ts checks this table against the real schema.
 */
export const EDITOR_NODE_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  heading: { level: 1 },
  orderedList: { start: 1 },
  tableCell: { colspan: 1, rowspan: 1 },
  tableHeader: { colspan: 1, rowspan: 1 },
};
export const EDITOR_MARK_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  link: { target: '_blank', rel: 'noopener noreferrer nofollow' },
};

function withDefaults(
  type: string,
  attrs: Record<string, unknown> | undefined,
  defaults: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): Record<string, unknown> {
  const d = defaults[type];
  if (!d) return attrs ?? {};
  const out: Record<string, unknown> = { ...d };
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** Marks as text attributes. A link the link rule refuses is left out: its text is written plain. */
function marksToAttributes(marks: RichMark[] | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const given of marks ?? []) {
    const mark = safeRichMark(given);
    if (!mark) continue;
    const value = withDefaults(mark.type, mark.attrs, EDITOR_MARK_DEFAULTS);
    const name = mark.type in attributes ? `${mark.type}--${hash8(JSON.stringify(mark))}` : mark.type;
    attributes[name] = value;
  }
  return attributes;
}

function richToYType(node: RichNode, out: Array<Y.XmlElement | Y.XmlText>): void {
  const el = new Y.XmlElement(node.type);
  for (const [key, value] of Object.entries(withDefaults(node.type, node.attrs, EDITOR_NODE_DEFAULTS))) {
    if (value === null || value === undefined || key === 'ychange' || isUnsafeUrlAttribute(key, value)) continue;
    el.setAttribute(key, value as string);
  }
  const children = richChildrenToYTypes(node.content ?? []);
  if (children.length > 0) el.insert(0, children);
  out.push(el);
}

function richChildrenToYTypes(nodes: RichNode[]): Array<Y.XmlElement | Y.XmlText> {
  const out: Array<Y.XmlElement | Y.XmlText> = [];
  let run: RichNode[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const text = new Y.XmlText();
    text.applyDelta(
      run.map((t) => ({ insert: t.text ?? '', attributes: marksToAttributes(t.marks) })),
    );
    out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (node.type === 'text') {
      if (node.text) run.push(node);
      continue;
    }
    flush();
    richToYType(node, out);
  }
  flush();
  return out;
}

/**
 * Replaces the content of `fragment` with `node` (a `doc` node, or any block node which is then wrapped).
 * Links the link rule refuses are written as plain text. Call inside a transaction; the fragment must
 * be integrated in a Y.Doc.
 */
export function richNodeToFragment(node: RichNode, fragment: Y.XmlFragment): void {
  const blocks = node.type === 'doc' ? (node.content ?? []) : [node];
  const apply = () => {
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    const children = richChildrenToYTypes(blocks.length > 0 ? blocks : [{ type: 'paragraph' }]);
    fragment.insert(0, children);
  };
  if (fragment.doc) fragment.doc.transact(apply);
  else apply();
}

/* ----- reading helpers over RichNode ----- */

/** Concatenated text of a node; blocks separated by newlines. */
export function richPlainText(node: RichNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const parts = (node.content ?? []).map(richPlainText);
  const isBlockContainer = (node.content ?? []).some((c) => c.type !== 'text' && c.type !== 'hardBreak');
  return parts.join(isBlockContainer ? '\n' : '');
}

/** True when the node has no visible text (whitespace only) and no content-bearing atoms (images …). */
export function isRichEmpty(node: RichNode): boolean {
  if (node.type === 'text') return (node.text ?? '').trim() === '';
  if (node.type === 'image' || node.type === 'horizontalRule') return false;
  return (node.content ?? []).every(isRichEmpty);
}

/** A body made of paragraphs of plain text (handy for fixtures, imports and tests). */
export function paragraphsToRich(paragraphs: string[]): RichNode {
  return {
    type: 'doc',
    content: paragraphs.map((p) => (p ? { type: 'paragraph', content: [{ type: 'text', text: p }] } : { type: 'paragraph' })),
  };
}
