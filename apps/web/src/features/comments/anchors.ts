/**
 * Comment anchors: a selection in a section editor (ProseMirror positions) <-> a pair of Yjs relative
 * positions in the section's Y.XmlFragment, base64-encoded for the API. Relative positions follow the
 * text as people edit around it; when the commented text is deleted, start and end meet and the thread
 * is shown as detached.
 */
import type { Editor } from '@tiptap/core';
import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

export interface EncodedAnchor {
  anchorStart: string;
  anchorEnd: string;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> } | null;
}

function syncState(state: EditorState): SyncState | null {
  const s = ySyncPluginKey.getState(state) as SyncState | undefined;
  if (!s || !s.binding || !s.type) return null;
  return s;
}

/** Encode the editor range [from, to) as relative positions; null when the editor is not bound yet. */
export function encodeAnchor(editor: Editor, from: number, to: number): EncodedAnchor | null {
  const s = syncState(editor.state);
  if (!s || !s.binding) return null;
  const mapping = s.binding.mapping as never;
  const start = absolutePositionToRelativePosition(from, s.type, mapping);
  const end = absolutePositionToRelativePosition(to, s.type, mapping);
  return { anchorStart: toBase64(Y.encodeRelativePosition(start)), anchorEnd: toBase64(Y.encodeRelativePosition(end)) };
}

/** Current editor range of an anchor, or null when it cannot be resolved or its text was deleted. */
export function resolveAnchor(state: EditorState, anchor: { start: string; end: string }): { from: number; to: number } | null {
  const s = syncState(state);
  if (!s || !s.binding) return null;
  try {
    const mapping = s.binding.mapping as never;
    const from = relativePositionToAbsolutePosition(s.doc, s.type, Y.decodeRelativePosition(fromBase64(anchor.start)), mapping);
    const to = relativePositionToAbsolutePosition(s.doc, s.type, Y.decodeRelativePosition(fromBase64(anchor.end)), mapping);
    if (from === null || to === null || to <= from) return null;
    const max = state.doc.content.size;
    if (from < 0 || to > max) return null;
    return { from, to };
  } catch {
    return null;
  }
}
