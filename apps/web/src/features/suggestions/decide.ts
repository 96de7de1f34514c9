/**
 * Accept or reject from anywhere in the UI (the card at the caret, the section footer, the panel):
 * calls the route, then says what happened in the page's live region (`SuggestionStatus`). The text
 * itself changes through the sync when the server has applied the decision.
 */
import { useState, useSyncExternalStore } from 'react';
import { ApiError, NetworkError } from '../../api/client.ts';
import { fmt, useLocale, useMessages } from '../../i18n/index.tsx';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { localizeProblem } from '../../i18n/problems.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { decideSuggestions, type Decision } from './api.ts';

// One message per agreement page, read by the live region.
const messages = new Map<string, { text: string; error: boolean; n: number }>();
const listeners = new Set<() => void>();
let seq = 0;

export function announceSuggestion(agreementId: string, text: string, error = false): void {
  messages.set(agreementId, { text, error, n: ++seq });
  for (const l of listeners) l();
}

export function useSuggestionStatus(agreementId: string): { text: string; error: boolean; n: number } | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => messages.get(agreementId) ?? null,
  );
}

export function clearSuggestionStatus(agreementId: string): void {
  messages.delete(agreementId);
  for (const l of listeners) l();
}

export type DecideTarget = { suggestionIds: string[] } | { sectionId: string };

export function useDecide() {
  const t = useMessages(suggestionMessages);
  const { locale } = useLocale();
  const { agreementId } = useAgreement();
  const [busy, setBusy] = useState(false);
  const decide = async (decision: Decision, target: DecideTarget): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    try {
      const { decided } = await decideSuggestions(agreementId, { decision, ...target });
      announceSuggestion(agreementId, fmt(decision === 'accept' ? t.accepted : t.rejected, { count: decided.length }));
      return true;
    } catch (e) {
      const detail =
        e instanceof NetworkError
          ? t.networkError
          : e instanceof ApiError && e.code === 'suggestion-not-found'
            ? t.notFound
            : e instanceof ApiError
              ? localizeProblem(e, locale).message
              : '';
      announceSuggestion(agreementId, fmt(t.decideFailed, { detail }), true);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { decide, busy };
}
