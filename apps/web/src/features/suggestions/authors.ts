/**
 * Who made a suggestion: the author's user id is in the suggestion id (`sg_<userId>_<ms>_<rand>`,
 * packages/model/src/suggestions/id.ts); the agreement's members give their name and party, the
 * party's position its colour class (the same order as the carets' colours, agreement/colors.ts).
 */
import { parseSuggestionId, type SuggestionKind } from '@overens/model';
import type { AgreementContextValue } from '../../shell/agreement-context.tsx';
import { PARTY_COLORS } from '../../agreement/colors.ts';

export interface SuggestionAuthor {
  userId: string | null;
  name: string | null;
  partyId: string | null;
  partyName: string | null;
  /** 0..7: the party's colour (`suggestion--party-N`); -1 when unknown (grey). */
  colourIndex: number;
  at: Date | null;
}

export function suggestionAuthor(agreement: Pick<AgreementContextValue, 'agreement'>, id: unknown): SuggestionAuthor {
  const parsed = parseSuggestionId(id);
  const detail = agreement.agreement;
  const member = parsed ? detail.members.find((m) => m.userId === parsed.userId) : undefined;
  const partyIndex = member ? detail.parties.findIndex((p) => p.id === member.partyId) : -1;
  return {
    userId: parsed?.userId ?? null,
    name: member?.name ?? null,
    partyId: member?.partyId ?? null,
    partyName: partyIndex >= 0 ? detail.parties[partyIndex]!.name : null,
    colourIndex: partyIndex >= 0 ? partyIndex % PARTY_COLORS.length : -1,
    at: parsed?.at ?? null,
  };
}

export const KINDS: readonly SuggestionKind[] = ['insertion', 'deletion', 'modification'];
