import { check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './users.ts';

export type OrganisationKind = 'ideburen' | 'kommun' | 'region';
export type OrganisationRole = 'admin' | 'member';

/**
 * An idéburen organisation, a kommun or a region. `orgNumber` is normalised to NNNNNN-NNNN.
 * `municipalityCode` is the SCB code: 4 digits for a kommun, the 2-digit county code for a region, null otherwise.
 */
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').$type<OrganisationKind>().notNull(),
    orgNumber: text('org_number').notNull(),
    municipalityCode: text('municipality_code'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('organisations_kind_check', sql`${t.kind} in ('ideburen', 'kommun', 'region')`),
    index('organisations_org_number_idx').on(t.orgNumber),
  ],
);

export const organisationMembers = pgTable(
  'organisation_members',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<OrganisationRole>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.userId] }),
    check('organisation_members_role_check', sql`${t.role} in ('admin', 'member')`),
    index('organisation_members_user_idx').on(t.userId),
  ],
);
