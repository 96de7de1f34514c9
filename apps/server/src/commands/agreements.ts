/**
 * Agreement commands: create (the caller's organisation becomes the first party, the caller its
 * editor), rename and archive/restore. authorize → one transaction (the write, the audit row, the
 * outbox row `agreement.updated` when something changed) → deliver → the agreement row and the
 * caller's membership, for the route to present.
 */
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/service.ts';
import { insertAgreement, type CreateAgreementInput } from '../agreements/service.ts';
import type { Membership } from '../agreements/membership.ts';
import { agreements } from '../db/schema/index.ts';
import { agreementNotFoundError, invalidFieldError } from '../domain/errors.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { authorize } from '../policies/index.ts';
import { loadSubject, type AgreementRow } from '../policies/subject.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface AgreementResult {
  agreement: AgreementRow;
  me: Membership;
}

export async function createAgreement(deps: Pick<CommandDeps, 'db'>, user: CommandUser, input: CreateAgreementInput): Promise<AgreementResult> {
  return deps.db.transaction(async (tx) => {
    const created = await insertAgreement(tx, user.id, input);
    await recordAudit(tx, {
      agreementId: created.id,
      type: 'agreement.created',
      actor: { id: user.id, name: user.name },
      data: { title: input.title, partyId: created.partyId, templateId: created.templateId, templateVersion: created.templateVersion },
    });
    const { actor, agreement } = await loadSubject(tx, created.id, user.id);
    if (!actor || !agreement) throw new Error('the new agreement has no creator membership');
    return { agreement, me: actor };
  });
}

export interface AgreementChange {
  title?: string;
  /** true: archive; false: restore from the archive. */
  archived?: boolean;
}

/** Rename (editors, draft: the title is part of the signed text) and/or archive or restore (editors). */
export async function updateAgreement(deps: CommandDeps, user: CommandUser, agreementId: string, change: AgreementChange): Promise<AgreementResult> {
  const { result, outboxIds } = await deps.db.transaction(async (tx) => {
    const { actor, agreement: before } = await loadSubject(tx, agreementId, user.id);
    authorize(actor, 'agreement.read', before); // 404 before anything about the body
    if (change.title === undefined && change.archived === undefined) {
      throw invalidFieldError('body', 'send title (to rename) and/or archived (true to archive, false to restore)');
    }
    const row = before!;
    const renaming = change.title !== undefined && change.title !== row.title;
    if (renaming) authorize(actor, 'agreement.rename', row);
    if (change.archived !== undefined || !renaming) authorize(actor, 'agreement.archive', row);
    const [updated] = await tx
      .update(agreements)
      .set({
        ...(renaming ? { title: change.title } : {}),
        ...(change.archived !== undefined ? { archivedAt: change.archived ? (row.archivedAt ?? new Date()) : null } : {}),
        updatedAt: new Date(),
      })
      .where(eq(agreements.id, agreementId))
      .returning();
    if (!updated) throw agreementNotFoundError();
    // Open agreement pages of every member refresh their header. Only what actually changed is sent
    // (and audited); a no-op (same title, same archived state) writes neither.
    const data: { agreementId: string; title?: string; archived?: boolean } = { agreementId };
    if (updated.title !== row.title) data.title = updated.title;
    if ((updated.archivedAt !== null) !== (row.archivedAt !== null)) data.archived = updated.archivedAt !== null;
    const outboxIds: number[] = [];
    const who = { id: user.id, name: user.name };
    if (data.title !== undefined) {
      await recordAudit(tx, { agreementId, type: 'agreement.renamed', actor: who, data: { from: row.title, to: updated.title } });
    }
    if (data.archived !== undefined) {
      await recordAudit(tx, { agreementId, type: data.archived ? 'agreement.archived' : 'agreement.restored', actor: who, data: {} });
    }
    if (data.title !== undefined || data.archived !== undefined) outboxIds.push(await writeOutbox(tx, { agreementId, type: 'agreement.updated', data }));
    return { result: { agreement: updated, me: actor! }, outboxIds };
  });
  await deps.outbox.deliver(outboxIds);
  return result;
}
