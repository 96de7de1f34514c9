/**
 * Version history, the read side: list, snapshots of a version, redline between two versions (or a
 * version and the current document); and automatic checkpoints when editing goes idle
 * (`saveCheckpoint` writes one, in one transaction with its outbox row). Saving a named version and
 * restoring (as a new edit: the history is never rewritten) are commands: ../commands/versions.ts.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { redline, restoreAsEdit, snapshotAgreement, type AgreementRedline, type AgreementSnapshot } from '@overens/model';
import type { Db, DbOrTx } from '../db/client.ts';
import { agreements, agreementVersions, users, type VersionKind } from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../logger.ts';
import type { OutboxDispatcher } from '../outbox/dispatcher.ts';
import { writeOutbox } from '../outbox/writer.ts';
import type { SyncHub } from '../sync/hub-contract.ts';

export interface VersionDeps {
  db: Db;
  sync: SyncHub;
  /** Unused since `version.saved` goes through the outbox; kept so callers need not change. */
  events?: EventBus;
  /** Delivers a checkpoint's `version.saved` at once; without it the dispatcher's poll does. */
  outbox?: OutboxDispatcher;
  logger?: Logger;
}

export interface VersionDto {
  id: string;
  agreementId: string;
  name: string;
  kind: VersionKind;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  restoredFrom: string | null;
}

/** Origin of the hub transaction that applies a restore (listeners can tell it from typing). */
export interface RestoreOrigin {
  kind: 'restore';
  userId: string;
  versionId: string;
}

export const MAX_VERSION_NAME = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function versionNotFound(): DomainError {
  return new DomainError('not-found', 'not-found', 'No version with this id exists for this agreement.');
}

const columns = {
  id: agreementVersions.id,
  agreementId: agreementVersions.agreementId,
  name: agreementVersions.name,
  kind: agreementVersions.kind,
  createdAt: agreementVersions.createdAt,
  createdById: agreementVersions.createdBy,
  createdByName: users.name,
  restoredFrom: agreementVersions.restoredFrom,
};

type Row = { id: string; agreementId: string; name: string; kind: VersionKind; createdAt: Date; createdById: string | null; createdByName: string | null; restoredFrom: string | null };

function toDto(r: Row): VersionDto {
  return {
    id: r.id,
    agreementId: r.agreementId,
    name: r.name,
    kind: r.kind,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdById ? { id: r.createdById, name: r.createdByName ?? '' } : null,
    restoredFrom: r.restoredFrom,
  };
}

/** Versions of an agreement, newest first. */
export async function listVersions(db: DbOrTx, agreementId: string): Promise<VersionDto[]> {
  const rows = await db
    .select(columns)
    .from(agreementVersions)
    .leftJoin(users, eq(users.id, agreementVersions.createdBy))
    .where(eq(agreementVersions.agreementId, agreementId))
    .orderBy(desc(agreementVersions.createdAt), desc(agreementVersions.id));
  return rows.map(toDto);
}

export async function getVersion(db: DbOrTx, agreementId: string, versionId: string): Promise<VersionDto & { state: Uint8Array }> {
  if (!UUID.test(versionId)) throw versionNotFound();
  const [row] = await db
    .select({ ...columns, state: agreementVersions.state })
    .from(agreementVersions)
    .leftJoin(users, eq(users.id, agreementVersions.createdBy))
    .where(and(eq(agreementVersions.id, versionId), eq(agreementVersions.agreementId, agreementId)));
  if (!row) throw versionNotFound();
  return { ...toDto(row), state: row.state };
}

export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

async function agreementTitle(db: DbOrTx, agreementId: string): Promise<string> {
  const [row] = await db.select({ title: agreements.title }).from(agreements).where(eq(agreements.id, agreementId));
  return row?.title ?? '';
}

export async function listVersionsByIds(db: DbOrTx, ids: string[]): Promise<VersionDto[]> {
  const rows = await db.select(columns).from(agreementVersions).leftJoin(users, eq(users.id, agreementVersions.createdBy)).where(inArray(agreementVersions.id, ids));
  return rows.map(toDto);
}

/** The agreement as it was in a version (plain data, same shape as validation and export read). */
export async function versionSnapshot(deps: VersionDeps, agreementId: string, versionId: string | 'current'): Promise<AgreementSnapshot> {
  const title = await agreementTitle(deps.db, agreementId);
  const doc = versionId === 'current' ? await deps.sync.getDocumentState(agreementId) : docFromState((await getVersion(deps.db, agreementId, versionId)).state);
  try {
    return snapshotAgreement(doc, { title });
  } finally {
    doc.destroy();
  }
}

/** Redline from `from` (older) to `to` (newer); either may be 'current' (the live document). */
export async function compareVersions(deps: VersionDeps, agreementId: string, from: string | 'current', to: string | 'current'): Promise<AgreementRedline> {
  const [a, b] = await Promise.all([versionSnapshot(deps, agreementId, from), versionSnapshot(deps, agreementId, to)]);
  return redline(a, b);
}

export const RESTORED_NAME_PREFIX = 'Återställd från';

/* ------------------------------------------------------ auto checkpoints */

export interface CheckpointOptions {
  /** Editing must have been idle this long (default 2 minutes). */
  idleMs?: number;
  /** At most one automatic checkpoint per agreement per this interval (default 10 minutes). */
  minIntervalMs?: number;
  /** Name stored for automatic checkpoints (the web app shows its own label for kind 'auto'). */
  name?: string;
}

export const AUTO_CHECKPOINT_NAME = 'Automatisk sparpunkt';

/** True when the document has content that the latest version of the agreement does not. */
async function changedSinceLastVersion(db: DbOrTx, agreementId: string, doc: Y.Doc): Promise<boolean> {
  const [last] = await db
    .select({ state: agreementVersions.state })
    .from(agreementVersions)
    .where(eq(agreementVersions.agreementId, agreementId))
    .orderBy(desc(agreementVersions.createdAt), desc(agreementVersions.id))
    .limit(1);
  if (!last) return true;
  const lastDoc = docFromState(last.state);
  try {
    return !sameState(lastDoc, doc);
  } finally {
    lastDoc.destroy();
  }
}

/** Same state vector and same delete set = same document. */
function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}

/**
 * One automatic checkpoint of the live document, unless one was saved less than `minIntervalMs` ago
 * or nothing changed since the latest version. The version row and its `version.saved` outbox row
 * commit together. With several processes each may try at once; the agreement row lock serialises
 * them and the checks inside keep them from saving twice. Returns the version, or null when skipped.
 */
export async function saveCheckpoint(deps: VersionDeps, agreementId: string, options: { name?: string; minIntervalMs?: number } = {}): Promise<VersionDto | null> {
  const name = options.name ?? AUTO_CHECKPOINT_NAME;
  const minIntervalMs = options.minIntervalMs ?? 0;
  const doc = await deps.sync.getDocumentState(agreementId);
  try {
    const state = Y.encodeStateAsUpdate(doc);
    const saved = await deps.db.transaction(async (tx) => {
      const locked = await tx.select({ id: agreements.id }).from(agreements).where(eq(agreements.id, agreementId)).for('update');
      if (locked.length === 0) return null;
      const [recent] = await tx
        .select({ createdAt: agreementVersions.createdAt })
        .from(agreementVersions)
        .where(and(eq(agreementVersions.agreementId, agreementId), eq(agreementVersions.kind, 'auto')))
        .orderBy(desc(agreementVersions.createdAt))
        .limit(1);
      if (recent && Date.now() - recent.createdAt.getTime() < minIntervalMs) return null;
      if (!(await changedSinceLastVersion(tx, agreementId, doc))) return null;
      const [row] = await tx.insert(agreementVersions).values({ agreementId, name, kind: 'auto', state, createdBy: null }).returning({ id: agreementVersions.id });
      const [version] = await listVersionsByIds(tx, [row!.id]);
      const outboxId = await writeOutbox(tx, { agreementId, type: 'version.saved', data: { version: { ...version! } } });
      return { version: version!, outboxId };
    });
    if (!saved) return null;
    await deps.outbox?.deliver([saved.outboxId]);
    return saved.version;
  } finally {
    doc.destroy();
  }
}

/** A non-negative integer from the environment, else the fallback. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}
