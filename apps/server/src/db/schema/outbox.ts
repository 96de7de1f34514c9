import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** An effect the dispatcher applies to the live sync engine (each re-reads the database: idempotent). */
export type SyncEffect =
  | { kind: 'lock' } // apply agreements.status to live sockets (every process)
  | { kind: 'membership'; userId: string } // re-check that user's sockets and event streams
  | { kind: 'ensure-parties' } // add the database's parties the document lacks
  | { kind: 'remove-party'; partyId: string }; // take a party the database no longer has out of the document

/**
 * Transactional outbox: what must happen after a change commits, written in the change's own
 * transaction (apps/server/src/outbox/writer.ts) and delivered by the dispatcher until done
 * (outbox/dispatcher.ts). No foreign key: a row outlives a deleted agreement and is then skipped.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    agreementId: uuid('agreement_id').notNull(),
    type: text('type').notNull(),
    /** Deliver only to members of this party (an internal comment); null = every member. */
    partyId: uuid('party_id'),
    /** The event's payload for the event stream; null = no stream event (sync effects only). */
    data: jsonb('data').$type<unknown>(),
    effects: jsonb('effects').$type<SyncEffect[]>().notNull().default([]),
    attempts: integer('attempts').notNull().default(0),
    /** Not before this (backoff after a failure, or the lease of a dispatcher working on it). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_events_pending_idx').on(t.nextAttemptAt, t.id).where(sql`${t.deliveredAt} is null`)],
);
