/**
 * Member commands: change a member's role or signatory flag, remove a member (or leave).
 * authorize → one transaction (the write, the audit row, the outbox row) → deliver the outbox row.
 * A party never loses its last editor: someone has to be able to act, comment, approve and manage it.
 */
import { and, eq } from 'drizzle-orm';
import { getMembership, type Membership } from '../agreements/membership.ts';
import { recordAudit } from '../audit/service.ts';
import type { Db, Tx } from '../db/client.ts';
import { agreementMembers, agreements, users, type MemberRole } from '../db/schema/index.ts';
import { reconcileSignatories, reconcileSignatoriesOfUser } from '../approvals/signatories.ts';
import type { Logger } from '../logger.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import type { OutboxDispatcher } from '../outbox/dispatcher.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { agreementNotFoundError, DomainError } from '../domain/errors.ts';
import { authorize } from '../policies/index.ts';

export interface CommandDeps {
  db: Db;
  outbox: OutboxDispatcher;
}

/** Member and invitation commands: with `sync`, signatory changes reach the document's signatory rows after the commit (approvals/signatories.ts). */
export interface MemberCommandDeps extends CommandDeps {
  sync?: Pick<SyncHub, 'withDocument'>;
  logger?: Logger;
}

export interface CommandUser {
  id: string;
  name: string;
}

const memberNotFound = () => new DomainError('not-found', 'not-found', 'This user is not a member of the agreement.');

/** The editors of one party, locked for the rest of the transaction (two demotions cannot both pass). */
async function partyEditors(tx: Tx, agreementId: string, partyId: string): Promise<number> {
  const rows = await tx
    .select({ userId: agreementMembers.userId })
    .from(agreementMembers)
    .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.partyId, partyId), eq(agreementMembers.role, 'editor')))
    .for('update');
  return rows.length;
}

function lastEditor(field: string, leaving: boolean): DomainError {
  const en = leaving
    ? 'You are the last editor of your party: invite another editor of your organisation (or make a member editor) first, then leave. Or remove your party from the agreement as a whole (Members → Remove party; DELETE /api/agreements/:id/parties/:partyId), which is possible until anyone has approved.'
    : 'This is the last editor of the party: make another member of the party editor (or invite one) first, then change this role.';
  const sv = leaving
    ? 'Du är din parts sista redaktör: bjud in en redaktör till från din organisation (eller gör en medlem till redaktör) först och lämna sedan. Eller ta bort din part ur överenskommelsen i sin helhet (Medlemmar → Ta bort part), vilket går tills någon har godkänt.'
    : 'Detta är partens sista redaktör: gör en annan medlem av parten till redaktör (eller bjud in en) först och ändra sedan rollen.';
  return new DomainError('conflict', 'last-editor', en, { field, messages: { sv, en } });
}

async function loadActor(tx: Tx, agreementId: string, userId: string) {
  const [agreement] = await tx.select({ status: agreements.status }).from(agreements).where(eq(agreements.id, agreementId));
  const actor = await getMembership(tx, agreementId, userId);
  if (!agreement || !actor) throw agreementNotFoundError();
  return { agreement, actor };
}

export async function changeMemberRole(
  deps: MemberCommandDeps,
  user: CommandUser,
  agreementId: string,
  targetUserId: string,
  change: { role?: MemberRole; signatory?: boolean; title?: string },
): Promise<Membership> {
  const managing = change.role !== undefined || change.signatory !== undefined;
  const { target, outboxId } = await deps.db.transaction(async (tx) => {
    const { agreement, actor } = await loadActor(tx, agreementId, user.id);
    if (change.title !== undefined && targetUserId !== user.id) {
      throw new DomainError('forbidden', 'forbidden', 'Your title (befattning) is yours to set: only the person themselves can change it.', {
        field: 'title',
        messages: { sv: 'Titeln (befattningen) ändrar var och en själv.', en: 'Your title (befattning) is yours to set: only the person themselves can change it.' },
      });
    }
    if (managing) authorize(actor, 'member.manage', agreement, { partyId: actor.partyId }); // role check before revealing members
    const target = await getMembership(tx, agreementId, targetUserId);
    if (!target) throw memberNotFound();
    if (managing) authorize(actor, 'member.manage', agreement, { partyId: target.partyId, userId: target.userId });
    if (change.title !== undefined) await tx.update(users).set({ title: change.title.trim() }).where(eq(users.id, targetUserId));
    if (change.role !== undefined && change.role !== 'editor' && target.role === 'editor') {
      if ((await partyEditors(tx, agreementId, target.partyId)) <= 1) throw lastEditor('role', false);
    }
    await tx
      .update(agreementMembers)
      .set({ ...(change.role !== undefined ? { role: change.role } : {}), ...(change.signatory !== undefined ? { signatory: change.signatory } : {}) })
      .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.userId, targetUserId)));
    await recordAudit(tx, {
      agreementId,
      type: 'member.role_changed',
      actor: { id: user.id, name: user.name },
      data: {
        userId: targetUserId,
        partyId: target.partyId,
        from: { role: target.role, signatory: target.signatory },
        to: { role: change.role ?? target.role, signatory: change.signatory ?? target.signatory },
        ...(change.title !== undefined ? { title: change.title.trim() } : {}),
      },
    });
    const outboxId = await writeOutbox(tx, {
      agreementId,
      type: 'member.updated',
      data: { userId: targetUserId, partyId: target.partyId },
      effects: [{ kind: 'membership', userId: targetUserId }],
    });
    return { target, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  // The party's signatories in the document follow (name and title printed in the signature block).
  if (deps.sync) {
    if (change.title !== undefined) await reconcileSignatoriesOfUser({ db: deps.db, sync: deps.sync, logger: deps.logger }, targetUserId);
    else if (change.signatory !== undefined) await reconcileSignatories({ db: deps.db, sync: deps.sync, logger: deps.logger }, agreementId);
  }
  return { ...target, role: change.role ?? target.role, signatory: change.signatory ?? target.signatory };
}

export async function removeMember(deps: MemberCommandDeps, user: CommandUser, agreementId: string, targetUserId: string): Promise<void> {
  const leaving = targetUserId === user.id;
  const outboxId = await deps.db.transaction(async (tx) => {
    const { agreement, actor } = await loadActor(tx, agreementId, user.id);
    if (!leaving) authorize(actor, 'member.manage', agreement, { partyId: actor.partyId });
    const target = await getMembership(tx, agreementId, targetUserId);
    if (!target) throw memberNotFound();
    authorize(actor, leaving ? 'member.leave' : 'member.manage', agreement, { partyId: target.partyId, userId: target.userId });
    if (target.role === 'editor' && (await partyEditors(tx, agreementId, target.partyId)) <= 1) throw lastEditor('userId', leaving);
    await tx.delete(agreementMembers).where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.userId, targetUserId)));
    await recordAudit(tx, {
      agreementId,
      type: 'member.removed',
      actor: { id: user.id, name: user.name },
      data: { userId: targetUserId, partyId: target.partyId, role: target.role, left: leaving },
    });
    return writeOutbox(tx, {
      agreementId,
      type: 'member.removed',
      data: { userId: targetUserId, partyId: target.partyId },
      effects: [{ kind: 'membership', userId: targetUserId }],
    });
  });
  await deps.outbox.deliver([outboxId]);
  if (deps.sync) await reconcileSignatories({ db: deps.db, sync: deps.sync, logger: deps.logger }, agreementId);
}
