import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';

/**
 * Binary column. PGlite returns Uint8Array, postgres.js returns Buffer (a Uint8Array too); we always
 * hand the driver a Buffer view (no copy) so both serialise it as bytea.
 */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  toDriver(value) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  },
  fromDriver(value) {
    return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBufferLike);
  },
});

/**
 * Compacted Yjs state of an agreement's document (one row per agreement). Written once when the
 * agreement is created (storeInitialState, inside the creation transaction) and replaced by
 * compaction, which holds this row's lock (SELECT … FOR UPDATE) so two processes never compact the
 * same agreement at once. Loading a document = this state + the tail of document_updates.
 */
export const documentSnapshots = pgTable('document_snapshots', {
  agreementId: uuid('agreement_id')
    .primaryKey()
    .references(() => agreements.id, { onDelete: 'cascade' }),
  state: bytea('state').notNull(),
  /** Number of compactions so far (0 = the initial state). */
  generation: integer('generation').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Append-only Yjs update log. Each row is one flush batch (merged updates) of one server process.
 * Rows are deleted only by compaction, after they were merged into document_snapshots.
 */
export const documentUpdates = pgTable(
  'document_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    update: bytea('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index('document_updates_agreement_idx').on(t.agreementId, t.id)],
);
