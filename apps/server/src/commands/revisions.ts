/**
 * Amendments and renewals (issue 17, "Ändra eller förläng"): an editor reopens a signed (locked)
 * agreement as a draft that begins as the signed text. Unlike `unlock`, the signed final version stays
 * in force and unchanged (its row, snapshot, hash and PDF); approvals start over; locking again gives
 * final version N+1 labelled "Tillägg 1" / "Förlängning 1" (commands/approvals.ts lockIfComplete reads
 * the revision from the agreement row). One transaction: the agreement row, the voided approvals, the
 * audit row and the outbox rows (sockets turn writable through the `lock` effect).
 */
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import type { RevisionPayload } from '@overens/contracts';
import { finalVersionLabel } from '@overens/model';
import { recordAudit } from '../audit/service.ts';
import type { DbOrTx } from '../db/client.ts';
import { agreements, approvals, finalVersions, type RevisionKind } from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { authorize } from '../policies/index.ts';
import { loadSubject, type AgreementRow } from '../policies/subject.ts';
import type { CommandDeps, CommandUser } from './members.ts';

/** The revision being drafted (a draft that started from a signed version), else null. */
export function revisionOf(a: Pick<AgreementRow, 'status' | 'revisionKind' | 'revisionNumber' | 'revisionBasedOn'>): RevisionPayload | null {
  if (a.status !== 'draft' || !a.revisionKind || a.revisionNumber == null || a.revisionBasedOn == null) return null;
  return { kind: a.revisionKind, number: a.revisionNumber, basedOnVersion: a.revisionBasedOn };
}

export async function startRevision(deps: CommandDeps, user: CommandUser, agreementId: string, kind: RevisionKind): Promise<RevisionPayload> {
  const actor = { id: user.id, name: user.name };
  const { revision, outboxIds } = await deps.db.transaction(async (tx) => {
    await tx.select({ id: agreements.id }).from(agreements).where(eq(agreements.id, agreementId)).for('update');
    const { actor: member, agreement } = await loadSubject(tx, agreementId, user.id);
    authorize(member, 'revision.start', agreement);
    const versionId = agreement!.finalVersionId;
    const [signed] = versionId
      ? await tx
          .select()
          .from(finalVersions)
          .where(and(eq(finalVersions.agreementId, agreementId), isNull(finalVersions.unlockedAt), eq(finalVersions.versionId, versionId)))
      : [];
    if (!signed) throw new DomainError('conflict', 'not-signed', 'The agreement has no signed final version to amend.');
    const [done] = await tx
      .select({ n: count() })
      .from(finalVersions)
      .where(and(eq(finalVersions.agreementId, agreementId), eq(finalVersions.kind, kind), isNull(finalVersions.unlockedAt)));
    const revision: RevisionPayload = { kind, number: (done?.n ?? 0) + 1, basedOnVersion: signed.number };
    const now = new Date();
    await tx
      .update(agreements)
      .set({ status: 'draft', finalVersionId: null, revisionKind: kind, revisionNumber: revision.number, revisionBasedOn: signed.number, updatedAt: now })
      .where(eq(agreements.id, agreementId));
    const label = finalVersionLabel({ kind, number: signed.number + 1, revisionNumber: revision.number });
    const note = `${label} påbörjat: ändringar i slutlig version ${signed.number} (${finalVersionLabel(signed)}) godkänns på nytt.`;
    // Approvals were of the signed text; the amendment is approved anew.
    const voided = await tx
      .update(approvals)
      .set({ voidedAt: now, voidReason: 'unlocked', voidedById: user.id, voidedByName: user.name, voidedChange: { reason: note, revision } })
      .where(and(eq(approvals.agreementId, agreementId), isNull(approvals.voidedAt)))
      .returning({ id: approvals.id, userName: approvals.userName });
    await recordAudit(tx, {
      agreementId,
      type: 'revision.started',
      actor,
      data: { ...revision, basedOnFinalVersionId: signed.id, basedOnHash: signed.hash, voidedApprovals: voided.map((v) => v.id) },
    });
    const outboxIds = [
      await writeOutbox(tx, { agreementId, type: 'revision.started', data: { revision }, effects: [{ kind: 'lock' }] }),
      // Open pages refresh status and approvals as after an unlock; the signed version is not unlocked.
      await writeOutbox(tx, { agreementId, type: 'agreement.unlocked', data: { by: actor, reason: note, number: null } }),
    ];
    if (voided.length > 0) outboxIds.push(await writeOutbox(tx, { agreementId, type: 'approval.voided', data: { reason: 'unlocked', by: actor, note } }));
    return { revision, outboxIds };
  });
  await deps.outbox.deliver(outboxIds);
  return revision;
}

export interface FinalVersionChainItem {
  number: number;
  kind: 'original' | 'amendment' | 'renewal';
  label: string;
  hash: string;
  lockedAt: string;
  amends: number | null;
}

/** The signed final versions (not unlocked) of agreements, oldest first, by agreement id. */
export async function finalVersionChains(db: DbOrTx, agreementIds: string[]): Promise<Map<string, FinalVersionChainItem[]>> {
  const out = new Map<string, FinalVersionChainItem[]>();
  if (agreementIds.length === 0) return out;
  const rows = await db
    .select()
    .from(finalVersions)
    .where(and(inArray(finalVersions.agreementId, agreementIds), isNull(finalVersions.unlockedAt)))
    .orderBy(asc(finalVersions.number));
  for (const r of rows) {
    const list = out.get(r.agreementId) ?? [];
    list.push({ number: r.number, kind: r.kind, label: finalVersionLabel(r), hash: r.hash, lockedAt: r.lockedAt.toISOString(), amends: r.amends });
    out.set(r.agreementId, list);
  }
  return out;
}

/**
 * How an export names a version of a revised agreement: a final version's label ("Tillägg 1") and the
 * signed version it amends (title, label, number, hash); for the live draft of a revision in progress,
 * the version it will amend. Null `amends` for an original.
 */
export async function amendmentOf(
  db: DbOrTx,
  agreement: AgreementRow,
  finalVersionNumber: number | null,
): Promise<{ label: string | null; amends: { title: string; versionLabel: string; versionNumber: number; hash: string } | null }> {
  let basedOn: number | null;
  let label: string | null = null;
  if (finalVersionNumber != null) {
    const [fv] = await db.select().from(finalVersions).where(and(eq(finalVersions.agreementId, agreement.id), eq(finalVersions.number, finalVersionNumber)));
    if (!fv) return { label: null, amends: null };
    label = fv.kind === 'original' ? null : finalVersionLabel(fv);
    basedOn = fv.amends;
  } else {
    basedOn = revisionOf(agreement)?.basedOnVersion ?? null;
  }
  if (basedOn == null) return { label, amends: null };
  const [base] = await db.select().from(finalVersions).where(and(eq(finalVersions.agreementId, agreement.id), eq(finalVersions.number, basedOn)));
  if (!base) return { label, amends: null };
  return { label, amends: { title: agreement.title, versionLabel: finalVersionLabel(base), versionNumber: base.number, hash: base.hash } };
}
