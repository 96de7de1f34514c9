/**
 * Approval for signing, voiding on change, locking as final version N, unlocking.
 *
 * - A member with the signatory flag approves the agreement as it is now: the approval stores the
 *   SHA-256 of canonicalSerialize(snapshot) (and the serialisation itself, to describe later changes).
 *   Refused (422, listing the findings) while validation has errors.
 * - Any change of the document that changes that hash voids every active approval, recording who
 *   changed what (startApprovalWatcher subscribes to the sync hub's onDocumentChanged).
 * - When every party has an active approval of the same hash, the agreement locks as final version N:
 *   the state is stored as a version, agreements.status = 'locked', hub.setLocked() makes the sync
 *   endpoint refuse updates (comments still work).
 * - An editor of any party can unlock with a reason; that voids the approvals.
 */
import { and, asc, desc, eq, inArray, isNull, max } from 'drizzle-orm';
import * as Y from 'yjs';
import { snapshotAgreement, validateAgreement, type AgreementSnapshot, type Finding, type Template } from '@overens/model';
import { getAgreementRow } from '../agreements/membership.ts';
import { recordAudit, type AuditActor } from '../audit/service.ts';
import type { Db } from '../db/client.ts';
import { agreementParties, agreements, agreementVersions, approvals, finalVersions, organisations, users } from '../db/schema/index.ts';
import type { EventBus } from '../events/bus.ts';
import { agreementNotFound, ApiError, forbidden, invalidField } from '../http/problem.ts';
import type { Logger } from '../logger.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import { loadTemplate } from '../templates/service.ts';
import { contentHash, describeChange, type ChangeNote } from './hash.ts';

export interface ApprovalDeps {
  db: Db;
  sync: SyncHub;
  events: EventBus;
  logger?: Logger;
}

export interface CurrentContent {
  snapshot: AgreementSnapshot;
  template: Template;
  canonical: string;
  hash: string;
  /** Full Yjs state of exactly what was hashed (stored as the final version when locking). */
  state: Uint8Array;
  findings: Finding[];
}

/** The live document as a snapshot, its hash and its validation. */
export async function currentContent(deps: Pick<ApprovalDeps, 'db' | 'sync'>, agreementId: string): Promise<CurrentContent> {
  const agreement = await getAgreementRow(deps.db, agreementId);
  if (!agreement) throw agreementNotFound();
  const resolved = await loadTemplate(deps.db, agreement.templateId, agreement.templateVersion);
  if (!resolved) throw new Error(`template ${agreement.templateId} v${agreement.templateVersion} of agreement ${agreementId} is missing`);
  const doc = await deps.sync.getDocumentState(agreementId);
  try {
    return contentOf(doc, agreement.title, resolved.template);
  } finally {
    doc.destroy();
  }
}

export function contentOf(doc: Y.Doc, title: string, template: Template): CurrentContent {
  const snapshot = snapshotAgreement(doc, { title });
  const { canonical, hash } = contentHash(snapshot);
  const findings = validateAgreement(snapshot, template).findings;
  return { snapshot, template, canonical, hash, state: Y.encodeStateAsUpdate(doc), findings };
}

export function blockingErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** 422 problem+json listing every validation error (Swedish message, rule id as the field). */
export function validationRefusal(action: string, errors: readonly Finding[]): ApiError {
  return new ApiError(
    422,
    'validation-errors',
    'The agreement has validation errors',
    `${action} is not possible while the agreement has ${errors.length} validation error(s); fix them first: ${errors
      .slice(0, 5)
      .map((f) => f.message.en)
      .join(' ')}`,
    errors.map((f) => ({ field: f.ruleId, message: f.message.sv })),
    undefined,
    { findings: errors },
  );
}

/* ----- reading ----- */

export interface ApprovalDto {
  id: string;
  userId: string | null;
  userName: string;
  partyId: string;
  partyName: string;
  hash: string;
  createdAt: string;
  voided: null | {
    at: string;
    reason: 'changed' | 'unlocked';
    by: { id: string; name: string } | null;
    change: Record<string, unknown> | null;
  };
}

export interface FinalVersionDto {
  id: string;
  number: number;
  hash: string;
  versionId: string;
  lockedAt: string;
  unlocked: null | { at: string; by: { id: string; name: string } | null; reason: string };
}

export interface ApprovalState {
  status: 'draft' | 'locked';
  finalVersion: FinalVersionDto | null;
  /** Active approvals (not voided). */
  approvals: ApprovalDto[];
  /** The most recent voided approvals, newest first (for the "approval voided because …" notice). */
  voided: ApprovalDto[];
  /** Parties without an active approval of the current hash. */
  waitingFor: Array<{ partyId: string; name: string }>;
  currentHash: string;
}

function toApprovalDto(r: typeof approvals.$inferSelect & { partyName: string | null }): ApprovalDto {
  return {
    id: r.id,
    userId: r.userId,
    userName: r.userName,
    partyId: r.partyId,
    partyName: r.partyName ?? '',
    hash: r.hash,
    createdAt: r.createdAt.toISOString(),
    voided: r.voidedAt
      ? {
          at: r.voidedAt.toISOString(),
          reason: r.voidReason ?? 'changed',
          by: r.voidedById ? { id: r.voidedById, name: r.voidedByName ?? '' } : null,
          change: r.voidedChange ?? null,
        }
      : null,
  };
}

function toFinalDto(r: typeof finalVersions.$inferSelect): FinalVersionDto {
  return {
    id: r.id,
    number: r.number,
    hash: r.hash,
    versionId: r.versionId,
    lockedAt: r.lockedAt.toISOString(),
    unlocked: r.unlockedAt
      ? { at: r.unlockedAt.toISOString(), by: r.unlockedById ? { id: r.unlockedById, name: r.unlockedByName ?? '' } : null, reason: r.unlockReason ?? '' }
      : null,
  };
}

async function approvalRows(db: Db, agreementId: string, active: boolean) {
  return db
    .select({ a: approvals, partyName: organisations.name })
    .from(approvals)
    .leftJoin(organisations, eq(organisations.id, approvals.partyId))
    .where(and(eq(approvals.agreementId, agreementId), active ? isNull(approvals.voidedAt) : undefined))
    .orderBy(active ? asc(approvals.createdAt) : desc(approvals.voidedAt))
    .then((rows) => rows.filter((r) => active || r.a.voidedAt !== null).map((r) => toApprovalDto({ ...r.a, partyName: r.partyName })));
}

export async function partiesOf(db: Db, agreementId: string): Promise<Array<{ partyId: string; name: string }>> {
  return db
    .select({ partyId: agreementParties.organisationId, name: organisations.name })
    .from(agreementParties)
    .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
    .where(eq(agreementParties.agreementId, agreementId))
    .orderBy(asc(agreementParties.position));
}

export async function finalVersionById(db: Db, agreementId: string, id: string): Promise<FinalVersionDto | null> {
  const [row] = await db
    .select()
    .from(finalVersions)
    .where(and(eq(finalVersions.agreementId, agreementId), eq(finalVersions.id, id)));
  return row ? toFinalDto(row) : null;
}

/** The final version stored as agreement_versions row `versionId`, if that version is a final one. */
export async function finalVersionByVersionId(db: Db, agreementId: string, versionId: string): Promise<FinalVersionDto | null> {
  const [row] = await db
    .select()
    .from(finalVersions)
    .where(and(eq(finalVersions.agreementId, agreementId), eq(finalVersions.versionId, versionId)));
  return row ? toFinalDto(row) : null;
}

export async function listFinalVersions(db: Db, agreementId: string): Promise<FinalVersionDto[]> {
  const rows = await db.select().from(finalVersions).where(eq(finalVersions.agreementId, agreementId)).orderBy(desc(finalVersions.number));
  return rows.map(toFinalDto);
}

export async function approvalState(deps: ApprovalDeps, agreementId: string): Promise<ApprovalState> {
  const agreement = await getAgreementRow(deps.db, agreementId);
  if (!agreement) throw agreementNotFound();
  const [active, voided, parties, content] = await Promise.all([
    approvalRows(deps.db, agreementId, true),
    approvalRows(deps.db, agreementId, false),
    partiesOf(deps.db, agreementId),
    currentContent(deps, agreementId),
  ]);
  const finalVersion = agreement.status === 'locked' ? (await listFinalVersions(deps.db, agreementId)).find((f) => !f.unlocked) ?? null : null;
  const approvedParties = new Set(active.filter((a) => a.hash === content.hash).map((a) => a.partyId));
  return {
    status: agreement.status,
    finalVersion,
    approvals: active,
    voided: voided.slice(0, 20),
    waitingFor: parties.filter((p) => !approvedParties.has(p.partyId)),
    currentHash: content.hash,
  };
}

/* ----- approving and locking ----- */

export interface Approver {
  id: string;
  name: string;
  signatory: boolean;
  partyId: string;
}

function locked(): ApiError {
  return new ApiError(409, 'agreement-locked', 'Agreement locked', 'The agreement is locked as a final version; unlock it (with a reason) before approving again.');
}

/** Approve the current content for signing. Returns the approval and whether the agreement locked. */
export async function approve(deps: ApprovalDeps, agreementId: string, user: Approver): Promise<{ approval: ApprovalDto; lockedAs: FinalVersionDto | null }> {
  if (!user.signatory) {
    throw forbidden('Only members with the signatory flag (firmatecknare) can approve the agreement for signing; ask an editor of your party to set it.');
  }
  const agreement = await getAgreementRow(deps.db, agreementId);
  if (!agreement) throw agreementNotFound();
  if (agreement.status === 'locked') throw locked();
  const content = await currentContent(deps, agreementId);
  const errors = blockingErrors(content.findings);
  if (errors.length > 0) throw validationRefusal('Approving', errors);

  const actor: AuditActor = { id: user.id, name: user.name };
  const id = await deps.db.transaction(async (tx) => {
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
    const [row] = await tx
      .insert(approvals)
      .values({ agreementId, userId: user.id, userName: user.name, partyId: user.partyId, hash: content.hash, canonical: content.canonical })
      .returning({ id: approvals.id });
    await recordAudit(tx, { agreementId, type: 'approval.given', actor, data: { approvalId: row!.id, partyId: user.partyId, hash: content.hash } });
    return row!.id;
  });
  // Watchers in this process may have cached "no active approvals" for this agreement: not any more.
  approvalsCreated(deps.events, agreementId);
  const [approval] = (await approvalRows(deps.db, agreementId, true)).filter((a) => a.id === id);
  deps.events.publish({ type: 'approval.given', agreementId, data: { approval } });

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
    const [version] = await tx
      .insert(agreementVersions)
      .values({ agreementId, name: `Slutlig version ${number}`, kind: 'named', state: content.state, createdBy: null })
      .returning({ id: agreementVersions.id });
    const [fv] = await tx.insert(finalVersions).values({ agreementId, number, hash: content.hash, versionId: version!.id }).returning();
    await tx.update(agreements).set({ status: 'locked', finalVersionId: version!.id, updatedAt: new Date() }).where(eq(agreements.id, agreementId));
    await recordAudit(tx, {
      agreementId,
      type: 'agreement.locked',
      actor: null,
      data: { finalVersionId: fv!.id, versionId: version!.id, number, hash: content.hash, parties: parties.map((p) => p.partyId) },
    });
    return toFinalDto(fv!);
  });
  if (!result) return null;
  await deps.sync.setLocked(agreementId, true);
  deps.events.publish({ type: 'agreement.locked', agreementId, data: { finalVersion: result } });
  // An edit that slipped in before the lock took effect means the final version is not what is live:
  // say so and unlock rather than sign something else than what was approved.
  const after = await currentContent(deps, agreementId);
  if (after.hash !== result.hash) {
    await unlockQuietly(deps, agreementId, null, 'Dokumentet ändrades medan det låstes; godkännandena gäller inte längre.');
    return null;
  }
  return result;
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
      .where(and(eq(finalVersions.agreementId, agreementId), isNull(finalVersions.unlockedAt)))
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
    return { number: fv?.number ?? null, voided: voided.length };
  });
  await deps.sync.setLocked(agreementId, false);
  deps.events.publish({ type: 'agreement.unlocked', agreementId, data: { by: actor, reason: why, number: done.number } });
  if (done.voided > 0) deps.events.publish({ type: 'approval.voided', agreementId, data: { reason: 'unlocked', by: actor, note: why } });
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

/** voidStaleApprovals, also saying how many approvals were active when it looked. */
async function checkApprovals(deps: ApprovalDeps, agreementId: string, changedBy: readonly string[]): Promise<{ active: number; voided: number }> {
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

  const voided = await deps.db.transaction(async (tx) => {
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
    }
    return rows;
  });
  if (voided.length > 0) {
    deps.events.publish({ type: 'approval.voided', agreementId, data: { reason: 'changed', ...change, approvals: voided.map((v) => v.id) } });
    deps.logger?.info({ agreementId, voided: voided.length, by: by?.id }, 'approvals voided by a change');
  }
  // A change that reached a locked agreement (server-side edits are not refused) reopens it.
  if (agreement?.status === 'locked') {
    const [fv] = await deps.db.select().from(finalVersions).where(and(eq(finalVersions.agreementId, agreementId), isNull(finalVersions.unlockedAt)));
    if (fv && fv.hash !== content.hash) await unlockQuietly(deps, agreementId, by, 'Dokumentet ändrades efter låsningen.');
  }
  return { active: active.length, voided: voided.length };
}

function userIdOf(origin: unknown): string | null {
  if (origin && typeof origin === 'object' && 'userId' in origin) {
    const id = (origin as { userId: unknown }).userId;
    return typeof id === 'string' ? id : null;
  }
  return null;
}

/** After a failed check (database down) the next one waits this long. */
const RETRY_AFTER_FAILURE_MS = 5000;

/** How long a watcher trusts "this agreement has no active approvals" without asking the database. */
export const NO_APPROVALS_TTL_MS = 10_000;

/**
 * The running watchers' "no active approvals" caches of each server (keyed by its event bus: one per
 * server instance); approve() invalidates the agreement in its server's caches as soon as the approval
 * is committed, without waiting for its own event. Other servers learn of it from the event bus.
 */
const watcherCaches = new WeakMap<EventBus, Set<{ invalidate(agreementId: string): void }>>();

function approvalsCreated(events: EventBus, agreementId: string): void {
  for (const cache of watcherCaches.get(events) ?? []) cache.invalidate(agreementId);
}

export interface ApprovalWatcherOptions {
  /** At most one check per agreement per this interval while edits keep coming (default 1 s). */
  minIntervalMs?: number;
  /** How long "no active approvals" is trusted without a query (default 10 s; 0 = never cached). */
  noApprovalsTtlMs?: number;
}

export interface ApprovalWatcherStats {
  /** Checks that ran the approvals query. */
  queries: number;
  /** Checks answered by the "no active approvals" cache (no database query, no hashing). */
  cacheHits: number;
  /** Times a cached "no active approvals" was dropped (approval created here, or an approval event). */
  invalidations: number;
}

export interface ApprovalWatcher {
  stop(): Promise<void>;
  idle(): Promise<void>;
  stats(): ApprovalWatcherStats;
}

interface NoApprovalsEntry {
  /** Bumped on every invalidation: a query that started before one must not cache its answer. */
  generation: number;
  /** "No active approvals" is trusted until then (0 = not cached). */
  noneUntil: number;
  /** Users whose changes were let through on the cached answer since it was cached. */
  skippedUsers: Set<string>;
  skipped: boolean;
  lastUsed: number;
  unsubscribe: () => void;
}

/**
 * Subscribes to document changes and voids stale approvals. Checks are serialised per agreement and
 * throttled: the first change after a quiet spell is checked at once, a burst of keystrokes after it
 * costs at most one check per `minIntervalMs` (each check reads the database and hashes the document,
 * which must not happen per keystroke).
 *
 * Most agreements have no active approvals, so a check first consults a per-process cache of "agreement
 * X has no active approvals" (then it costs no query). The cache must hold across processes sharing the
 * database: an entry is dropped when this process creates an approval, on any `approval.*` event on the
 * event bus (Redis-backed with REDIS_URL, so approvals made in other processes count; the subscription
 * is in place before the query whose answer is cached, and an invalidation during the query keeps it
 * from being cached), and after `noApprovalsTtlMs` in any case (events can be lost while Redis is
 * down). Changes let through on a cached answer are checked again when the entry is invalidated, so an
 * edit that raced with an approval made elsewhere still voids it.
 */
export function startApprovalWatcher(deps: ApprovalDeps, options: ApprovalWatcherOptions = {}): ApprovalWatcher {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const ttlMs = Math.max(0, options.noApprovalsTtlMs ?? NO_APPROVALS_TTL_MS);
  const state = new Map<string, { running: Promise<void> | null; again: boolean; users: Set<string> }>();
  const stats: ApprovalWatcherStats = { queries: 0, cacheHits: 0, invalidations: 0 };
  let stopped = false;

  /* ----- the "no active approvals" cache ----- */
  const entries = new Map<string, NoApprovalsEntry>();
  const dropEntry = (agreementId: string, entry: NoApprovalsEntry) => {
    entry.unsubscribe();
    if (entries.get(agreementId) === entry) entries.delete(agreementId);
  };
  const invalidate = (agreementId: string) => {
    const entry = entries.get(agreementId);
    if (!entry) return;
    entry.generation++;
    if (entry.noneUntil > 0) stats.invalidations++;
    entry.noneUntil = 0;
    if (entry.skipped && !stopped) {
      // Changes were let through while we believed there was nothing to void: look at them now.
      const users = [...entry.skippedUsers];
      entry.skippedUsers.clear();
      entry.skipped = false;
      changed(agreementId, users);
    }
  };
  const cache = { invalidate };
  let caches = watcherCaches.get(deps.events);
  if (!caches) watcherCaches.set(deps.events, (caches = new Set()));
  if (ttlMs > 0) caches.add(cache);
  const entryFor = (agreementId: string): NoApprovalsEntry => {
    let entry = entries.get(agreementId);
    if (!entry) {
      const unsubscribe = deps.events.subscribe(agreementId, (event) => {
        if (event.type.startsWith('approval.')) invalidate(agreementId);
      });
      entries.set(agreementId, (entry = { generation: 0, noneUntil: 0, skippedUsers: new Set(), skipped: false, lastUsed: 0, unsubscribe }));
    }
    entry.lastUsed = Date.now();
    return entry;
  };
  // Entries (and their event subscriptions) of agreements nobody edits any more go after a while.
  const sweeper = ttlMs > 0
    ? setInterval(() => {
        const now = Date.now();
        for (const [agreementId, entry] of entries) if (now - entry.lastUsed > ttlMs && entry.noneUntil <= now) dropEntry(agreementId, entry);
      }, ttlMs)
    : null;
  sweeper?.unref?.();

  const check = async (agreementId: string, users: string[]) => {
    if (ttlMs === 0) {
      stats.queries++;
      await checkApprovals(deps, agreementId, users);
      return;
    }
    const entry = entryFor(agreementId);
    if (entry.noneUntil > Date.now()) {
      stats.cacheHits++;
      entry.skipped = true;
      for (const u of users) entry.skippedUsers.add(u);
      return;
    }
    const generation = entry.generation;
    stats.queries++;
    const result = await checkApprovals(deps, agreementId, users);
    // Cache "none" only if nothing invalidated it while we asked, and the entry is still the live one.
    if (result.active === 0 && entry.generation === generation && entries.get(agreementId) === entry && !stopped) {
      entry.noneUntil = Date.now() + ttlMs;
    }
  };

  const run = (agreementId: string, delayMs: number): void => {
    const s = state.get(agreementId)!;
    s.again = false;
    let failed = false;
    const wait = delayMs > 0 ? new Promise<void>((resolve) => setTimeout(resolve, delayMs)) : Promise.resolve();
    s.running = wait
      .then(async () => {
        const users = [...s.users];
        s.users.clear();
        s.again = false;
        try {
          await check(agreementId, users);
        } catch (err) {
          // The database may be down: keep who changed what and check again later, so an edit made
          // during an outage still voids the approvals once the database is back.
          for (const u of users) s.users.add(u);
          failed = true;
          deps.logger?.warn({ err: String(err), agreementId }, 'approval voiding check failed; will retry');
        }
      })
      .finally(() => {
        s.running = null;
        if ((s.again || failed) && !stopped) run(agreementId, failed ? RETRY_AFTER_FAILURE_MS : minIntervalMs);
        else state.delete(agreementId);
      });
  };
  const changed = (agreementId: string, users: Iterable<string>) => {
    let s = state.get(agreementId);
    if (!s) state.set(agreementId, (s = { running: null, again: false, users: new Set() }));
    for (const u of users) s.users.add(u);
    if (s.running) s.again = true;
    else run(agreementId, 0);
  };
  const unsubscribe = deps.sync.onDocumentChanged((agreementId, _update, origin) => {
    if (stopped) return;
    const uid = userIdOf(origin);
    // Per keystroke: when the agreement is known to have no active approvals, only note who changed
    // it (looked at if that turns out wrong, see invalidate) instead of scheduling a check.
    const entry = ttlMs > 0 && !state.has(agreementId) ? entries.get(agreementId) : undefined;
    if (entry && entry.noneUntil > Date.now()) {
      stats.cacheHits++;
      entry.skipped = true;
      entry.lastUsed = Date.now();
      if (uid) entry.skippedUsers.add(uid);
      return;
    }
    changed(agreementId, uid ? [uid] : []);
  });
  const idle = async () => {
    while (state.size > 0) await Promise.all([...state.values()].map((s) => s.running ?? Promise.resolve()));
  };
  return {
    idle,
    stats: () => ({ ...stats }),
    async stop() {
      stopped = true;
      unsubscribe();
      caches.delete(cache);
      if (sweeper) clearInterval(sweeper);
      await idle();
      for (const [agreementId, entry] of entries) dropEntry(agreementId, entry);
    },
  };
}
