/**
 * Under a section editor while the caret is in a suggestion: who suggested what and when (the
 * keyboard's counterpart of the tooltip), with Godta / Avvisa for those who decide. The sentence is a
 * polite live region, so moving the caret into a suggestion is announced.
 */
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { useEffect } from 'react';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { getFeatures } from '../../shell/registry.ts';
import { suggestionAuthor } from './authors.ts';
import { useDecide } from './decide.ts';
import { suggestionAt, suggestionDecorationsKey } from './extension.ts';
import { suggestionName } from './labels.ts';
import { mayDecide } from './permissions.ts';

export function SuggestionCard({ editor, sectionId }: { editor: Editor; sectionId: string }) {
  const t = useMessages(suggestionMessages);
  const { locale } = useLocale();
  const f = useFormat();
  const agreement = useAgreement();
  const { decide, busy } = useDecide();
  const current = useEditorState({ editor, selector: ({ editor: e }) => (e.isDestroyed ? null : suggestionAt(e.state)) });

  // Names and colours come from the members and the language: redraw the decorations when they change.
  const members = agreement.agreement.members.map((m) => `${m.userId}:${m.name}:${m.partyId}`).join('|');
  useEffect(() => {
    if (editor.isDestroyed) return;
    editor.view.dispatch(editor.state.tr.setMeta(suggestionDecorationsKey, true).setMeta('addToHistory', false));
  }, [editor, locale, members]);

  if (!current) return null;
  // "Why this wording?": a comment thread on the suggestion, through the comments feature's action.
  const comment = getFeatures().flatMap((x) => x.selectionActions ?? []).find((a) => a.id === 'comment');
  const who = suggestionAuthor(agreement, current.id);
  const name = suggestionName(t, current.kind, who);
  const text = current.text.replace(/\u200B/g, '').trim() || t.emptyText;
  const colour = who.colourIndex >= 0 ? `suggestion--party-${who.colourIndex}` : 'suggestion--party-none';
  return (
    <div className={`suggestion-card ${colour}`} data-testid={`suggestion-card-${sectionId}`}>
      <p className="suggestion-card__who" aria-live="polite">
        {name}
        {who.at && <span className="muted"> – {f.dateTime(who.at.toISOString())}</span>}
      </p>
      <div className="button-row">
        {mayDecide(agreement) && (
          <>
          <button type="button" className="button button--small" disabled={busy}
            aria-label={fmt(t.acceptAria, { text })} onClick={() => void decide('accept', { suggestionIds: [current.id] })}>
            {t.accept}
          </button>
          <button type="button" className="button button--secondary button--small" disabled={busy}
            aria-label={fmt(t.rejectAria, { text })} onClick={() => void decide('reject', { suggestionIds: [current.id] })}>
            {t.reject}
          </button>
          </>
        )}
        {comment && (
          <button type="button" className="button button--secondary button--small"
            onClick={() => comment.run({ editor, sectionId, from: current.from, to: current.to, text: current.text.replace(/\u200B/g, ''), agreement })}>
            {t.commentOn}
          </button>
        )}
      </div>
    </div>
  );
}
