import * as Y from 'yjs';
import { fragmentToRichNode, markNameFromAttribute } from '../doc/rich.ts';
import { listSuggestions, SUGGESTION_MARKS, type SuggestionInfo, type SuggestionKind } from './rich.ts';

/**
 * Accept / reject on the live section body. Suggestion marks are Y.XmlText format attributes
 * (`insertion`, `deletion`, `modification`, or hashed `name--xxxxxxxx`) whose value carries `id`.
 */

type Action = 'accept' | 'reject';
interface Run {
  text: Y.XmlText;
  index: number;
  length: number;
  attr: string;
  kind: SuggestionKind;
  value: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

function textsIn(parent: Y.XmlFragment | Y.XmlElement, out: Y.XmlText[]): Y.XmlText[] {
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out.push(child);
    else if (child instanceof Y.XmlElement) textsIn(child, out);
  }
  return out;
}

function runsIn(fragment: Y.XmlFragment, id: string | null): Run[] {
  const runs: Run[] = [];
  for (const text of textsIn(fragment, [])) {
    let index = 0;
    for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      for (const [attr, value] of Object.entries(op.attributes ?? {})) {
        const kind = markNameFromAttribute(attr) as SuggestionKind;
        if (!SUGGESTION_MARKS.includes(kind) || typeof value !== 'object' || value === null) continue;
        const v = value as Record<string, unknown>;
        if (id !== null && v.id !== id) continue;
        runs.push({ text, index, length, attr, kind, value: v, attributes: op.attributes ?? {} });
      }
      index += length;
    }
  }
  return runs;
}

function plain(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '\uFFFC')).join('');
}

function markOf(v: unknown): { type: string; attrs?: Record<string, unknown> } | null {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'
    ? (v as { type: string; attrs?: Record<string, unknown> })
    : null;
}

function apply(run: Run, action: Action): void {
  const { text, index, length, attr, kind } = run;
  const removesText = (kind === 'insertion' && action === 'reject') || (kind === 'deletion' && action === 'accept');
  if (removesText) return text.delete(index, length);
  const format: Record<string, unknown> = { [attr]: null };
  if (kind === 'modification' && action === 'reject') {
    // Mark changes carry the mark JSON: take the new mark off and put the previous one back.
    const next = markOf(run.value.newValue);
    const prev = markOf(run.value.previousValue);
    if (next) for (const a of Object.keys(run.attributes)) if (markNameFromAttribute(a) === next.type) format[a] = null;
    if (prev) format[prev.type] = prev.attrs ?? {};
  }
  text.format(index, length, format);
  if (kind === 'insertion') {
    // Zero-width block anchors of an accepted insertion have done their job.
    const str = plain(text).slice(index, index + length);
    for (let i = str.length - 1; i >= 0; i--) if (str[i] === '\u200B') text.delete(index + i, 1);
  }
}

function resolve(fragment: Y.XmlFragment, id: string | null, action: Action, origin: unknown): void {
  const run = (): void => {
    // Back to front so earlier indices stay valid after deletes.
    const runs = runsIn(fragment, id);
    for (let i = runs.length - 1; i >= 0; i--) apply(runs[i]!, action);
  };
  if (fragment.doc) fragment.doc.transact(run, origin);
  else run();
}

export function acceptSuggestion(fragment: Y.XmlFragment, id: string, origin?: unknown): void {
  resolve(fragment, id, 'accept', origin);
}
export function rejectSuggestion(fragment: Y.XmlFragment, id: string, origin?: unknown): void {
  resolve(fragment, id, 'reject', origin);
}
export function acceptAll(fragment: Y.XmlFragment, origin?: unknown): void {
  resolve(fragment, null, 'accept', origin);
}
export function rejectAll(fragment: Y.XmlFragment, origin?: unknown): void {
  resolve(fragment, null, 'reject', origin);
}

export function suggestionsInFragment(fragment: Y.XmlFragment): SuggestionInfo[] {
  return listSuggestions(fragmentToRichNode(fragment));
}
