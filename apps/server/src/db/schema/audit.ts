import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';

/**
 * Append-only audit trail per agreement: invitations, role changes, approvals, voided approvals (with the
 * change that voided them), lock and unlock (with the reason), exports (who, version, hash), imports.
 * Written only through recordAudit() (apps/server/src/audit/service.ts); the API has no way to edit it.
 * The actor is stored as id + name without a foreign key, so the entry stays as written when users go.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_events_agreement_idx').on(t.agreementId, t.id)],
);
