/**
 * Suggestion mode in a section editor, on `@handlewithcare/prosemirror-suggest-changes`:
 * - the marks `insertion`, `deletion`, `modification` (the library's specs as Tiptap marks, so the
 *   Yjs document stores them as y-prosemirror format attributes the server and export read);
 * - in suggest mode every local transaction is rewritten by the library into one that marks the
 *   change instead of making it (`transformToSuggestionTransaction`, the same test as its
 *   `withSuggestChanges` for remote, undo and history transactions), with ids that name the author;
 * - decorations that colour each suggestion by its author's party, give it a tooltip (who, when) and
 *   tell screen readers what it is and whose it is (a hidden label before it, "slut" after it).
 */
import { Extension, Mark, mergeAttributes } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PMNode, Mark as PMMark } from '@tiptap/pm/model';
import {
  deletion as deletionSpec,
  insertion as insertionSpec,
  modification as modificationSpec,
  suggestChanges,
  suggestChangesKey,
  transformToSuggestionTransaction,
} from '@handlewithcare/prosemirror-suggest-changes';
import { changesOnlySuggestions, makeSuggestionId, parseSuggestionId, type RichNode, type SuggestionKind } from '@overens/model';

const KIND_NAMES: readonly SuggestionKind[] = ['insertion', 'deletion', 'modification'];

function idAttribute() {
  return {
    id: {
      default: null,
      parseHTML: (el: HTMLElement) => {
        try {
          return el.dataset.id ? (JSON.parse(el.dataset.id) as unknown) : null;
        } catch {
          return null;
        }
      },
      renderHTML: (attrs: Record<string, unknown>) => ({ 'data-id': JSON.stringify(attrs.id) }),
    },
  };
}

export const InsertionMark = Mark.create({
  name: 'insertion',
  inclusive: insertionSpec.inclusive ?? false,
  excludes: insertionSpec.excludes,
  addAttributes: idAttribute,
  parseHTML: () => [{ tag: 'ins[data-id]' }],
  renderHTML: ({ HTMLAttributes }) => ['ins', mergeAttributes(HTMLAttributes, { class: 'suggestion suggestion--insertion' }), 0],
});

export const DeletionMark = Mark.create({
  name: 'deletion',
  inclusive: deletionSpec.inclusive ?? false,
  excludes: deletionSpec.excludes,
  addAttributes: idAttribute,
  parseHTML: () => [{ tag: 'del[data-id]' }],
  renderHTML: ({ HTMLAttributes }) => ['del', mergeAttributes(HTMLAttributes, { class: 'suggestion suggestion--deletion' }), 0],
});

export const ModificationMark = Mark.create({
  name: 'modification',
  inclusive: modificationSpec.inclusive ?? false,
  excludes: modificationSpec.excludes,
  addAttributes: () => ({
    ...idAttribute(),
    type: { default: null, rendered: false },
    attrName: { default: null, rendered: false },
    previousValue: { default: null, rendered: false },
    newValue: { default: null, rendered: false },
  }),
  parseHTML: () => [{ tag: "span[data-type='modification']" }],
  renderHTML: ({ HTMLAttributes }) => ['span', mergeAttributes(HTMLAttributes, { 'data-type': 'modification', class: 'suggestion suggestion--modification' }), 0],
});

/** What the decorations say about a suggestion (built by the caller, in the reader's language). */
export interface SuggestionLabel {
  /** Party colour class index 0..7, or -1 (grey). */
  colourIndex: number;
  /** "Förslag att infoga av Eva Öberg, Sjöviks kommun" */
  name: string;
  /** The tooltip: the name and the time. */
  title: string;
  /** "slut på förslaget" */
  end: string;
}

export interface SuggestModeOptions {
  agreementId: string;
  /** True while this person suggests (mode switch); read on every transaction. */
  isSuggesting: () => boolean;
  /** The author of new suggestions (the id carries it). */
  userId: string;
  label: (id: string, kind: SuggestionKind) => SuggestionLabel;
  /**
   * A change the library cannot express as a text suggestion (a formatting or structure change the
   * server would refuse from a suggest-only connection) was dropped.
   */
  onRefused?: () => void;
}

export const suggestionDecorationsKey = new PluginKey<DecorationSet>('suggestionAuthors');

export function suggestionMarkOf(marks: readonly PMMark[]): PMMark | undefined {
  return marks.find((m) => (KIND_NAMES as readonly string[]).includes(m.type.name));
}

/** Suggestion ranges in document order: consecutive text with the same mark id is one range. */
export function suggestionRanges(doc: PMNode): Array<{ id: string; kind: SuggestionKind; from: number; to: number; text: string }> {
  const out: Array<{ id: string; kind: SuggestionKind; from: number; to: number; text: string }> = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const mark = suggestionMarkOf(node.marks);
    if (!mark) return false;
    const id = String(mark.attrs.id);
    const kind = mark.type.name as SuggestionKind;
    const last = out[out.length - 1];
    if (last && last.id === id && last.kind === kind && last.to === pos) {
      last.to = pos + node.nodeSize;
      last.text += node.text ?? '';
    } else out.push({ id, kind, from: pos, to: pos + node.nodeSize, text: node.text ?? '' });
    return false;
  });
  return out;
}

function buildDecorations(doc: PMNode, label: SuggestModeOptions['label']): DecorationSet {
  const decorations: Decoration[] = [];
  for (const r of suggestionRanges(doc)) {
    const l = label(r.id, r.kind);
    const colour = l.colourIndex >= 0 ? `suggestion--party-${l.colourIndex}` : 'suggestion--party-none';
    decorations.push(
      Decoration.inline(r.from, r.to, { class: `suggestion-range ${colour}`, title: l.title, 'data-suggestion-id': r.id }, { suggestionId: r.id }),
      Decoration.widget(r.from, () => hiddenText(`${l.name}: `), { side: -1, key: `s:${r.id}:${l.name}`, ignoreSelection: true }),
      Decoration.widget(r.to, () => hiddenText(` (${l.end})`), { side: 1, key: `e:${r.id}:${l.end}`, ignoreSelection: true }),
    );
  }
  return DecorationSet.create(doc, decorations);
}

function hiddenText(text: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'visually-hidden suggestion-sr';
  span.contentEditable = 'false';
  span.textContent = text;
  return span;
}

/** Whether the library should rewrite this transaction (mirrors its `withSuggestChanges`). */
function shouldSuggest(tr: Transaction): boolean {
  if (!tr.docChanged) return false;
  const ySync = (tr.getMeta('y-sync$') ?? {}) as { isUndoRedoOperation?: boolean; isChangeOrigin?: boolean };
  if (ySync.isChangeOrigin || ySync.isUndoRedoOperation) return false;
  if (tr.getMeta('history$') || tr.getMeta('collab$')) return false;
  if ('skip' in ((tr.getMeta(suggestChangesKey) as object | undefined) ?? {})) return false;
  if (tr.getMeta('appendedTransaction')) return false;
  return true;
}

/** True when `after` differs from `before` only by suggestions (of this author, when new). */
export function onlySuggests(before: PMNode, after: PMNode, userId: string): boolean {
  return changesOnlySuggestions(before.toJSON() as RichNode, after.toJSON() as RichNode, userId).ok;
}

/**
 * Rewrite a transaction as a suggestion by `userId` (also used by the agreed-section dialog); null when
 * the library cannot express it in our schema (block-level suggestions need marks on blocks, which
 * our document does not store: it throws).
 */
export function asSuggestion(tr: Transaction, state: EditorState, userId: string): Transaction | null {
  try {
    return reownForeign(transformToSuggestionTransaction(tr, state, () => makeSuggestionId(userId)), state.doc, userId);
  } catch {
    return null;
  }
}

/**
 * The library gives a change next to an existing suggestion that suggestion's id (so a word typed on
 * is one suggestion). Next to someone else's suggestion that would put our text under their name
 * (and the server refuses it from a suggest-only connection): such new text gets an id of our own.
 */
function reownForeign(tr: Transaction, before: PMNode, userId: string): Transaction {
  const foreign = (id: string) => parseSuggestionId(id)?.userId !== userId;
  const old = suggestionRanges(before).filter((r) => foreign(r.id));
  if (old.length === 0 || !tr.docChanged) return tr;
  const kept = old.map((r) => ({ id: r.id, kind: r.kind, from: tr.mapping.map(r.from, 1), to: tr.mapping.map(r.to, -1) }));
  let ownId: string | null = null;
  for (const r of suggestionRanges(tr.doc)) {
    if (!foreign(r.id)) continue;
    // The parts of this range that are not the suggestion's old text.
    let segments = [{ from: r.from, to: r.to }];
    for (const k of kept) {
      if (k.id !== r.id || k.kind !== r.kind || k.to <= k.from) continue;
      segments = segments.flatMap((s) => [
        ...(k.from > s.from ? [{ from: s.from, to: Math.min(s.to, k.from) }] : []),
        ...(k.to < s.to ? [{ from: Math.max(s.from, k.to), to: s.to }] : []),
      ]).filter((s) => s.to > s.from);
    }
    const type = tr.doc.type.schema.marks[r.kind];
    if (!type) continue;
    for (const s of segments) {
      ownId ??= makeSuggestionId(userId);
      tr.removeMark(s.from, s.to, type);
      tr.addMark(s.from, s.to, type.create({ id: ownId }));
    }
  }
  return tr;
}

export function suggestModeExtension(options: SuggestModeOptions) {
  return Extension.create({
    name: 'suggestMode',
    priority: 1000,
    addStorage() {
      return { agreementId: options.agreementId, userId: options.userId };
    },
    addExtensions() {
      return [InsertionMark, DeletionMark, ModificationMark];
    },
    dispatchTransaction({ transaction, next }) {
      if (!options.isSuggesting() || !shouldSuggest(transaction)) {
        next(transaction);
        return;
      }
      const state = this.editor.state;
      const suggested = asSuggestion(transaction, state, options.userId);
      // The same test the server runs on a suggest-only connection: the standing text must not change.
      if (!suggested || !onlySuggests(state.doc, suggested.doc, options.userId)) {
        options.onRefused?.();
        return;
      }
      next(suggested);
    },
    addProseMirrorPlugins() {
      return [
        // Skips the zero-width block anchors with the arrow keys (and draws ¶ for split blocks).
        suggestChanges(),
        new Plugin<DecorationSet>({
          key: suggestionDecorationsKey,
          state: {
            init: (_, state) => buildDecorations(state.doc, options.label),
            apply: (tr, old, _oldState, state) => (tr.docChanged || tr.getMeta(suggestionDecorationsKey) ? buildDecorations(state.doc, options.label) : old),
          },
          props: { decorations: (state) => suggestionDecorationsKey.getState(state) },
        }),
      ];
    },
  });
}

/** The suggestion at the caret (or covering the selection's start), for the card under the editor. */
export function suggestionAt(state: EditorState): { id: string; kind: SuggestionKind; from: number; to: number; text: string } | null {
  const { from, to } = state.selection;
  for (const r of suggestionRanges(state.doc)) {
    if (from >= r.from && from <= r.to && to <= Math.max(r.to, from)) return r;
  }
  return null;
}
