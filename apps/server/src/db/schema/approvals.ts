import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';
import { agreementVersions } from './versions.ts';

export type ApprovalVoidReason = 'changed' | 'unlocked';
export type FinalVersionKind = 'original' | 'amendment' | 'renewal';

/**
 * A signatory's approval of the agreement for signing, bound to the SHA-256 of the canonical
 * serialisation of the whole agreement at that moment. `canonical` keeps that serialisation so a later
 * change can be described against it. Approvals are never deleted: a change voids them (voidedAt, with
 * who changed what in `voidedChange`), as does an unlock.
 */
export const approvals = pgTable(
  'approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    userName: text('user_name').notNull(),
    /** The approver's title (befattning) when they approved: the signatory as the signature block prints them. */
    userTitle: text('user_title').notNull().default(''),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    hash: text('hash').notNull(),
    canonical: text('canonical').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidReason: text('void_reason').$type<ApprovalVoidReason>(),
    voidedById: uuid('voided_by_id'),
    voidedByName: text('voided_by_name'),
    /** What changed: { summary: string[], hash (new) } for 'changed'; { reason } for 'unlocked'. */
    voidedChange: jsonb('voided_change').$type<Record<string, unknown>>(),
  },
  (t) => [
    check('approvals_void_reason_check', sql`${t.voidReason} is null or ${t.voidReason} in ('changed', 'unlocked')`),
    index('approvals_agreement_idx').on(t.agreementId, t.createdAt),
  ],
);

/**
 * Final version N of an agreement: the state every party approved (same hash), locked for signing.
 * `versionId` is the matching row in agreement_versions (named "Slutlig version N"), which
 * agreements.final_version_id points at while the agreement is locked.
 */
export const finalVersions = pgTable(
  'final_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    hash: text('hash').notNull(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => agreementVersions.id, { onDelete: 'restrict' }),
    lockedAt: timestamp('locked_at', { withTimezone: true }).notNull().defaultNow(),
    unlockedAt: timestamp('unlocked_at', { withTimezone: true }),
    unlockedById: uuid('unlocked_by_id'),
    unlockedByName: text('unlocked_by_name'),
    unlockReason: text('unlock_reason'),
    /** 'original', or the revision it concludes: "Tillägg <revisionNumber>" / "Förlängning <revisionNumber>" of final version `amends`. */
    kind: text('kind').$type<FinalVersionKind>().notNull().default('original'),
    revisionNumber: integer('revision_number'),
    amends: integer('amends'),
  },
  (t) => [check('final_versions_kind_check', sql`${t.kind} in ('original', 'amendment', 'renewal')`), unique('final_versions_agreement_number_unique').on(t.agreementId, t.number), index('final_versions_version_idx').on(t.versionId)],
);
