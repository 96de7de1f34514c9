/** "Godta alla" / "Avvisa alla" for one section's open suggestions (side panel and section footer). */
import { fmt, useMessages } from '../../i18n/index.tsx';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { useDecide } from './decide.ts';

export function SectionDecisions({ sectionId, title }: { sectionId: string; title: string }) {
  const t = useMessages(suggestionMessages);
  const { decide, busy } = useDecide();
  return (
    <>
      <button type="button" className="button button--small" disabled={busy} aria-label={fmt(t.acceptAllAria, { section: title })}
        onClick={() => void decide('accept', { sectionId })}>
        {t.acceptAll}
      </button>
      <button type="button" className="button button--secondary button--small" disabled={busy} aria-label={fmt(t.rejectAllAria, { section: title })}
        onClick={() => void decide('reject', { sectionId })}>
        {t.rejectAll}
      </button>
    </>
  );
}
