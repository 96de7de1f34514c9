/**
 * Accept / reject: `POST /api/agreements/{id}/suggestions/decisions` (apps/server/src/routes/suggestions.ts).
 * The server applies the decision to the live document (everyone sees it through the sync), records
 * it in the audit trail and answers with what it decided; 409 `suggestion-not-found` when none of the
 * ids is open any more.
 */
import type { SuggestionKind } from '@overens/model';
import { http } from '../../api/client.ts';

export type Decision = 'accept' | 'reject';

export interface DecidedSuggestion {
  id: string;
  authorUserId: string | null;
  kind: SuggestionKind;
  text: string;
}

export function decideSuggestions(
  agreementId: string,
  body: { decision: Decision; suggestionIds?: string[]; sectionId?: string },
): Promise<{ decided: DecidedSuggestion[] }> {
  return http.post<{ decided: DecidedSuggestion[] }>(`/api/agreements/${encodeURIComponent(agreementId)}/suggestions/decisions`, body);
}
