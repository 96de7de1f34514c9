/**
 * Accept or reject suggestions (issue #16): editors of a draft decide on open suggestions, by id or
 * every open one in a section.
 *
 * authorize `suggestion.decide` → change the live document through the sync hub (server origin, reason
 * `suggestion`: ordinary Yjs operations that every client and the persistence see) → one transaction:
 * the audit row `suggestion.accepted`/`.rejected` (author, decided by, when, the text) and a version of
 * the result (its own audit row and `version.saved` outbox row) so the decision shows in the version
 * history and the compare → deliver. As for import and restore, the document is not a database row and
 * loading it may need a connection of its own, so its change cannot share the transaction.
 *
 * Accepting changes the standing text: a section that every party had agreed loses its agreement as for
 * any other edit (`lastResetBy` = the decider). Rejecting leaves the standing text as it was.
 */
import {
  acceptSuggestion,
  baseView,
  getSectionBody,
  getSectionMarks,
  getSectionRichBody,
  listSections,
  rejectSuggestion,
  resetSectionAgreementOnEdit,
  stableStringify,
  suggestionsInFragment,
  type SuggestionKind,
} from '@overens/model';
import { eq, and, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { recordAudit } from '../audit/service.ts';
import { agreementMembers, users } from '../db/schema/index.ts';
import { DomainError, invalidFieldError } from '../domain/errors.ts';
import { authorize } from '../policies/index.ts';
import { loadSubject } from '../policies/subject.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import { serverOrigin } from '../sync/origin.ts';
import { MAX_VERSION_NAME } from '../versions/service.ts';
import { insertVersion } from './versions.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export type SuggestionDecision = 'accept' | 'reject';

export interface DecideSuggestionsInput {
  decision: SuggestionDecision;
  /** These suggestions (ids that are not open are skipped; 409 when none is) … */
  suggestionIds?: string[];
  /** … or every open suggestion in this section. */
  sectionId?: string;
}

export interface DecidedSuggestion {
  id: string;
  authorUserId: string | null;
  /** The author's name as a member of the agreement ('' when unknown: a former member). */
  authorName: string;
  kind: SuggestionKind;
  text: string;
  sectionId: string;
  sectionTitle: string;
}

export interface DecideSuggestionsResult {
  decision: SuggestionDecision;
  decided: DecidedSuggestion[];
  /** The version that records the result in the history. */
  versionId: string;
}

export interface SuggestionCommandDeps extends Pick<CommandDeps, 'db' | 'outbox'> {
  sync: Pick<SyncHub, 'withDocument'>;
}

export const MAX_DECIDED_IDS = 500;

export function suggestionNotFound(): DomainError {
  return new DomainError(
    'conflict',
    'suggestion-not-found',
    'None of these suggestions is open any more: someone accepted or rejected them already, or their author withdrew them. Reload the list of open suggestions.',
    { messages: { sv: 'Inget av förslagen är öppet längre: någon har redan godtagit eller avvisat dem, eller så har författaren tagit bort dem.', en: 'None of these suggestions is open any more.' } },
  );
}

function checkInput(input: DecideSuggestionsInput): void {
  const hasIds = input.suggestionIds !== undefined;
  const hasSection = input.sectionId !== undefined;
  if (hasIds === hasSection) throw invalidFieldError('suggestionIds', 'give either suggestionIds (the suggestions to decide) or sectionId (every open suggestion in that section), not both');
  if (hasIds && input.suggestionIds!.length === 0) throw invalidFieldError('suggestionIds', 'must name at least one suggestion');
  if (hasIds && input.suggestionIds!.length > MAX_DECIDED_IDS) throw invalidFieldError('suggestionIds', `at most ${MAX_DECIDED_IDS} suggestions at a time`);
}

/** Short quote for the version name. */
function quote(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function versionName(decision: SuggestionDecision, decided: DecidedSuggestion[]): string {
  const verb = decision === 'accept' ? 'godtaget' : 'avvisat';
  if (decided.length === 1) {
    const d = decided[0]!;
    const what = d.kind === 'insertion' ? 'infoga' : d.kind === 'deletion' ? 'ta bort' : 'ändra formatering';
    return `Förslag ${verb} (${what} ”${quote(d.text)}”${d.authorName ? `, ${d.authorName}` : ''})`;
  }
  const sections = [...new Set(decided.map((d) => d.sectionTitle))];
  return `${decided.length} förslag ${decision === 'accept' ? 'godtagna' : 'avvisade'} (${quote(sections.join(', '), 80)})`;
}

export async function decideSuggestions(deps: SuggestionCommandDeps, user: CommandUser, agreementId: string, input: DecideSuggestionsInput): Promise<DecideSuggestionsResult> {
  checkInput(input);
  const pre = await loadSubject(deps.db, agreementId, user.id);
  authorize(pre.actor, 'suggestion.decide', pre.agreement);
  const actorParty = pre.actor.partyId;

  const wanted = input.suggestionIds ? new Set(input.suggestionIds) : null;
  const decided: Array<Omit<DecidedSuggestion, 'authorName'>> = [];
  let sectionMissing = false;
  let state: Uint8Array | undefined;
  const origin = serverOrigin('suggestion', { userId: user.id });
  await deps.sync.withDocument(
    agreementId,
    (doc) => {
      const sections = listSections(doc);
      const targets = input.sectionId ? sections.filter((s) => s.id === input.sectionId) : sections;
      if (input.sectionId && targets.length === 0) {
        sectionMissing = true;
        return;
      }
      const at = new Date().toISOString();
      for (const s of targets) {
        const fragment = getSectionBody(doc, s.id);
        const open = suggestionsInFragment(fragment).filter((x) => !wanted || wanted.has(x.id));
        if (open.length === 0) continue;
        const before = stableStringify(baseView(getSectionRichBody(doc, s.id)));
        // An id may carry several kinds (a replacement: deletion + insertion); decide each id once.
        for (const id of new Set(open.map((x) => x.id))) {
          if (input.decision === 'accept') acceptSuggestion(fragment, id, origin);
          else rejectSuggestion(fragment, id, origin);
        }
        for (const x of open) decided.push({ id: x.id, authorUserId: x.authorUserId, kind: x.kind, text: x.text, sectionId: s.id, sectionTitle: s.title });
        // The standing text changed: an agreement on the old text no longer holds.
        if (stableStringify(baseView(getSectionRichBody(doc, s.id))) !== before && Object.keys(getSectionMarks(doc, s.id).agreedBy).length > 0) {
          resetSectionAgreementOnEdit(doc, s.id, { partyId: actorParty, userId: user.id, userName: user.name, at });
        }
      }
      if (decided.length > 0) state = Y.encodeStateAsUpdate(doc);
    },
    origin,
  );
  if (sectionMissing) {
    throw new DomainError('not-found', 'section-not-found', 'No section with this id exists in the agreement; it may have been removed.', {
      messages: { sv: 'Avsnittet finns inte längre i överenskommelsen; någon kan ha tagit bort det. Ladda om sidan.', en: 'The section is no longer in the agreement; someone may have removed it. Reload the page.' },
    });
  }
  if (decided.length === 0) throw suggestionNotFound();

  const authorIds = [...new Set(decided.map((d) => d.authorUserId).filter((x): x is string => !!x))];
  const { result, outboxId } = await deps.db.transaction(async (tx) => {
    // The caller must still be a member (a removal may have committed meanwhile); the document change
    // above is recorded either way when they are.
    const { actor, agreement } = await loadSubject(tx, agreementId, user.id);
    authorize(actor, 'agreement.read', agreement);
    const names = authorIds.length
      ? await tx
          .select({ userId: agreementMembers.userId, name: users.name })
          .from(agreementMembers)
          .innerJoin(users, eq(users.id, agreementMembers.userId))
          .where(and(eq(agreementMembers.agreementId, agreementId), inArray(agreementMembers.userId, authorIds)))
      : [];
    const nameOf = new Map(names.map((n) => [n.userId, n.name]));
    const full: DecidedSuggestion[] = decided.map((d) => ({ ...d, authorName: (d.authorUserId && nameOf.get(d.authorUserId)) || '' }));
    await recordAudit(tx, {
      agreementId,
      type: input.decision === 'accept' ? 'suggestion.accepted' : 'suggestion.rejected',
      actor: { id: user.id, name: user.name },
      data: {
        suggestions: full.map((d) => ({ id: d.id, kind: d.kind, text: d.text, authorUserId: d.authorUserId, authorName: d.authorName, sectionId: d.sectionId, sectionTitle: d.sectionTitle })),
      },
    });
    const { version, outboxId } = await insertVersion(tx, user, agreementId, { name: versionName(input.decision, full).slice(0, MAX_VERSION_NAME), kind: 'named', state: state! });
    return { result: { decision: input.decision, decided: full, versionId: version.id }, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return result;
}
