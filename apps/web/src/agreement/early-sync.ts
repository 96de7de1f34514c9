/**
 * A local edit leaves for the other party before this browser draws it.
 *
 * y-tiptap writes a ProseMirror change to Yjs (and so to the socket) from its plugin view's `update`,
 * which ProseMirror calls only after it has redrawn the DOM and written the DOM selection — and
 * writing the selection forces a layout of the whole page (about 1–2 ms per keystroke here). This
 * plugin writes the change to Yjs while the new state is computed (`appendTransaction`, which adds
 * nothing), with y-tiptap's own binding, mutex and origin, so the update is on the socket before the
 * redraw. y-tiptap's view update then finds nothing left to write (no second Yjs update).
 *
 * Left to y-tiptap as before: remote changes (their origin), snapshots, changes kept out of the undo
 * history (y-tiptap stops undo capturing for those first), and what other plugins append in a later
 * round. Nothing in this app (or its editor libraries) applies a transaction to the shown state
 * without dispatching it, which is what makes writing at `appendTransaction` safe.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

interface SyncPluginState {
  binding?: ProsemirrorBinding;
  doc?: Y.Doc;
  snapshot?: unknown;
  prevSnapshot?: unknown;
  isChangeOrigin?: boolean;
  addToHistory?: boolean;
}

export const EarlySync = Extension.create({
  name: 'earlySync',
  // After the other extensions' plugins: their appended transactions are part of what is written.
  priority: 1,
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('earlySync'),
        appendTransaction(transactions, _old, state) {
          if (!transactions.some((tr) => tr.docChanged)) return null;
          const sync = ySyncPluginKey.getState(state) as SyncPluginState | undefined;
          const binding = sync?.binding;
          if (!sync || !binding || !sync.doc || !binding.prosemirrorView) return null;
          // Only a change of the state the editor shows (a dispatch), not one computed from another state.
          if (transactions[0]!.before !== (binding.prosemirrorView as { state: { doc: unknown } }).state.doc) return null;
          if (sync.isChangeOrigin || sync.snapshot != null || sync.prevSnapshot != null || sync.addToHistory === false) return null;
          const doc = sync.doc;
          binding.mux(() => {
            doc.transact((tr) => {
              tr.meta.set('addToHistory', true);
              binding._prosemirrorChanged(state.doc);
            }, ySyncPluginKey);
          });
          return null;
        },
      }),
    ];
  },
});
