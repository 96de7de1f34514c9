/**
 * Remote edits arrive finished: their writer's editor already made links of typed web addresses.
 *
 * y-tiptap applies every remote change as one step replacing the section's whole content, so
 * Tiptap's autolink (which scans every textblock a transaction touched with linkify) re-scanned the
 * whole section for each character another person typed. Marking remote transactions with the link
 * extension's own `preventAutolink` meta leaves autolinking to the person typing.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

export const RemoteEdits = Extension.create({
  name: 'remoteEdits',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('remoteEdits'),
        // Runs before the transaction is applied, so the appendTransaction hooks see the meta.
        filterTransaction(tr) {
          const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
          if (sync?.isChangeOrigin) tr.setMeta('preventAutolink', true);
          return true;
        },
      }),
    ];
  },
});
