/**
 * Typing goes straight into a ProseMirror transaction.
 *
 * ProseMirror lets the browser insert a typed character into a collapsed selection itself, then reads
 * the change back from the DOM (mutation observer, re-parse of the paragraph, DOM selection read). In
 * Chromium that native edit and the read-back are most of a keystroke's cost before the update can
 * leave for the other party. Here a plain printable key becomes `insertText` at once, exactly as
 * ProseMirror itself does for a non-collapsed selection: input rules (`handleTextInput`), stored marks,
 * the agreed-section guard and suggest mode all see the same transaction. Composition (IME, dead keys)
 * never reaches this handler (ProseMirror checks it first), and keys with Ctrl/Cmd are left alone.
 */
import { Extension, isiOS, isMacOS } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

const IS_MAC = isMacOS() || isiOS();

/** The key's character when it is plain text typed into a text selection; otherwise null. */
function typedText(view: EditorView, event: KeyboardEvent): string | null {
  if (event.isComposing || view.composing || !event.charCode) return null;
  if ((event.ctrlKey && !event.altKey) || (IS_MAC && event.metaKey)) return null;
  const text = String.fromCharCode(event.charCode);
  if (/[\r\n]/.test(text)) return null;
  return view.state.selection instanceof TextSelection ? text : null;
}

export function handleTypedKey(view: EditorView, event: KeyboardEvent): boolean {
  if (!view.editable) return false;
  const text = typedText(view, event);
  if (text === null) return false;
  const { from, to } = view.state.selection;
  const insert = () => view.state.tr.insertText(text).scrollIntoView();
  if (!view.someProp('handleTextInput', (f) => f(view, from, to, text, insert))) view.dispatch(insert());
  return true; // ProseMirror prevents the browser's own insertion
}

export const DirectTyping = Extension.create({
  name: 'directTyping',
  addProseMirrorPlugins() {
    return [new Plugin({ key: new PluginKey('directTyping'), props: { handleKeyPress: handleTypedKey } })];
  },
});
