import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './users.ts';

export type OrganisationKind = 'ideburen' | 'kommun' | 'region';
export type OrganisationRole = 'admin' | 'member';
export type JoinRequestStatus = 'pending' | 'accepted' | 'rejected';

/**
 * An idéburen organisation, a kommun or a region. `orgNumber` is normalised to NNNNNN-NNNN.
 * `municipalityCode` is the SCB code: 4 digits for a kommun, the 2-digit county code for a region, null otherwise.
 *
 * One organisation per number: the unique index covers every row that is not a `duplicateOf` another.
 * Duplicates registered before the index existed (migration 0006) are kept, so their agreements keep
 * working, but point at the oldest registration of the number, are never verified and take no new members.
 * `verifiedAt`/`verifiedBy` (an operator's e-mail, OVERENS_ADMIN_EMAILS) say an operator checked who it is.
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
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    verifiedBy: text('verified_by'),
    duplicateOf: uuid('duplicate_of').references((): AnyPgColumn => organisations.id, { onDelete: 'set null' }),
  },
  (t) => [
    check('organisations_kind_check', sql`${t.kind} in ('ideburen', 'kommun', 'region')`),
    index('organisations_org_number_idx').on(t.orgNumber),
    uniqueIndex('organisations_org_number_key').on(t.orgNumber).where(sql`${t.duplicateOf} is null`),
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

/**
 * E-mail domains an organisation uses (`malmo.se`), lower-case. Requested by its administrators; once an
 * operator verified one, a user with a verified address at that domain joins without a request.
 */
export const organisationDomains = pgTable(
  'organisation_domains',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    domain: text('domain').notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    verifiedBy: text('verified_by'),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.domain] }), index('organisation_domains_domain_idx').on(t.domain)],
);

/** A user asking to become a member of an organisation; an administrator accepts or rejects it. */
export const organisationJoinRequests = pgTable(
  'organisation_join_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status').$type<JoinRequestStatus>().notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    check('organisation_join_requests_status_check', sql`${t.status} in ('pending', 'accepted', 'rejected')`),
    // At most one open request per user and organisation.
    uniqueIndex('organisation_join_requests_pending_key').on(t.organisationId, t.userId).where(sql`${t.status} = 'pending'`),
  ],
);
