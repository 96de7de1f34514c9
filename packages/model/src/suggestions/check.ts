import { stableStringify } from '../canonical/canonical.ts';
import type { RichNode } from '../types.ts';
import { baseView, listSuggestions } from './rich.ts';

export type SuggestionCheck = { ok: true } | { ok: false; reason: 'text_changed' | 'foreign_suggestion' };

/**
 * A commenter's update is allowed iff the standing text is unchanged, every new suggestion is their own,
 * and nobody else's suggestion gained text (it would carry the other person's name for words they did
 * not write); others' suggestions may shrink or go (the editor removes what a deletion swallows).
 */
export function changesOnlySuggestions(before: RichNode, after: RichNode, userId: string): SuggestionCheck {
  if (stableStringify(baseView(before)) !== stableStringify(baseView(after))) return { ok: false, reason: 'text_changed' };
  const known = new Map(listSuggestions(before).map((s) => [`${s.kind}:${s.id}`, s]));
  const knownIds = new Set([...known.values()].map((s) => s.id));
  for (const s of listSuggestions(after)) {
    if (s.authorUserId === userId) continue;
    if (!knownIds.has(s.id)) return { ok: false, reason: 'foreign_suggestion' };
    const was = known.get(`${s.kind}:${s.id}`);
    if (!was || s.text.length > was.text.length) return { ok: false, reason: 'foreign_suggestion' };
  }
  return { ok: true };
}

