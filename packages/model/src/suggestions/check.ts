import { stableStringify } from '../canonical/canonical.ts';
import type { RichNode } from '../types.ts';
import { baseView, listSuggestions } from './rich.ts';

export type SuggestionCheck = { ok: true } | { ok: false; reason: 'text_changed' | 'foreign_suggestion' };

/** A commenter's update is allowed iff the standing text is unchanged and every new suggestion is their own. */
export function changesOnlySuggestions(before: RichNode, after: RichNode, userId: string): SuggestionCheck {
  if (stableStringify(baseView(before)) !== stableStringify(baseView(after))) return { ok: false, reason: 'text_changed' };
  const known = new Set(listSuggestions(before).map((s) => s.id));
  for (const s of listSuggestions(after)) {
    if (!known.has(s.id) && s.authorUserId !== userId) return { ok: false, reason: 'foreign_suggestion' };
  }
  return { ok: true };
}

