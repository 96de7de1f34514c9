/**
 * Removing a party from an agreement: the explicit, audited way out for a party (the last editor of a
 * party cannot leave or be demoted on their own: commands/members.ts points here).
 *
 * authorize `party.remove` (an editor of that party, draft) → one transaction: refused (409) once
 * anyone has approved (an approval, even one voided since, is a statement about the text with every
 * party in it) and for the agreement's only party; otherwise the party's members, its pending
 * invitations (and pending new-party invitations its members created) and the party go, with an audit
 * row and outbox rows: sync effects (the party out of the live document, every removed member's
 * sockets and event streams re-checked: closed) and one `member.removed` event per member.
 */
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/service.ts';
import { agreementMembers, agreementParties, agreements, approvals, invitations, organisations, type SyncEffect } from '../db/schema/index.ts';
import { agreementNotFoundError, DomainError } from '../domain/errors.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { authorize } from '../policies/index.ts';
import { loadSubject } from '../policies/subject.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface PartyRemoved {
  partyId: string;
  /** The members who went with the party (user ids). */
  removedMembers: string[];
  /** Pending invitations withdrawn. */
  withdrawnInvitations: number;
}

const partyNotFound = () => new DomainError('not-found', 'party-not-found', 'This organisation is not a party to the agreement.', { field: 'partyId' });

function approvedAlready(): DomainError {
  const en =
    'Someone has already approved this agreement, so a party can no longer be removed: approvals are given on the text with every party in it. Agree with the other parties how to continue, or archive the agreement and start a new one.';
  const sv =
    'Någon har redan godkänt överenskommelsen, så en part kan inte längre tas bort: godkännanden gäller texten med alla parter i den. Kom överens med de andra parterna om hur ni går vidare, eller arkivera överenskommelsen och starta en ny.';
  return new DomainError('conflict', 'party-removal-after-approval', en, { messages: { sv, en } });
}

function onlyParty(): DomainError {
  const en = 'This is the only party of the agreement and cannot be removed; archive the agreement instead if it is no longer needed.';
  const sv = 'Detta är överenskommelsens enda part och kan inte tas bort; arkivera överenskommelsen i stället om den inte längre behövs.';
  return new DomainError('conflict', 'last-party', en, { messages: { sv, en } });
}

export async function removeParty(deps: CommandDeps, user: CommandUser, agreementId: string, partyId: string): Promise<PartyRemoved> {
  const { result, outboxIds } = await deps.db.transaction(async (tx) => {
    const { actor } = await loadSubject(tx, agreementId, user.id);
    if (!actor) throw agreementNotFoundError();
    // The agreement row locked: a lock, a second removal or an acceptance into this party waits for us.
    const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId)).for('update');
    if (!agreement) throw agreementNotFoundError();
    const parties = await tx
      .select({ id: agreementParties.organisationId, name: organisations.name })
      .from(agreementParties)
      .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
      .where(eq(agreementParties.agreementId, agreementId));
    const party = parties.find((p) => p.id === partyId);
    authorize(actor, 'party.remove', agreement, { partyId: party ? partyId : actor.partyId });
    if (!party) throw partyNotFound();
    const [given] = await tx.select({ n: sql<number>`count(*)::int` }).from(approvals).where(eq(approvals.agreementId, agreementId));
    if ((given?.n ?? 0) > 0) throw approvedAlready();
    if (parties.length <= 1) throw onlyParty();

    const members = await tx
      .select({ userId: agreementMembers.userId, role: agreementMembers.role })
      .from(agreementMembers)
      .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.partyId, partyId)));
    const userIds = members.map((m) => m.userId);
    const withdrawn = await tx
      .delete(invitations)
      .where(
        and(
          eq(invitations.agreementId, agreementId),
          isNull(invitations.acceptedAt),
          userIds.length > 0 ? or(eq(invitations.partyId, partyId), inArray(invitations.createdBy, userIds)) : eq(invitations.partyId, partyId),
        ),
      )
      .returning({ id: invitations.id });
    await tx.delete(agreementMembers).where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.partyId, partyId)));
    await tx.delete(agreementParties).where(and(eq(agreementParties.agreementId, agreementId), eq(agreementParties.organisationId, partyId)));
    await tx.update(agreements).set({ updatedAt: new Date() }).where(eq(agreements.id, agreementId));
    await recordAudit(tx, {
      agreementId,
      type: 'party.removed',
      actor: { id: user.id, name: user.name },
      data: { partyId, partyName: party.name, members: members.map((m) => ({ userId: m.userId, role: m.role })), withdrawnInvitations: withdrawn.length },
    });
    // Effects first (in id order): the document loses the party and the removed members' sockets and
    // streams close; then everyone's member list hears of each removal.
    const effects: SyncEffect[] = [{ kind: 'remove-party', partyId }, ...userIds.map((userId) => ({ kind: 'membership' as const, userId }))];
    const outboxIds = [await writeOutbox(tx, { agreementId, type: 'sync.effects', effects })];
    for (const userId of userIds) outboxIds.push(await writeOutbox(tx, { agreementId, type: 'member.removed', data: { userId, partyId } }));
    return { result: { partyId, removedMembers: userIds, withdrawnInvitations: withdrawn.length }, outboxIds };
  });
  await deps.outbox.deliver(outboxIds);
  return result;
}
