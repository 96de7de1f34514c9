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
import { authorizeOn, loadSubject, type AgreementRow } from '../policies/subject.ts';
import { currentContent } from '../approvals/content.ts';
import { toFinalDto } from '../queries/approvals.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
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

/**
 * Withdraw the amendment or renewal being drafted: the agreement is locked again as the signed version
 * it started from, which was never unlocked. Only while the draft's text is still exactly the signed
 * text (409 `revision-changed` otherwise: restore the signed version from the version history first,
 * so nothing anyone wrote is thrown away without a trace). Approvals given meanwhile are voided.
 */
export async function withdrawRevision(deps: CommandDeps & { sync: SyncHub }, user: CommandUser, agreementId: string): Promise<FinalVersionChainItem> {
  await authorizeOn(deps.db, agreementId, user.id, 'revision.withdraw');
  const content = await currentContent(deps, agreementId);
  const actor = { id: user.id, name: user.name };
  const { item, outboxIds } = await deps.db.transaction(async (tx) => {
    await tx.select({ id: agreements.id }).from(agreements).where(eq(agreements.id, agreementId)).for('update');
    const { actor: member, agreement } = await loadSubject(tx, agreementId, user.id);
    authorize(member, 'revision.withdraw', agreement);
    const revision = revisionOf(agreement!);
    if (!revision) {
      throw new DomainError('conflict', 'no-revision', 'No amendment or renewal is being drafted: there is nothing to withdraw.', {
        messages: { sv: 'Inget tillägg och ingen förlängning är under arbete, så det finns inget att dra tillbaka.', en: 'No amendment or renewal is being drafted: there is nothing to withdraw.' },
      });
    }
    const [signed] = await tx
      .select()
      .from(finalVersions)
      .where(and(eq(finalVersions.agreementId, agreementId), eq(finalVersions.number, revision.basedOnVersion), isNull(finalVersions.unlockedAt)));
    if (!signed) {
      throw new DomainError('conflict', 'not-signed', 'The signed version this revision started from is no longer in force.', {
        messages: { sv: 'Den signerade versionen som ändringen utgick från gäller inte längre.', en: 'The signed version this revision started from is no longer in force.' },
      });
    }
    if (signed.hash !== content.hash) {
      throw new DomainError('conflict', 'revision-changed', `The draft differs from ${finalVersionLabel(signed)}: restore that version from the version history first, then withdraw.`, {
        messages: {
          sv: `Utkastet skiljer sig från ${finalVersionLabel(signed)}. Återställ den versionen i versionshistoriken först och dra sedan tillbaka ändringen.`,
          en: `The draft differs from ${finalVersionLabel(signed, 'en')}. Restore that version from the version history first, then withdraw.`,
        },
      });
    }
    const now = new Date();
    await tx
      .update(agreements)
      .set({ status: 'locked', finalVersionId: signed.versionId, revisionKind: null, revisionNumber: null, revisionBasedOn: null, updatedAt: now })
      .where(eq(agreements.id, agreementId));
    const note = `${finalVersionLabel({ kind: revision.kind, number: signed.number + 1, revisionNumber: revision.number })} drogs tillbaka; ${finalVersionLabel(signed)} gäller.`;
    await tx
      .update(approvals)
      .set({ voidedAt: now, voidReason: 'unlocked', voidedById: user.id, voidedByName: user.name, voidedChange: { reason: note, revision } })
      .where(and(eq(approvals.agreementId, agreementId), isNull(approvals.voidedAt)));
    await recordAudit(tx, { agreementId, type: 'revision.withdrawn', actor, data: { ...revision, finalVersionId: signed.id, hash: signed.hash } });
    const outboxIds = [await writeOutbox(tx, { agreementId, type: 'agreement.locked', data: { finalVersion: toFinalDto(signed) }, effects: [{ kind: 'lock' }] })];
    const item: FinalVersionChainItem = { number: signed.number, kind: signed.kind, label: finalVersionLabel(signed), hash: signed.hash, lockedAt: signed.lockedAt.toISOString(), amends: signed.amends };
    return { item, outboxIds };
  });
  await deps.outbox.deliver(outboxIds);
  return item;
}
