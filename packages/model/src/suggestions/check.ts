import type { RichNode } from '../types.ts';
import { baseView, listSuggestions } from './rich.ts';

export type SuggestionCheck = { ok: true } | { ok: false; reason: 'text_changed' | 'foreign_suggestion' };

/** A commenter's update is allowed iff the standing text is unchanged and every new suggestion is their own. */
export function changesOnlySuggestions(before: RichNode, after: RichNode, userId: string): SuggestionCheck {
  if (!deepEqual(baseView(before), baseView(after))) return { ok: false, reason: 'text_changed' };
  const known = new Set(listSuggestions(before).map((s) => s.id));
  for (const s of listSuggestions(after)) {
    if (!known.has(s.id) && s.authorUserId !== userId) return { ok: false, reason: 'foreign_suggestion' };
  }
  return { ok: true };
}

// Own comparison: the model runs in the browser too, so no node:util.
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
