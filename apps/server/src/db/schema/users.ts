import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A person who signs in. E-mail is stored lower-cased and trimmed; uniqueness is on that form. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** Befattning (e.g. "Förvaltningsdirektör"): printed under the name when this person signs for a party. */
  title: text('title').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** When the user proved they read mail at `email` (a link from the `email-verification` mail); null = not verified. */
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
});

/**
 * E-mail verification links. Like sessions and invitations, only the SHA-256 (hex) of the link's token is
 * stored. `email` is the address the link proves (a changed address needs a new link). Single use.
 */
export const emailVerificationTokens = pgTable(
  'email_verification_tokens',
  {
    id: text('id').primaryKey(), // sha256(token) hex
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('email_verification_tokens_user_idx').on(t.userId)],
);

/**
 * Server-side sessions. The cookie carries a random token; only its SHA-256 (hex) is stored, so a
 * database leak does not leak live sessions. Revoking = deleting the row.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(), // sha256(token) hex
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);
