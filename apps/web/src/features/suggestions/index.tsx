/**
 * Suggestion mode (issue 16), registered as an agreement page feature: the mode switch in the title
 * bar (Redigera / Föreslå / Visa), the "Förslag" tab with every open suggestion, a count per section
 * in the outline, the section footer's summary with Godta alla / Avvisa alla, and the agreed-section
 * warning's "Föreslå ändringen i stället". The editor side (marks, rewriting edits as suggestions,
 * colours and names) is ./extension.ts, used by agreement/SectionEditor.tsx.
 */
import { lazy, useEffect, useState, type ReactNode } from 'react';
import { registerAgreedEditChoice } from '../../agreement/agreed-edit-choices.ts';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { registerFeature } from '../../shell/registry.ts';
import { announceSuggestion, clearSuggestionStatus, useSuggestionStatus } from './decide.ts';
import { SectionDecisions } from './SectionDecisions.tsx';
import { setEditMode } from './mode.ts';
import { ModeSwitch } from './ModeSwitch.tsx';
import { OpenSuggestionsProvider, useOpenSuggestions, useSectionSuggestions } from './open.tsx';
import { mayDecide } from './permissions.ts';
import './suggestions.css';

const SuggestionsPanel = lazy(() => import('./SuggestionsPanel.tsx').then((m) => ({ default: m.SuggestionsPanel })));

function SuggestionsPageProvider({ children }: { children: ReactNode }) {
  const { agreementId } = useAgreement();
  useEffect(() => () => clearSuggestionStatus(agreementId), [agreementId]);
  return (
    <OpenSuggestionsProvider>
      {children}
      <Status />
    </OpenSuggestionsProvider>
  );
}

/** What the last accept / reject did, for everyone (and screen readers: a live region). */
function Status() {
  const { agreementId } = useAgreement();
  const status = useSuggestionStatus(agreementId);
  // Shown for a while, then only kept for screen readers (the live region already spoke it).
  const [shownFor, setShownFor] = useState(0);
  useEffect(() => {
    if (!status) return;
    setShownFor(status.n);
    const timer = window.setTimeout(() => setShownFor(0), 8000);
    return () => window.clearTimeout(timer);
  }, [status]);
  const shown = status !== null && shownFor === status.n;
  return (
    <div className={`suggestion-status${status?.error ? ' suggestion-status--error' : ''}${shown ? ' is-shown' : ''}`} role="status" data-testid="suggestion-status">
      {status?.text ?? ''}
    </div>
  );
}

function CountBadge({ n }: { n: number }) {
  const t = useMessages(suggestionMessages);
  if (n === 0) return null;
  const text = fmt(t.openCount, { count: n });
  return (
    <span className="badge badge--suggestion tabs__badge" title={text}>
      <span aria-hidden="true">{n}</span>
      <span className="visually-hidden">{text}</span>
    </span>
  );
}

function TotalBadge() {
  return <CountBadge n={useOpenSuggestions().reduce((n, s) => n + s.suggestions.length, 0)} />;
}

function OutlineBadge({ sectionId }: { sectionId: string }) {
  return <CountBadge n={useSectionSuggestions(sectionId).length} />;
}

function SectionFooter({ sectionId }: { sectionId: string }) {
  const t = useMessages(suggestionMessages);
  const agreement = useAgreement();
  const section = useOpenSuggestions().find((s) => s.sectionId === sectionId);
  const open = section?.suggestions ?? [];
  if (open.length === 0) return null;
  const title = section?.title ?? '';
  return (
    <div className="suggestion-footer" data-testid={`suggestion-footer-${sectionId}`}>
      <span className="small">{fmt(t.sectionSummary, { count: open.length })}</span>
      <button type="button" className="button button--secondary button--small" onClick={() => agreement.openPanel('suggestions')}>
        {t.panelHeading}
      </button>
      {mayDecide(agreement) && (
<SectionDecisions sectionId={sectionId} title={title} />
      )}
    </div>
  );
}

registerFeature({
  id: 'suggestions',
  PageProvider: SuggestionsPageProvider,
  HeaderActions: ModeSwitch,
  sidePanelTabs: [{ id: 'suggestions', order: 25, label: (l) => suggestionMessages[l].tab, Panel: SuggestionsPanel, Badge: TotalBadge }],
  SectionOutlineBadge: OutlineBadge,
  SectionFooter,
});

// An edit in a section every party agreed: suggest it instead (the default answer), keeping the agreement.
registerAgreedEditChoice({
  id: 'suggest-instead',
  order: 0,
  primary: true,
  label: (l) => suggestionMessages[l].suggestInstead,
  prompt: (l) => `${suggestionMessages[l].suggestInstead.charAt(0).toLowerCase()}${suggestionMessages[l].suggestInstead.slice(1)}?`,
  run: ({ editor, transaction, close }) => {
    const storage = (editor.storage as unknown as Record<string, { agreementId?: string } | undefined>).suggestMode;
    const agreementId = storage?.agreementId;
    if (!agreementId) return close();
    setEditMode(agreementId, 'suggest');
    // The held edit, now as a suggestion (the editor rewrites it), when nothing changed meanwhile.
    if (transaction && !editor.isDestroyed && editor.state.doc.eq(transaction.before)) editor.view.dispatch(transaction);
    announceSuggestion(agreementId, suggestionMessages[document.documentElement.lang === 'en' ? 'en' : 'sv'].suggestInsteadDone);
    close();
  },
});
