import { stableStringify } from '../canonical/canonical.ts';
import type { RichMark, RichNode } from '../types.ts';
import { parseSuggestionId } from './id.ts';

export type SuggestionKind = 'insertion' | 'deletion' | 'modification';
export const SUGGESTION_MARKS: readonly SuggestionKind[] = ['insertion', 'deletion', 'modification'];

export interface SuggestionInfo {
  id: string;
  kind: SuggestionKind;
  text: string;
  authorUserId: string | null;
  at: Date | null;
}

const ZWSP = /\u200B/g;

function suggestionMark(marks: RichMark[] | undefined, kind: SuggestionKind): RichMark | undefined {
  return marks?.find((m) => m.type === kind);
}

export function isSuggestionMark(m: RichMark): boolean {
  return (SUGGESTION_MARKS as readonly string[]).includes(m.type);
}

/** Suggestions merged per id (and kind), in document order of first appearance. */
export function listSuggestions(body: RichNode): SuggestionInfo[] {
  const byKey = new Map<string, SuggestionInfo>();
  const walk = (n: RichNode): void => {
    if (n.type === 'text' && n.marks) {
      for (const m of n.marks) {
        if (!isSuggestionMark(m)) continue;
        const id = String(m.attrs?.id ?? '');
        const key = `${m.type}:${id}`;
        let s = byKey.get(key);
        if (!s) {
          const p = parseSuggestionId(id);
          s = { id, kind: m.type as SuggestionKind, text: '', authorUserId: p?.userId ?? null, at: p?.at ?? null };
          byKey.set(key, s);
        }
        s.text += (n.text ?? '').replace(ZWSP, '');
      }
    }
    for (const c of n.content ?? []) walk(c);
  };
  walk(body);
  return [...byKey.values()];
}

export function hasOpenSuggestions(body: RichNode): boolean {
  const walk = (n: RichNode): boolean => !!n.marks?.some(isSuggestionMark) || !!n.content?.some(walk);
  return walk(body);
}

/** Text nodes: drop `removeKind`-marked ones, strip all suggestion marks from the rest. */
function resolve(body: RichNode, removeKind: 'insertion' | 'deletion'): RichNode {
  const map = (n: RichNode): RichNode | null => {
    if (n.type === 'text') {
      if (suggestionMark(n.marks, removeKind)) return null;
      const keep = n.marks?.filter((m) => !isSuggestionMark(m));
      const out: RichNode = { ...n };
      if (keep && keep.length) out.marks = keep;
      else delete out.marks;
      // Block anchors inserted with a suggestion mean nothing once it is resolved.
      if (n.marks?.some(isSuggestionMark) && out.text) out.text = out.text.replace(ZWSP, '');
      return out.text ? out : null;
    }
    if (!n.content) return { ...n };
    const content: RichNode[] = [];
    for (const c of n.content) {
      const r = map(c);
      if (!r) continue;
      const prev = content[content.length - 1];
      // Merge neighbours left with equal marks, as ProseMirror would.
      if (r.type === 'text' && prev?.type === 'text' && stableStringify(prev.marks ?? []) === stableStringify(r.marks ?? [])) {
        content[content.length - 1] = { ...prev, text: (prev.text ?? '') + (r.text ?? '') };
      } else content.push(r);
    }
    // An emptied block has no `content`, as the document stores an empty one (typing into an empty
    // paragraph as a suggestion must leave the standing text equal).
    const out: RichNode = { ...n };
    if (content.length) out.content = content;
    else delete out.content;
    return out;
  };
  return map(body) ?? { type: body.type, content: [] };
}

/** The body as it stands: open insertions removed, deletions and modifications unmarked. */
export function baseView(body: RichNode): RichNode {
  return resolve(body, 'insertion');
}

/** The body with every open suggestion accepted. */
export function acceptedView(body: RichNode): RichNode {
  return resolve(body, 'deletion');
}
