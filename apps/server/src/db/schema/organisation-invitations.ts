import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisations, type OrganisationRole } from './organisations.ts';
import { users } from './users.ts';

/**
 * An administrator's invitation of an e-mail address into an organisation (issue 14 item 1): the link
 * carries a random token, the row keeps its SHA-256 (`id`). Single use (`acceptedAt`), withdrawable
 * (`withdrawnAt`), and it expires (`expiresAt`, OVERENS_ORGANISATION_INVITATION_TTL_DAYS).
 */
export const organisationInvitations = pgTable(
  'organisation_invitations',
  {
    id: text('id').primaryKey(), // sha256(token) hex
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role').$type<OrganisationRole>().notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    check('organisation_invitations_role_check', sql`${t.role} in ('admin', 'member')`),
    index('organisation_invitations_org_idx').on(t.organisationId),
  ],
);
