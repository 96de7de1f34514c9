/**
 * The "Förslag" tab: every open suggestion, by section and then by party, each a button that moves
 * the caret to it (and so shows its card), with Godta / Avvisa for those who decide, and both for a
 * whole section.
 */
import type { SuggestionInfo } from '@overens/model';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { suggestionAuthor } from './authors.ts';
import { useDecide } from './decide.ts';
import { SectionDecisions } from './SectionDecisions.tsx';
import { suggestionRanges } from './extension.ts';
import { kindLabel, suggestionName } from './labels.ts';
import { useOpenSuggestions } from './open.tsx';
import { mayDecide } from './permissions.ts';

export function SuggestionsPanel() {
  const t = useMessages(suggestionMessages);
  const sections = useOpenSuggestions().filter((s) => s.suggestions.length > 0);
  return (
    <div className="suggestions-panel">
      <h2 className="h3">{t.panelHeading}</h2>
      {sections.length === 0 ? (
        <p className="muted">{t.empty}</p>
      ) : (
        <>
          <p className="small muted">{t.panelIntro}</p>
          {sections.map((s) => (
            <SectionGroup key={s.sectionId} sectionId={s.sectionId} title={`${s.number}. ${s.title}`} suggestions={s.suggestions} />
          ))}
        </>
      )}
    </div>
  );
}

function SectionGroup({ sectionId, title, suggestions }: { sectionId: string; title: string; suggestions: SuggestionInfo[] }) {
  const t = useMessages(suggestionMessages);
  const agreement = useAgreement();
  const headingId = `suggestions-${sectionId}`;
  // Parties in the agreement's order; unknown authors last.
  const groups = new Map<string, SuggestionInfo[]>();
  for (const s of suggestions) {
    const key = suggestionAuthor(agreement, s.id).partyId ?? '';
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const order = [...agreement.agreement.parties.map((p) => p.id), ''];
  const decider = mayDecide(agreement);
  return (
    <section className="suggestions-panel__section" aria-labelledby={headingId}>
      <h3 id={headingId} className="suggestions-panel__title">{title}</h3>
      {decider && (
        <div className="button-row">
          <SectionDecisions sectionId={sectionId} title={title} />
        </div>
      )}
      {order
        .filter((p) => groups.has(p))
        .map((partyId) => {
          const items = groups.get(partyId)!;
          const partyName = partyId ? agreement.partyName(partyId) : t.unknownParty;
          return (
            <div key={partyId || 'unknown'} className="suggestions-panel__party">
              <h4 className="suggestions-panel__party-title">{fmt(t.partyGroup, { party: partyName, count: items.length })}</h4>
              <ul className="suggestions-panel__list">
                {items.map((s) => (
                  <Item key={`${s.id}:${s.kind}`} sectionId={sectionId} suggestion={s} decider={decider} />
                ))}
              </ul>
            </div>
          );
        })}
    </section>
  );
}

function Item({ sectionId, suggestion, decider }: { sectionId: string; suggestion: SuggestionInfo; decider: boolean }) {
  const t = useMessages(suggestionMessages);
  const f = useFormat();
  const agreement = useAgreement();
  const { decide, busy } = useDecide();
  const who = suggestionAuthor(agreement, suggestion.id);
  const text = suggestion.text.replace(/\u200B/g, '').trim() || t.emptyText;
  const colour = who.colourIndex >= 0 ? `suggestion--party-${who.colourIndex}` : 'suggestion--party-none';
  const jump = () => {
    const editor = agreement.getEditor(sectionId);
    const range = editor ? suggestionRanges(editor.state.doc).find((r) => r.id === suggestion.id) : undefined;
    if (!editor || !range) {
      agreement.focusTarget({ kind: 'section', sectionId });
      return;
    }
    editor.chain().focus().setTextSelection({ from: range.from, to: range.to }).scrollIntoView().run();
  };
  return (
    <li className={`suggestions-panel__item ${colour}`}>
      <button type="button" className="suggestions-panel__jump" onClick={jump} title={t.goTo}>
        <span className="suggestions-panel__kind">{kindLabel(t, suggestion.kind)}</span>{' '}
        {suggestion.kind === 'deletion' ? <del>{text}</del> : <ins>{text}</ins>}
        <span className="visually-hidden"> – {suggestionName(t, suggestion.kind, who)}</span>
        <span className="small muted suggestions-panel__meta">
          {who.name ?? t.unknownParty}
          {who.at && <> · {f.dateTime(who.at.toISOString())}</>}
        </span>
      </button>
      {decider && (
        <div className="button-row">
          <button type="button" className="button button--small" disabled={busy} aria-label={fmt(t.acceptAria, { text })}
            onClick={() => void decide('accept', { suggestionIds: [suggestion.id] })}>
            {t.accept}
          </button>
          <button type="button" className="button button--secondary button--small" disabled={busy} aria-label={fmt(t.rejectAria, { text })}
            onClick={() => void decide('reject', { suggestionIds: [suggestion.id] })}>
            {t.reject}
          </button>
        </div>
      )}
    </li>
  );
}
