/**
 * Durable document storage: a full-state snapshot per agreement plus an append-only update log.
 *
 * - load = snapshot + tail, read in ONE statement (UNION ALL) so a concurrent compaction can never
 *   make us see the old snapshot without the rows it deleted.
 * - append = one row per flush batch (the batch is merged first).
 * - compaction = in the caller's transaction, holding the snapshot row's lock (SELECT … FOR UPDATE),
 *   so two processes never compact the same agreement at once; it deletes exactly the rows it read.
 * - storeInitialState = the agreement-creation transaction writes the first snapshot (exactly once:
 *   a second call for the same agreement fails on the primary key).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import * as Y from 'yjs';
import { documentSnapshots, documentUpdates } from '../db/schema/documents.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SyncDb = PgDatabase<PgQueryResultHKT, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SyncTx = PgTransaction<PgQueryResultHKT, any, any>;
type Executor = SyncDb | SyncTx;

export interface LoadedDocument {
  /** Snapshot first (if any), then tail updates; order does not matter to Yjs. */
  updates: Uint8Array[];
  hasSnapshot: boolean;
  tailCount: number;
  tailBytes: number;
}

export async function loadDocument(db: Executor, agreementId: string): Promise<LoadedDocument> {
  const rows = await db
    .select({ kind: sql<number>`0`.mapWith(Number), data: documentSnapshots.state })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.agreementId, agreementId))
    .unionAll(
      db
        .select({ kind: sql<number>`1`.mapWith(Number), data: documentUpdates.update })
        .from(documentUpdates)
        .where(eq(documentUpdates.agreementId, agreementId)),
    );
  const out: LoadedDocument = { updates: [], hasSnapshot: false, tailCount: 0, tailBytes: 0 };
  for (const row of rows) {
    const data = toU8(row.data);
    if (Number(row.kind) === 0) {
      out.hasSnapshot = true;
      out.updates.unshift(data);
    } else {
      out.tailCount++;
      out.tailBytes += data.byteLength;
      out.updates.push(data);
    }
  }
  return out;
}

/** Build a Y.Doc from stored state (never from JSON). An update Yjs cannot apply is skipped (see applyUpdates). */
export function docFromUpdates(updates: Uint8Array[], doc = new Y.Doc(), onBadUpdate: (err: unknown, index: number) => void = () => {}): Y.Doc {
  applyUpdates(doc, updates, 'load', onBadUpdate);
  return doc;
}

/**
 * Apply updates in one transaction. One that Yjs cannot integrate is reported and skipped, so a
 * single bad update can never keep a document from loading or block the ones after it.
 */
export function applyUpdates(doc: Y.Doc, updates: Uint8Array[], origin: unknown, onBadUpdate: (err: unknown, index: number) => void): void {
  Y.transact(
    doc,
    () => {
      for (let i = 0; i < updates.length; i++) {
        try {
          Y.applyUpdate(doc, updates[i]!, origin);
        } catch (err) {
          onBadUpdate(err, i);
        }
      }
    },
    origin,
  );
}

export async function appendUpdate(db: Executor, agreementId: string, update: Uint8Array): Promise<void> {
  await appendUpdates(db, [{ agreementId, update }]);
}

/**
 * One INSERT for several agreements' batches, with two parameters whatever the row count: the
 * updates concatenated into one bytea, and a JSON list of [agreementId, offset, length]. (Building
 * a many-row VALUES list through the query builder cost more CPU than everything else in a flush.)
 */
export async function appendUpdates(db: Executor, rows: { agreementId: string; update: Uint8Array }[]): Promise<void> {
  if (rows.length === 0) return;
  const index: [string, number, number][] = [];
  let offset = 0;
  for (const r of rows) {
    index.push([r.agreementId, offset, r.update.byteLength]);
    offset += r.update.byteLength;
  }
  const blob = Buffer.concat(rows.map((r) => r.update), offset);
  await db.execute(sql`
    insert into document_updates (agreement_id, "update")
    select (r->>0)::uuid, substring(${blob}::bytea from (r->>1)::int + 1 for (r->>2)::int)
    from jsonb_array_elements(${JSON.stringify(index)}::jsonb) with ordinality as t(r, n)
    order by n`);
}

/**
 * Write the agreement's initial Yjs state (from createInitialDocumentState) inside the
 * agreement-creation transaction. Fails if the agreement already has a snapshot.
 */
export async function storeInitialState(tx: Executor, agreementId: string, update: Uint8Array): Promise<void> {
  Y.decodeUpdate(update); // refuse to store something that is not a Yjs update
  await tx.insert(documentSnapshots).values({ agreementId, state: update, generation: 0 });
}

export interface CompactionResult {
  mergedRows: number;
  stateBytes: number;
}

/**
 * Fold the update log into the snapshot. Must run inside a transaction; takes the snapshot row lock.
 */
export async function compact(tx: SyncTx, agreementId: string): Promise<CompactionResult> {
  // make sure there is a row to lock (agreements created without initial state)
  await tx
    .insert(documentSnapshots)
    .values({ agreementId, state: EMPTY_UPDATE, generation: 0 })
    .onConflictDoNothing({ target: documentSnapshots.agreementId });
  const [snap] = await tx
    .select({ state: documentSnapshots.state })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.agreementId, agreementId))
    .for('update');
  const tail = await tx
    .select({ id: documentUpdates.id, update: documentUpdates.update })
    .from(documentUpdates)
    .where(eq(documentUpdates.agreementId, agreementId));
  if (tail.length === 0) return { mergedRows: 0, stateBytes: snap ? toU8(snap.state).byteLength : 0 };
  const doc = new Y.Doc();
  try {
    // one row at a time, yielding in between: the tail can hold a burst of keystrokes, and other
    // agreements, HTTP and health must keep answering while it is folded (each row is bounded, see update-queue.ts)
    docFromUpdates([toU8(snap!.state)], doc);
    for (const r of tail) {
      await yieldToEventLoop();
      docFromUpdates([toU8(r.update)], doc);
    }
    const state = Y.encodeStateAsUpdate(doc);
    await tx
      .update(documentSnapshots)
      .set({ state, generation: sql`${documentSnapshots.generation} + 1`, updatedAt: new Date() })
      .where(eq(documentSnapshots.agreementId, agreementId));
    // exactly the rows that were merged: rows committed after our SELECT stay in the tail
    const ids = tail.map((r) => r.id);
    for (let i = 0; i < ids.length; i += 1000) {
      await tx.delete(documentUpdates).where(inArray(documentUpdates.id, ids.slice(i, i + 1000)));
    }
    return { mergedRows: tail.length, stateBytes: state.byteLength };
  } finally {
    doc.destroy();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export const EMPTY_UPDATE: Uint8Array = Y.encodeStateAsUpdate(new Y.Doc());

function toU8(v: Uint8Array | ArrayBufferLike): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(v);
}
