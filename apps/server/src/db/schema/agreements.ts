import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

export type AgreementStatus = 'draft' | 'locked';
/** A revision reopens a signed agreement: an amendment (tillägg) or a renewal (förlängning). */
export type RevisionKind = 'amendment' | 'renewal';
export type MemberRole = 'editor' | 'commenter' | 'viewer';

/**
 * An IOP agreement. Its content lives in the Y.Doc (see sync/); this row holds what the server needs
 * without loading the document. `templateId` is `standard` or a templates.id (text, no FK: the standard
 * template is built in). `finalVersionId` points at the locked final version (versions are owned by versions/).
 */
export const agreements = pgTable(
  'agreements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    templateId: text('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    status: text('status').$type<AgreementStatus>().notNull().default('draft'),
    finalVersionId: uuid('final_version_id'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    /**
     * The revision in progress or last started (commands/revisions.ts): its kind, its number among
     * revisions of that kind (Tillägg 1, 2 …) and the final version number it amends. Null: never revised.
     */
    revisionKind: text('revision_kind').$type<RevisionKind>(),
    revisionNumber: integer('revision_number'),
    revisionBasedOn: integer('revision_based_on'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('agreements_status_check', sql`${t.status} in ('draft', 'locked')`),
    check('agreements_revision_kind_check', sql`${t.revisionKind} is null or ${t.revisionKind} in ('amendment', 'renewal')`),
  ],
);

/** The organisations that are parties to an agreement, in the order they joined. */
export const agreementParties = pgTable(
  'agreement_parties',
  {
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.agreementId, t.organisationId] }),
    index('agreement_parties_organisation_idx').on(t.organisationId),
  ],
);

/**
 * A user's membership of an agreement: role, signatory (firmatecknare) flag, and the party
 * (organisation) they represent.
 */
export const agreementMembers = pgTable(
  'agreement_members',
  {
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    role: text('role').$type<MemberRole>().notNull(),
    signatory: boolean('signatory').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.agreementId, t.userId] }),
    check('agreement_members_role_check', sql`${t.role} in ('editor', 'commenter', 'viewer')`),
    index('agreement_members_user_idx').on(t.userId),
    // A member always represents one of the agreement's parties.
    foreignKey({
      name: 'agreement_members_party_fk',
      columns: [t.agreementId, t.partyId],
      foreignColumns: [agreementParties.agreementId, agreementParties.organisationId],
    }).onDelete('cascade'),
  ],
);

/**
 * Invitation links. The token (32 random bytes, base64url) is only in the link; the row stores its
 * SHA-256 (hex). Single use: `acceptedAt` set atomically on acceptance. `newParty` invitations let the
 * acceptor bring their own organisation as a new party; otherwise the acceptor joins `partyId`.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    role: text('role').$type<MemberRole>().notNull(),
    signatory: boolean('signatory').notNull().default(false),
    newParty: boolean('new_party').notNull().default(false),
    /** The party a colleague joins (the inviter's party); null for new-party invitations. */
    partyId: uuid('party_id').references(() => organisations.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    check('invitations_role_check', sql`${t.role} in ('editor', 'commenter', 'viewer')`),
    index('invitations_agreement_idx').on(t.agreementId),
  ],
);
