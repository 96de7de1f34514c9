import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';
import { bytea } from './documents.ts';
import { users } from './users.ts';

/** 'named' = saved on demand, 'auto' = checkpoint when editing went idle, 'restore' = recorded by a restore. */
export type VersionKind = 'named' | 'auto' | 'restore';

/**
 * A saved version of an agreement's document: the full Yjs state (Y.encodeStateAsUpdate) at that time.
 * Versions are never changed; restoring one applies it as a new edit and records another version.
 */
export const agreementVersions = pgTable(
  'agreement_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind').$type<VersionKind>().notNull(),
    state: bytea('state').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** For kind 'restore': the version that was restored. */
    restoredFrom: uuid('restored_from'),
  },
  (t) => [
    check('agreement_versions_kind_check', sql`${t.kind} in ('named', 'auto', 'restore')`),
    index('agreement_versions_agreement_idx').on(t.agreementId, t.createdAt),
  ],
);
