/**
 * The words for a suggestion, in the reader's language: "Förslag att infoga av Eva Öberg, Sjöviks
 * kommun" (its accessible name) and the tooltip with the time (Europe/Stockholm).
 */
import type { SuggestionKind } from '@overens/model';
import { useRef } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { useAgreement, type AgreementContextValue } from '../../shell/agreement-context.tsx';
import { suggestionAuthor, type SuggestionAuthor } from './authors.ts';
import { announceSuggestion } from './decide.ts';
import type { SuggestionLabel } from './extension.ts';

type Messages = (typeof suggestionMessages)['sv'];

export function kindLabel(t: Messages, kind: SuggestionKind): string {
  return kind === 'insertion' ? t.kindInsertion : kind === 'deletion' ? t.kindDeletion : t.kindModification;
}

export function suggestionName(t: Messages, kind: SuggestionKind, who: SuggestionAuthor): string {
  const k = kindLabel(t, kind);
  return who.name ? fmt(t.byAuthor, { kind: k, name: who.name, party: who.partyName ?? t.unknownParty }) : fmt(t.byUnknown, { kind: k });
}

export function buildLabel(t: Messages, dateTime: (iso: string) => string, agreement: Pick<AgreementContextValue, 'agreement'>, id: string, kind: SuggestionKind): SuggestionLabel {
  const who = suggestionAuthor(agreement, id);
  const name = suggestionName(t, kind, who);
  return { colourIndex: who.colourIndex, name, title: who.at ? `${name} – ${dateTime(who.at.toISOString())}` : name, end: t.endOfSuggestion };
}

/**
 * A ref to what to do when the editor dropped a change it cannot suggest (a new paragraph, a list):
 * say so in the page's live region, at most every few seconds (not once per keystroke).
 */
export function useSuggestionRefused() {
  const t = useMessages(suggestionMessages);
  const { agreementId } = useAgreement();
  const last = useRef(0);
  const ref = useRef<() => void>(() => {});
  ref.current = () => {
    if (Date.now() - last.current < 4000) return;
    last.current = Date.now();
    announceSuggestion(agreementId, t.cannotSuggest, true);
  };
  return ref;
}

/** A ref to the current label function (the editor's decorations read it on every change). */
export function useSuggestionLabel() {
  const t = useMessages(suggestionMessages);
  const f = useFormat();
  const agreement = useAgreement();
  const ref = useRef<(id: string, kind: SuggestionKind) => SuggestionLabel>(() => ({ colourIndex: -1, name: '', title: '', end: '' }));
  ref.current = (id, kind) => buildLabel(t, f.dateTime, agreement, id, kind);
  return ref;
}
