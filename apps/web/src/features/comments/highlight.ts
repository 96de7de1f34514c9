/**
 * Tiptap extension: highlights the anchored ranges of open comment threads in a section editor
 * (decorations computed from the Yjs relative positions, so they follow everyone's edits), opens the
 * thread when a highlight is clicked, and binds Mod-Alt-M to "comment on the selection".
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { AgreementContextValue } from '../../shell/agreement-context.tsx';
import { encodeAnchor, resolveAnchor } from './anchors.ts';
import { commentUi, mayComment, subscribeThreads, threadsNow } from './store.ts';

export function commentHighlightExtension(sectionId: string, agreement: AgreementContextValue) {
  const ui = commentUi(agreement.agreementId);
  const agreementId = agreement.agreementId;
  const key = new PluginKey<DecorationSet>(`commentHighlights-${sectionId}`);
  return Extension.create({
    name: 'commentHighlights',
    addKeyboardShortcuts() {
      return {
        'Mod-Alt-m': ({ editor }) => {
          const { from, to, empty } = editor.state.selection;
          if (empty || !mayComment(agreement)) return false;
          const anchor = encodeAnchor(editor, from, to);
          if (!anchor) return false;
          ui.startDraft({ sectionId, ...anchor, quote: editor.state.doc.textBetween(from, to, ' ') });
          agreement.openPanel('comments');
          return true;
        },
      };
    },
    addProseMirrorPlugins() {
      return [
        new Plugin<DecorationSet>({
          key,
          state: {
            init: () => DecorationSet.empty,
            apply(tr, old) {
              const next = tr.getMeta(key) as DecorationSet | undefined;
              return next ?? old.map(tr.mapping, tr.doc);
            },
          },
          props: {
            decorations: (state) => key.getState(state),
            handleClick: (view, pos) => {
              const found = key.getState(view.state)?.find(pos, pos) ?? [];
              const id = (found[0]?.spec as { threadId?: string } | undefined)?.threadId;
              if (!id) return false;
              ui.setActive(id);
              agreement.openPanel('comments');
              return false;
            },
          },
          view(view) {
            let timer: ReturnType<typeof setTimeout> | null = null;
            let signature = '';
            const recompute = () => {
              timer = null;
              if ((view as { isDestroyed?: boolean }).isDestroyed) return;
              const threads = threadsNow(agreementId);
              const { activeThreadId } = ui.get();
              const decorations: Decoration[] = [];
              const parts: string[] = [];
              for (const t of threads) {
                if (t.sectionId !== sectionId || t.resolvedAt) continue;
                const range = resolveAnchor(view.state, t.anchor);
                if (!range) continue;
                const active = t.id === activeThreadId;
                parts.push(`${t.id}:${range.from}-${range.to}:${active ? 1 : 0}:${t.visibility}`);
                decorations.push(
                  Decoration.inline(
                    range.from,
                    range.to,
                    { class: `comment-anchor${active ? ' is-active' : ''}${t.visibility === 'internal' ? ' comment-anchor--internal' : ''}`, 'data-thread-id': t.id },
                    { threadId: t.id },
                  ),
                );
              }
              const sig = parts.join('|');
              if (sig === signature) return;
              signature = sig;
              view.dispatch(view.state.tr.setMeta(key, DecorationSet.create(view.state.doc, decorations)).setMeta('addToHistory', false));
            };
            const schedule = () => {
              if (timer === null) timer = setTimeout(recompute, 30);
            };
            const unsubscribeUi = ui.subscribe(schedule);
            const unsubscribeThreads = subscribeThreads(agreementId, schedule);
            schedule();
            return {
              update: schedule,
              destroy() {
                unsubscribeUi();
                unsubscribeThreads();
                if (timer !== null) clearTimeout(timer);
              },
            };
          },
        }),
      ];
    },
  });
}
