/**
 * The link rule (link-rule.ts) applied to document content: to the Yjs encoding of marks and node
 * attributes (what the sync server checks in client updates, what a restore copies) and to ProseMirror
 * JSON marks (what import writes). A link that fails the rule loses its link, never its text.
 */
import * as Y from 'yjs';
import type { RichMark } from '../types.ts';
import { isAllowedLinkHref, safeLinkHref } from './link-rule.ts';

/** Element attributes that hold an address (none in today's schema; refused if a client invents one). */
const URL_ATTRIBUTES = new Set(['href', 'src']);

/** `link`, or y-prosemirror's name of an overlapping one (`link--<hash8>`). */
function isLinkKey(key: string): boolean {
  return key === 'link' || key.startsWith('link--');
}

/**
 * Whether a text formatting attribute (a mark, in y-prosemirror's encoding: key = mark name, value =
 * its attrs, null = "remove") would make a live link the rule refuses: any mark whose attrs carry an
 * `href` that fails the rule, or a `link` mark whose attrs are not an object.
 */
export function isUnsafeLinkFormat(key: string, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== 'object') return isLinkKey(key);
  const href = (value as { href?: unknown }).href;
  return href !== null && href !== undefined && !isAllowedLinkHref(href);
}

/** Whether an element attribute holds an address (href, src) that fails the rule. */
export function isUnsafeUrlAttribute(key: string, value: unknown): boolean {
  return URL_ATTRIBUTES.has(key) && value !== null && value !== undefined && !isAllowedLinkHref(value);
}

/**
 * A mark as it may be written into a document: a mark with an href gets the full address the rule
 * makes of it (`kommun.se` → `https://kommun.se`); null when the rule refuses it (write the text without it).
 */
export function safeRichMark(mark: RichMark): RichMark | null {
  const href = mark.attrs?.['href'];
  if (href === null || href === undefined) return mark.type === 'link' ? null : mark; // a link to nowhere is no link
  const safe = safeLinkHref(href);
  if (safe === null) return null;
  return safe === href ? mark : { ...mark, attrs: { ...mark.attrs, href: safe } };
}

/**
 * Removes every refused link in `type` and below (Y.Doc: in every root, which must be typed): the
 * formatting goes, the text stays; refused address attributes of elements are removed. Call inside a
 * transaction for one update. Returns how many were removed.
 */
/**
 * A root type as its real kind. A document loaded from updates holds its roots as plain AbstractTypes
 * until someone asks for them by kind (as the server, which never reads the agreement, does); asking
 * with the kind their content shows makes them walkable.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function typedRoot(doc: Y.Doc, name: string): Y.AbstractType<any> {
  const root = doc.share.get(name)!;
  if (Object.getPrototypeOf(root) !== Y.AbstractType.prototype) return root;
  if (root._map.size > 0) return doc.getMap(name);
  const first = root._start?.content;
  if (first instanceof Y.ContentString || first instanceof Y.ContentFormat || first instanceof Y.ContentEmbed) return doc.getText(name);
  if (first instanceof Y.ContentType) return doc.getXmlFragment(name);
  return root;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function removeUnsafeLinks(type: Y.Doc | Y.AbstractType<any>): number {
  if (type instanceof Y.Doc) {
    let n = 0;
    type.transact(() => {
      for (const name of [...type.share.keys()]) n += removeUnsafeLinks(typedRoot(type, name));
    });
    return n;
  }
  let removed = 0;
  if (type instanceof Y.XmlText || type instanceof Y.Text) {
    let pos = 0;
    for (const op of type.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      const clear: Record<string, null> = {};
      for (const [key, value] of Object.entries(op.attributes ?? {})) if (isUnsafeLinkFormat(key, value)) clear[key] = null;
      if (Object.keys(clear).length > 0) {
        type.format(pos, length, clear);
        removed++;
      }
      if (op.insert instanceof Y.AbstractType) removed += removeUnsafeLinks(op.insert);
      pos += length;
    }
  }
  if (type instanceof Y.XmlElement || type instanceof Y.XmlText) {
    for (const [key, value] of Object.entries(type.getAttributes() as Record<string, unknown>)) {
      if (isUnsafeUrlAttribute(key, value)) {
        type.removeAttribute(key);
        removed++;
      }
    }
  }
  if (type instanceof Y.XmlFragment || type instanceof Y.Array) {
    for (const child of type.toArray() as unknown[]) if (child instanceof Y.AbstractType) removed += removeUnsafeLinks(child);
  } else if (type instanceof Y.Map) {
    for (const child of type.values() as IterableIterator<unknown>) if (child instanceof Y.AbstractType) removed += removeUnsafeLinks(child);
  }
  return removed;
}
