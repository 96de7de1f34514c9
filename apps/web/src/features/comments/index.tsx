/**
 * Comments on clauses, registered as an agreement page feature: the "Kommentarer" tab, the
 * "Kommentera" selection action (also Ctrl/Cmd+Alt+M), highlights of anchored ranges in the section
 * editors and a per-section count in the outline. The threads live in TanStack Query (./store.ts).
 */
import { lazy, useEffect, type ReactNode } from 'react';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { commentMessages } from '../../i18n/messages/comments.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { registerFeature } from '../../shell/registry.ts';
import './comments.css';
import { commentUi, mayComment, useThreads } from './store.ts';

function CommentsPageProvider({ children }: { children: ReactNode }) {
  const { agreementId } = useAgreement();
  // The threads are fetched (useThreads) and kept current by the page's event stream (comment.*
  // invalidates them); the UI state starts empty on every visit.
  useEffect(() => {
    const ui = commentUi(agreementId);
    ui.reset();
    return () => ui.reset();
  }, [agreementId]);
  useThreads(agreementId);
  return <>{children}</>;
}

function OpenCount({ sectionId }: { sectionId?: string }) {
  const t = useMessages(commentMessages);
  const { agreementId } = useAgreement();
  const { threads } = useThreads(agreementId);
  const n = threads.filter((th) => !th.resolvedAt && (sectionId === undefined || th.sectionId === sectionId)).length;
  if (n === 0) return null;
  return (
    <span className="badge badge--neutral tabs__badge" title={fmt(t.openCount, { count: n })}>
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">{fmt(t.openCount, { count: n })}</span>
    </span>
  );
}

// The thread list and forms load when the tab opens; highlights and counts are part of the page.
const CommentsPanel = lazy(() => import('./CommentsPanel.tsx').then((m) => ({ default: m.CommentsPanel })));

// Editor-side parts (they import ProseMirror): loaded before the first editor is made.
let editorParts: typeof import('./editor-parts.ts') | null = null;

registerFeature({
  id: 'comments',
  loadEditorParts: async () => {
    editorParts ??= await import('./editor-parts.ts');
  },
  PageProvider: CommentsPageProvider,
  sidePanelTabs: [
    {
      id: 'comments',
      order: 20,
      label: (l) => commentMessages[l].tab,
      Panel: CommentsPanel,
      Badge: () => <OpenCount />,
    },
  ],
  editorExtensions: ({ sectionId, agreement }) => (editorParts ? [editorParts.commentHighlightExtension(sectionId, agreement)] : []),
  selectionActions: [
    {
      id: 'comment',
      label: (l) => commentMessages[l].commentAction,
      shortcut: 'Mod-Alt-m',
      run: ({ editor, sectionId, from, to, text, agreement }) => {
        if (!mayComment(agreement)) {
          agreement.openPanel('comments'); // explains that viewers read only
          return;
        }
        const anchor = editorParts?.encodeAnchor(editor, from, to);
        if (!anchor) return;
        commentUi(agreement.agreementId).startDraft({ sectionId, ...anchor, quote: text });
        agreement.openPanel('comments');
      },
    },
  ],
  SectionOutlineBadge: ({ sectionId }) => <OpenCount sectionId={sectionId} />,
});
