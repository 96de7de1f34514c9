import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

export type CommentVisibility = 'all' | 'internal';

/**
 * A comment thread on a passage of one section. The anchor is a pair of Yjs relative positions
 * (Y.encodeRelativePosition, base64) into the section body, so it follows edits around it; `quote` is
 * the text that was selected when the thread was started (shown when the anchor text is deleted).
 * `visibility = 'internal'` threads are only ever delivered to members of `partyId` (the author's party).
 */
export const commentThreads = pgTable(
  'comment_threads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    sectionId: text('section_id').notNull(),
    anchorStart: text('anchor_start').notNull(),
    anchorEnd: text('anchor_end').notNull(),
    quote: text('quote').notNull(),
    visibility: text('visibility').$type<CommentVisibility>().notNull(),
    /** The author's party when the thread was created; the audience of internal threads. */
    partyId: uuid('party_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    check('comment_threads_visibility_check', sql`${t.visibility} in ('all', 'internal')`),
    index('comment_threads_agreement_idx').on(t.agreementId, t.createdAt),
  ],
);

/** One message in a thread (the first one is the opening comment). `mentions` are member user ids. */
export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => commentThreads.id, { onDelete: 'cascade' }),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    mentions: jsonb('mentions').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
  },
  (t) => [index('comments_thread_idx').on(t.threadId, t.createdAt)],
);
