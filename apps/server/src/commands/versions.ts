/**
 * Version commands: save the live document as a named version (editors), restore a version as a new
 * edit (editors of a draft). authorize → one transaction (the version row, the audit row, the outbox
 * row `version.saved`) → deliver → the version.
 *
 * A restore first changes the live document through the sync hub (ordinary Yjs operations: every
 * client and the persistence see them, the history is never rewritten), then records the result as a
 * version in one transaction. The document is not a database row, so its edit cannot share that
 * transaction (the hub may need a database connection to load it); the edit, once applied, is always
 * recorded, and the approval watcher voids approvals it invalidates as for any other edit.
 */
import * as Y from 'yjs';
import { restoreAsEdit } from '@overens/model';
import { recordAudit } from '../audit/service.ts';
import type { Tx } from '../db/client.ts';
import { agreementVersions, type VersionKind } from '../db/schema/index.ts';
import { invalidFieldError } from '../domain/errors.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { authorize, type Action } from '../policies/index.ts';
import { loadSubject } from '../policies/subject.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import {
  docFromState,
  getVersion,
  listVersionsByIds,
  MAX_VERSION_NAME,
  RESTORED_NAME_PREFIX,
  type RestoreOrigin,
  type VersionDto,
} from '../versions/service.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface VersionCommandDeps extends Pick<CommandDeps, 'db' | 'outbox'> {
  sync: Pick<SyncHub, 'getDocumentState' | 'withDocument'>;
}

async function authorizeIn(tx: Parameters<typeof loadSubject>[0], agreementId: string, userId: string, action: Action) {
  const { actor, agreement } = await loadSubject(tx, agreementId, userId);
  authorize(actor, action, agreement);
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw invalidFieldError('name', 'must not be empty: give the version a name, e.g. "Förslag till styrelsen"');
  if (name.length > MAX_VERSION_NAME) throw invalidFieldError('name', `must be at most ${MAX_VERSION_NAME} characters`);
  return name;
}

/** Insert a version, its audit row and its `version.saved` outbox row (inside the caller's transaction). */
export async function insertVersion(
  tx: Tx,
  user: CommandUser,
  agreementId: string,
  input: { name: string; kind: VersionKind; state: Uint8Array; restoredFrom?: string | null },
): Promise<{ version: VersionDto; outboxId: number }> {
  const [row] = await tx
    .insert(agreementVersions)
    .values({ agreementId, name: input.name, kind: input.kind, state: input.state, createdBy: user.id, restoredFrom: input.restoredFrom ?? null })
    .returning({ id: agreementVersions.id });
  if (!row) throw new Error('insert returned no row');
  const [version] = await listVersionsByIds(tx, [row.id]);
  await recordAudit(tx, {
    agreementId,
    type: input.kind === 'restore' ? 'version.restored' : 'version.saved',
    actor: { id: user.id, name: user.name },
    data: { versionId: row.id, name: input.name, kind: input.kind, ...(input.restoredFrom ? { restoredFrom: input.restoredFrom } : {}) },
  });
  const outboxId = await writeOutbox(tx, { agreementId, type: 'version.saved', data: { version: { ...version! } } });
  return { version: version!, outboxId };
}

/** Save the live document as a named version. */
export async function createVersion(deps: VersionCommandDeps, user: CommandUser, agreementId: string, rawName: string): Promise<VersionDto> {
  const name = checkName(rawName);
  const pre = await loadSubject(deps.db, agreementId, user.id);
  authorize(pre.actor, 'version.create', pre.agreement);
  // Read the document before the transaction: loading it may need a database connection of its own.
  const doc = await deps.sync.getDocumentState(agreementId);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const { version, outboxId } = await deps.db.transaction(async (tx) => {
    await authorizeIn(tx, agreementId, user.id, 'version.create');
    return insertVersion(tx, user, agreementId, { name, kind: 'named', state });
  });
  await deps.outbox.deliver([outboxId]);
  return version;
}

/**
 * Restore: make the live document equal to the version with ordinary edits (through the hub), then
 * record the result as a new version ("Återställd från …").
 */
export async function restoreVersion(deps: VersionCommandDeps, user: CommandUser, agreementId: string, versionId: string): Promise<VersionDto> {
  const pre = await loadSubject(deps.db, agreementId, user.id);
  authorize(pre.actor, 'version.restore', pre.agreement);
  const source = await getVersion(deps.db, agreementId, versionId);
  const versionDoc = docFromState(source.state);
  const origin: RestoreOrigin = { kind: 'restore', userId: user.id, versionId };
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
  const when = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(new Date(source.createdAt));
  const { version, outboxId } = await deps.db.transaction(async (tx) => {
    // The caller must still be a member (a removal may have committed meanwhile); the document edit
    // above is recorded either way when they are.
    const { actor, agreement } = await loadSubject(tx, agreementId, user.id);
    authorize(actor, 'agreement.read', agreement);
    return insertVersion(tx, user, agreementId, {
      name: `${RESTORED_NAME_PREFIX} ”${source.name}” (${when})`.slice(0, MAX_VERSION_NAME),
      kind: 'restore',
      state: restoredState!,
      restoredFrom: source.id,
    });
  });
  await deps.outbox.deliver([outboxId]);
  return version;
}
