/**
 * Version history: named versions saved on demand, automatic checkpoints when editing goes idle,
 * snapshots of a version, redline between two versions (or a version and the current document), and
 * restore as a new edit (the history is never rewritten: restoring applies ordinary Yjs operations
 * through the sync hub and records the result as one more version).
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { redline, restoreAsEdit, snapshotAgreement, type AgreementRedline, type AgreementSnapshot } from '@overens/model';
import type { Db } from '../db/client.ts';
import { agreements, agreementVersions, users, type VersionKind } from '../db/schema/index.ts';
import type { EventBus } from '../events/bus.ts';
import { invalidField, notFound } from '../http/problem.ts';
import type { Logger } from '../logger.ts';
import type { SyncHub } from '../sync/hub-contract.ts';

export interface VersionDeps {
  db: Db;
  sync: SyncHub;
  events: EventBus;
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

function versionNotFound() {
  return notFound('No version with this id exists for this agreement.');
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
export async function listVersions(db: Db, agreementId: string): Promise<VersionDto[]> {
  const rows = await db
    .select(columns)
    .from(agreementVersions)
    .leftJoin(users, eq(users.id, agreementVersions.createdBy))
    .where(eq(agreementVersions.agreementId, agreementId))
    .orderBy(desc(agreementVersions.createdAt), desc(agreementVersions.id));
  return rows.map(toDto);
}

export async function getVersion(db: Db, agreementId: string, versionId: string): Promise<VersionDto & { state: Uint8Array }> {
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

async function agreementTitle(db: Db, agreementId: string): Promise<string> {
  const [row] = await db.select({ title: agreements.title }).from(agreements).where(eq(agreements.id, agreementId));
  return row?.title ?? '';
}

export interface SaveVersionInput {
  name: string;
  kind: VersionKind;
  userId: string | null;
  restoredFrom?: string | null;
  /** State to store; default: the live document from the hub. */
  state?: Uint8Array;
}

/** Store the current document as a version and tell the agreement's members. */
export async function saveVersion(deps: VersionDeps, agreementId: string, input: SaveVersionInput): Promise<VersionDto> {
  const name = input.name.trim();
  if (name === '') throw invalidField('name', 'must not be empty: give the version a name, e.g. "Förslag till styrelsen"');
  if (name.length > MAX_VERSION_NAME) throw invalidField('name', `must be at most ${MAX_VERSION_NAME} characters`);
  const state = input.state ?? Y.encodeStateAsUpdate(await deps.sync.getDocumentState(agreementId));
  const [row] = await deps.db
    .insert(agreementVersions)
    .values({ agreementId, name, kind: input.kind, state, createdBy: input.userId, restoredFrom: input.restoredFrom ?? null })
    .returning({ id: agreementVersions.id });
  if (!row) throw new Error('insert returned no row');
  const [version] = (await listVersionsByIds(deps.db, [row.id]));
  deps.events.publish({ type: 'version.saved', agreementId, data: { version } });
  return version!;
}

async function listVersionsByIds(db: Db, ids: string[]): Promise<VersionDto[]> {
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

/**
 * Restore: make the live document equal to the version with ordinary edits (through the hub, so every
 * client and the persistence see them), then record the result as a new version.
 */
export async function restoreVersion(deps: VersionDeps, agreementId: string, versionId: string, userId: string): Promise<VersionDto> {
  const version = await getVersion(deps.db, agreementId, versionId);
  const versionDoc = docFromState(version.state);
  const origin: RestoreOrigin = { kind: 'restore', userId, versionId };
  let restoredState: Uint8Array | undefined;
  try {
    await deps.sync.withDocument(
      agreementId,
      (doc) => {
        // Parties follow membership: one that joined after the version stays a party.
        restoreAsEdit(doc, versionDoc, { origin, commonKeysOnly: ['parties'] });
        restoredState = Y.encodeStateAsUpdate(doc);
      },
      origin,
    );
  } finally {
    versionDoc.destroy();
  }
  const when = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(new Date(version.createdAt));
  return saveVersion(deps, agreementId, {
    name: `${RESTORED_NAME_PREFIX} ”${version.name}” (${when})`.slice(0, MAX_VERSION_NAME),
    kind: 'restore',
    userId,
    restoredFrom: version.id,
    state: restoredState,
  });
}

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
async function changedSinceLastVersion(db: Db, agreementId: string, doc: Y.Doc): Promise<boolean> {
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
 * Subscribes to document changes and stores an automatic checkpoint once editing on an agreement has
 * been idle for `idleMs`, at most once per `minIntervalMs`, and only when something changed since the
 * latest version. With several processes each may see the same edits (Redis relay); the latest
 * version check, done inside a transaction that locks the agreement row, keeps them from saving twice.
 * Returns a stop function (clears timers; call on shutdown).
 */
export function startAutoCheckpoints(deps: VersionDeps, options: CheckpointOptions = {}): { stop(): void; pending(): number } {
  const idleMs = options.idleMs ?? envInt('OVERENS_CHECKPOINT_IDLE_MS', 2 * 60_000);
  const minIntervalMs = options.minIntervalMs ?? envInt('OVERENS_CHECKPOINT_MIN_INTERVAL_MS', 10 * 60_000);
  const name = options.name ?? AUTO_CHECKPOINT_NAME;
  // One timer per agreement with edits waiting for a checkpoint. A change only records its time (no
  // timer churn per keystroke); the timer, when it fires before `idleMs` of quiet, re-arms itself for
  // the rest of the quiet period.
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const lastChange = new Map<string, number>();
  const lastCheckpoint = new Map<string, number>();
  let stopped = false;

  const arm = (agreementId: string, delay: number) => {
    const timer = setTimeout(() => fire(agreementId), Math.max(0, delay));
    timer.unref?.();
    timers.set(agreementId, timer);
  };

  const fire = (agreementId: string) => {
    timers.delete(agreementId);
    if (stopped) return;
    const last = lastChange.get(agreementId);
    const quiet = last === undefined ? Infinity : Date.now() - last;
    if (quiet < idleMs) {
      arm(agreementId, idleMs - quiet);
      return;
    }
    lastChange.delete(agreementId);
    void checkpoint(agreementId);
  };

  /** Check again in `delay` (unless a timer is already armed: it will check then, or later). */
  const schedule = (agreementId: string, delay: number) => {
    if (!timers.has(agreementId)) arm(agreementId, delay);
  };

  const checkpoint = async (agreementId: string) => {
    if (stopped) return;
    const since = Date.now() - (lastCheckpoint.get(agreementId) ?? 0);
    if (since < minIntervalMs) {
      schedule(agreementId, minIntervalMs - since);
      return;
    }
    try {
      const doc = await deps.sync.getDocumentState(agreementId);
      const state = Y.encodeStateAsUpdate(doc);
      const saved = await deps.db.transaction(async (tx) => {
        // Serialise checkpointing of one agreement across processes.
        const locked = await tx.select({ id: agreements.id }).from(agreements).where(eq(agreements.id, agreementId)).for('update');
        if (locked.length === 0) return false;
        const [recent] = await tx
          .select({ createdAt: agreementVersions.createdAt })
          .from(agreementVersions)
          .where(and(eq(agreementVersions.agreementId, agreementId), eq(agreementVersions.kind, 'auto')))
          .orderBy(desc(agreementVersions.createdAt))
          .limit(1);
        if (recent && Date.now() - recent.createdAt.getTime() < minIntervalMs) return false;
        if (!(await changedSinceLastVersion(tx as unknown as Db, agreementId, doc))) return false;
        await tx.insert(agreementVersions).values({ agreementId, name, kind: 'auto', state, createdBy: null });
        return true;
      });
      doc.destroy();
      lastCheckpoint.set(agreementId, Date.now());
      if (saved) {
        const [version] = await listVersions(deps.db, agreementId);
        if (version) deps.events.publish({ type: 'version.saved', agreementId, data: { version } });
      }
    } catch (err) {
      deps.logger?.warn({ err, agreementId }, 'automatic checkpoint failed; retrying after the next idle period');
    }
  };

  const unsubscribe = deps.sync.onDocumentChanged((agreementId, _update, origin) => {
    if (stopped) return;
    // A restore records its own version; do not follow it with a checkpoint of the same state.
    if (origin && typeof origin === 'object' && (origin as { kind?: unknown }).kind === 'restore') return;
    lastChange.set(agreementId, Date.now());
    schedule(agreementId, idleMs);
  });

  return {
    stop() {
      stopped = true;
      unsubscribe();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      lastChange.clear();
    },
    pending: () => timers.size,
  };
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}
