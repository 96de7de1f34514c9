/**
 * Approval commands: approve (signatories), lock as final version N when every party approved the same
 * hash, unlock (editors, with a reason), void approvals the document no longer matches. Lock and
 * unlock reach live sockets through the outbox row written in the same transaction.
 */
import { and, eq, inArray, isNull, max } from 'drizzle-orm';
import { getAgreementRow } from '../agreements/membership.ts';
import { currentContent } from '../approvals/content.ts';
import { approvalIsBlocked, openItems, type OpenItems } from '../approvals/open-items.ts';
import { signatoryMembers } from '../approvals/signatories.ts';
import { describeChange, type ChangeNote } from '../approvals/hash.ts';
import { finalVersionLabel } from '@overens/model';
import { revisionOf } from './revisions.ts';
import { approvalsCreated } from '../approvals/watcher.ts';
import { recordAudit, type AuditActor } from '../audit/service.ts';
import type { Db, Tx } from '../db/client.ts';
import { agreements, agreementVersions, approvals, finalVersions, users } from '../db/schema/index.ts';
import type { EventBus } from '../events/bus.ts';
import { agreementNotFound, ApiError, forbidden, invalidField } from '../http/problem.ts';
import type { Logger } from '../logger.ts';
import type { OutboxDispatcher } from '../outbox/dispatcher.ts';
import { enqueueMail } from '../mail/index.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { approvalRows, partiesOf, toFinalDto, type ApprovalDto, type FinalVersionDto } from '../queries/approvals.ts';
import type { SyncHub } from '../sync/hub-contract.ts';

export interface ApprovalDeps {
  db: Db;
  sync: SyncHub;
  events: EventBus;
  logger?: Logger;
  /** Delivers lock/unlock at once; without it the server's dispatcher picks the rows up when it polls. */
  outbox?: OutboxDispatcher;
}


export interface Approver {
  id: string;
  name: string;
  signatory: boolean;
  partyId: string;
}

function locked(): ApiError {
  return new ApiError(409, 'agreement-locked', 'Agreement locked', 'The agreement is locked as a final version; unlock it (with a reason) before approving again.');
}

/** What the person saw and approves: the hash shown in the confirmation; `link`: the agreement's absolute URL (for mails). */
export interface ApproveRequest {
  seenHash: string;
  link: string;
}

/** 409 `content-changed`: the text changed between the confirmation and the approval. */
export function contentChanged(currentHash: string): ApiError {
  return new ApiError(
    409,
    'content-changed',
    'The text changed since you looked',
    'The text changed since you looked: the agreement no longer has the checksum you approved. Read the changes and approve again.',
    [{ field: 'hash', message: 'is not the current checksum of the agreement; reload and approve again' }],
    undefined,
    { code: 'content-changed', currentHash },
  );
}

/** 409 `approval-blocked`: sections not agreed by every party, open suggestions and/or validation errors, all listed. */
export function approvalBlocked(open: OpenItems): ApiError {
  const parts: string[] = [];
  if (open.sectionsNotAgreed.length > 0) {
    parts.push(
      `${open.sectionsNotAgreed.length} section(s) not agreed by every party (${open.sectionsNotAgreed
        .slice(0, 5)
        .map((s) => `${s.title}: waiting for ${s.missing.map((m) => m.name).join(', ')}`)
        .join('; ')})`,
    );
  }
  if (open.openSuggestions.length > 0) {
    const n = open.openSuggestions.reduce((sum, s) => sum + s.count, 0);
    parts.push(`${n} open suggestion(s) (${open.openSuggestions.slice(0, 5).map((s) => `${s.title}: ${s.count}`).join('; ')})`);
  }
  if (open.errors.length > 0) parts.push(`${open.errors.length} validation error(s) (${open.errors.slice(0, 3).map((f) => f.message.en).join(' ')})`);
  return new ApiError(
    409,
    'approval-blocked',
    'The agreement cannot be approved yet',
    `Approving is not possible while there are ${parts.join(' and ')}. Accept or reject every suggestion, have every party mark each section agreed and fix the errors, then approve.`,
    [
      ...open.sectionsNotAgreed.map((s) => ({ field: `sections.${s.id}`, message: `${s.title}: not agreed by ${s.missing.map((m) => m.name).join(', ')}` })),
      ...open.openSuggestions.map((s) => ({ field: `sections.${s.sectionId}.suggestions`, message: `${s.title}: ${s.count} öppna förslag att godta eller avvisa` })),
      ...open.errors.map((f) => ({ field: f.ruleId, message: f.message.sv })),
    ],
    undefined,
    { code: 'approval-blocked', sectionsNotAgreed: open.sectionsNotAgreed, openSuggestions: open.openSuggestions, findings: open.errors },
  );
}

/**
 * Approve the current content for signing: only the text the person saw (`seenHash`, else 409
 * content-changed), only when every section is agreed by every party and validation has no errors
 * (else 409 approval-blocked, listing them). The approval row records the person, their title and
 * party; the other parties' signatories who have not approved get an `approval-requested` mail (queued in
 * the same transaction). Returns the approval and whether the agreement locked.
 */
export async function approve(
  deps: ApprovalDeps,
  agreementId: string,
  user: Approver,
  request: ApproveRequest,
): Promise<{ approval: ApprovalDto; lockedAs: FinalVersionDto | null }> {
  // Who may approve is the policy's `approval.give` (the route authorizes); here: the state at this moment.
  const agreement = await getAgreementRow(deps.db, agreementId);
  if (!agreement) throw agreementNotFound();
  if (agreement.status === 'locked') throw locked();
  const content = await currentContent(deps, agreementId);
  if (content.hash !== request.seenHash) throw contentChanged(content.hash);
  const parties = await partiesOf(deps.db, agreementId);
  const open = await openItems(deps.db, agreementId, content, parties);
  if (approvalIsBlocked(open)) throw approvalBlocked(open);
  const partyName = parties.find((p) => p.partyId === user.partyId)?.name ?? '';

  const actor: AuditActor = { id: user.id, name: user.name };
  const { approval, outboxId } = await deps.db.transaction(async (tx) => {
    const id = await approveIn(tx);
    const [approval] = (await approvalRows(tx, agreementId, true)).filter((a) => a.id === id);
    return { approval: approval!, outboxId: await writeOutbox(tx, { agreementId, type: 'approval.given', data: { approval: approval! } }) };
  });
  async function approveIn(tx: Tx): Promise<string> {
    // One active approval per person: approving again replaces an older one (which can only be of another hash).
    const [existing] = await tx
      .select({ id: approvals.id, hash: approvals.hash })
      .from(approvals)
      .where(and(eq(approvals.agreementId, agreementId), eq(approvals.userId, user.id), isNull(approvals.voidedAt)));
    if (existing?.hash === content.hash) return existing.id;
    if (existing) {
      await tx
        .update(approvals)
        .set({ voidedAt: new Date(), voidReason: 'changed', voidedById: user.id, voidedByName: user.name, voidedChange: { replacedBy: 'new approval' } })
        .where(eq(approvals.id, existing.id));
    }
    const [me] = await tx.select({ name: users.name, title: users.title }).from(users).where(eq(users.id, user.id));
    const name = me?.name ?? user.name;
    const title = me?.title ?? '';
    const [row] = await tx
      .insert(approvals)
      .values({ agreementId, userId: user.id, userName: name, userTitle: title, partyId: user.partyId, hash: content.hash, canonical: content.canonical })
      .returning({ id: approvals.id });
    await recordAudit(tx, {
      agreementId,
      type: 'approval.given',
      actor,
      data: { approvalId: row!.id, partyId: user.partyId, partyName, userTitle: title, hash: content.hash },
    });
    await requestApprovals(tx, name, partyName);
    return row!.id;
  }
  /** "Your approval is requested" to the other parties' signatories who have not approved this text. */
  async function requestApprovals(tx: Tx, requestedBy: string, byParty: string): Promise<void> {
    const approvedBy = new Set(
      (
        await tx
          .select({ userId: approvals.userId })
          .from(approvals)
          .where(and(eq(approvals.agreementId, agreementId), isNull(approvals.voidedAt), eq(approvals.hash, content.hash)))
      ).map((r) => r.userId),
    );
    const signatories = await signatoryMembers(tx, agreementId);
    for (const p of parties) {
      if (p.partyId === user.partyId) continue;
      for (const s of signatories[p.partyId] ?? []) {
        if (approvedBy.has(s.userId)) continue;
        await enqueueMail(tx, {
          kind: 'approval-requested',
          to: s.email,
          agreementTitle: agreement!.title,
          partyName: p.name,
          requestedBy: byParty ? `${requestedBy} (${byParty})` : requestedBy,
          link: request.link,
        });
      }
    }
  }
  // Watchers in this process may have cached "no active approvals" for this agreement: not any more.
  approvalsCreated(deps.events, agreementId);
  await deps.outbox?.deliver([outboxId]);

  // An edit may have landed between hashing and inserting: check again (voids if so), then try to lock.
  await voidStaleApprovals(deps, agreementId, []);
  const lockedAs = await lockIfComplete(deps, agreementId);
  return { approval: approval!, lockedAs };
}

/** Locks the agreement as final version N when every party has an active approval of the current hash. */
export async function lockIfComplete(deps: ApprovalDeps, agreementId: string): Promise<FinalVersionDto | null> {
  const content = await currentContent(deps, agreementId);
  const parties = await partiesOf(deps.db, agreementId);
  const result = await deps.db.transaction(async (tx) => {
    const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId)).for('update');
    if (!agreement || agreement.status === 'locked') return null;
    const active = await tx
      .select({ partyId: approvals.partyId })
      .from(approvals)
      .where(and(eq(approvals.agreementId, agreementId), isNull(approvals.voidedAt), eq(approvals.hash, content.hash)));
    const approved = new Set(active.map((a) => a.partyId));
    if (parties.length === 0 || !parties.every((p) => approved.has(p.partyId))) return null;
    const [last] = await tx.select({ n: max(finalVersions.number) }).from(finalVersions).where(eq(finalVersions.agreementId, agreementId));
    const number = (last?.n ?? 0) + 1;
    // A revision (commands/revisions.ts) locks as "Tillägg N" / "Förlängning N" of the version it amends.
    const revision = revisionOf(agreement);
    const label = finalVersionLabel({ kind: revision?.kind ?? 'original', number, revisionNumber: revision?.number ?? null });
    const [version] = await tx
      .insert(agreementVersions)
      .values({ agreementId, name: revision ? `${label} (slutlig version ${number})` : label, kind: 'named', state: content.state, createdBy: null })
      .returning({ id: agreementVersions.id });
    const [fv] = await tx
      .insert(finalVersions)
      .values({ agreementId, number, hash: content.hash, versionId: version!.id, kind: revision?.kind ?? 'original', revisionNumber: revision?.number ?? null, amends: revision?.basedOnVersion ?? null })
      .returning();
    await tx.update(agreements).set({ status: 'locked', finalVersionId: version!.id, updatedAt: new Date() }).where(eq(agreements.id, agreementId));
    await recordAudit(tx, {
      agreementId,
      type: 'agreement.locked',
      actor: null,
      data: { finalVersionId: fv!.id, versionId: version!.id, number, hash: content.hash, parties: parties.map((p) => p.partyId) },
    });
    const finalVersion = toFinalDto(fv!);
    // Live sockets turn read-only through this row: delivered after commit, retried, resumed after a crash.
    const outboxId = await writeOutbox(tx, { agreementId, type: 'agreement.locked', data: { finalVersion }, effects: [{ kind: 'lock' }] });
    return { finalVersion, outboxId };
  });
  if (!result) return null;
  await deps.outbox?.deliver([result.outboxId]);
  const lockedAs = result.finalVersion;
  // An edit that slipped in before the lock took effect means the final version is not what is live:
  // say so and unlock rather than sign something else than what was approved.
  const after = await currentContent(deps, agreementId);
  if (after.hash !== lockedAs.hash) {
    await unlockQuietly(deps, agreementId, null, 'Dokumentet ändrades medan det låstes; godkännandena gäller inte längre.');
    return null;
  }
  return lockedAs;
}

/** Unlock a locked agreement (editor of any party, with a reason); voids every approval. */
export async function unlock(deps: ApprovalDeps, agreementId: string, actor: AuditActor | null, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw invalidField('reason', 'must not be empty: say why the final version is reopened');
  const done = await deps.db.transaction(async (tx) => {
    const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId)).for('update');
    if (!agreement) throw agreementNotFound();
    if (agreement.status !== 'locked') {
      throw new ApiError(409, 'agreement-not-locked', 'Agreement not locked', 'The agreement is not locked; there is nothing to unlock.');
    }
    const now = new Date();
    const [fv] = await tx
      .update(finalVersions)
      .set({ unlockedAt: now, unlockedById: actor?.id ?? null, unlockedByName: actor?.name ?? null, unlockReason: why })
      // Only the version in force: an earlier signed version that a revision amends stays signed.
      .where(and(eq(finalVersions.agreementId, agreementId), isNull(finalVersions.unlockedAt), agreement.finalVersionId ? eq(finalVersions.versionId, agreement.finalVersionId) : undefined))
      .returning();
    const voided = await tx
      .update(approvals)
      .set({ voidedAt: now, voidReason: 'unlocked', voidedById: actor?.id ?? null, voidedByName: actor?.name ?? null, voidedChange: { reason: why } })
      .where(and(eq(approvals.agreementId, agreementId), isNull(approvals.voidedAt)))
      .returning({ id: approvals.id, userName: approvals.userName });
    await tx.update(agreements).set({ status: 'draft', finalVersionId: null, updatedAt: now }).where(eq(agreements.id, agreementId));
    await recordAudit(tx, { agreementId, type: 'agreement.unlocked', actor, data: { reason: why, number: fv?.number ?? null, finalVersionId: fv?.id ?? null } });
    if (voided.length > 0) {
      await recordAudit(tx, {
        agreementId,
        type: 'approval.voided',
        actor,
        data: { reason: 'unlocked', unlockReason: why, approvals: voided.map((v) => ({ id: v.id, userName: v.userName })) },
      });
    }
    const ids = [
      await writeOutbox(tx, { agreementId, type: 'agreement.unlocked', data: { by: actor, reason: why, number: fv?.number ?? null }, effects: [{ kind: 'lock' }] }),
    ];
    if (voided.length > 0) ids.push(await writeOutbox(tx, { agreementId, type: 'approval.voided', data: { reason: 'unlocked', by: actor, note: why } }));
    return ids;
  });
  await deps.outbox?.deliver(done);
}

/** Unlock from inside the server; "not locked" (someone else got there first) is fine. */
async function unlockQuietly(deps: ApprovalDeps, agreementId: string, actor: AuditActor | null, reason: string): Promise<void> {
  try {
    await unlock(deps, agreementId, actor, reason);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
  }
}

/* ----- voiding on change ----- */

/**
 * Voids every active approval whose hash is no longer the document's, recording who changed (the user
 * ids seen in the changes since the last check) and what changed. Returns how many were voided.
 */
export async function voidStaleApprovals(deps: ApprovalDeps, agreementId: string, changedBy: readonly string[]): Promise<number> {
  return (await checkApprovals(deps, agreementId, changedBy)).voided;
}

/** Which of these agreements have active (not voided) approvals: one query for many (the watcher's cache renewal). */
export async function agreementsWithActiveApprovals(db: Db, agreementIds: readonly string[]): Promise<Set<string>> {
  if (agreementIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ agreementId: approvals.agreementId })
    .from(approvals)
    .where(and(inArray(approvals.agreementId, [...agreementIds]), isNull(approvals.voidedAt)));
  return new Set(rows.map((r) => r.agreementId));
}

/** voidStaleApprovals, also saying how many approvals were active when it looked. */
export async function checkApprovals(deps: ApprovalDeps, agreementId: string, changedBy: readonly string[]): Promise<{ active: number; voided: number }> {
  const active = await deps.db
    .select({ id: approvals.id, hash: approvals.hash, canonical: approvals.canonical, userName: approvals.userName })
    .from(approvals)
    .where(and(eq(approvals.agreementId, agreementId), isNull(approvals.voidedAt)));
  if (active.length === 0) return { active: 0, voided: 0 };
  // Only now hash the document (reading it brings the server's copy up to date: not per keystroke).
  const content = await currentContent(deps, agreementId);
  const stale = active.filter((a) => a.hash !== content.hash);
  if (stale.length === 0) return { active: active.length, voided: 0 };

  const names = changedBy.length
    ? await deps.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...new Set(changedBy)]))
    : [];
  const who = names.map((n) => ({ id: n.id, name: n.name }));
  const changes: ChangeNote[] = describeChange(stale[0]!.canonical, content.canonical);
  const by = who[0] ?? null;
  const change = { changedBy: who, changes, newHash: content.hash };
  const agreement = await getAgreementRow(deps.db, agreementId);

  const voidedTx = await deps.db.transaction(async (tx) => {
    const rows = await tx
      .update(approvals)
      .set({ voidedAt: new Date(), voidReason: 'changed', voidedById: by?.id ?? null, voidedByName: by?.name ?? null, voidedChange: change })
      .where(and(inArray(approvals.id, stale.map((s) => s.id)), isNull(approvals.voidedAt)))
      .returning({ id: approvals.id, userName: approvals.userName, hash: approvals.hash });
    if (rows.length > 0) {
      await recordAudit(tx, {
        agreementId,
        type: 'approval.voided',
        actor: by,
        data: { reason: 'changed', ...change, approvals: rows.map((r) => ({ id: r.id, userName: r.userName, hash: r.hash })) },
      });
      const outboxId = await writeOutbox(tx, { agreementId, type: 'approval.voided', data: { reason: 'changed', ...change, approvals: rows.map((r) => r.id) } });
      return { rows, outboxIds: [outboxId] };
    }
    return { rows, outboxIds: [] as number[] };
  });
  await deps.outbox?.deliver(voidedTx.outboxIds);
  const voided = voidedTx.rows;
  if (voided.length > 0) {
    deps.logger?.info({ agreementId, voided: voided.length, by: by?.id }, 'approvals voided by a change');
  }
  // A change that reached a locked agreement (server-side edits are not refused) reopens it.
  if (agreement?.status === 'locked') {
    const [fv] = agreement.finalVersionId
      ? await deps.db.select().from(finalVersions).where(and(eq(finalVersions.agreementId, agreementId), isNull(finalVersions.unlockedAt), eq(finalVersions.versionId, agreement.finalVersionId)))
      : [];
    if (fv && fv.hash !== content.hash) await unlockQuietly(deps, agreementId, by, 'Dokumentet ändrades efter låsningen.');
  }
  return { active: active.length, voided: voided.length };
}


