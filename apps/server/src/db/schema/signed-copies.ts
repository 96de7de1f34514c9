import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';
import { finalVersions } from './approvals.ts';
import { bytea } from './documents.ts';

export type SignedCopyMatch = 'matched' | 'not-matched';

/**
 * A signed copy of a final version, uploaded after signing outside the tool (a scan, or a PDF from an
 * e-signature service). The bytes are kept as uploaded; `sha256` is recorded in the audit trail too.
 * `match` says whether the PDF's text holds the final version's hash text that our export prints on
 * every page. Several uploads per final version are kept (a later one is shown first).
 */
export const signedCopies = pgTable(
  'signed_copies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    finalVersionId: uuid('final_version_id')
      .notNull()
      .references(() => finalVersions.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    match: text('match').$type<SignedCopyMatch>().notNull(),
    pages: integer('pages').notNull(),
    content: bytea('content').notNull(),
    uploadedById: uuid('uploaded_by_id'),
    uploadedByName: text('uploaded_by_name').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('signed_copies_agreement_idx').on(t.agreementId, t.uploadedAt)],
);
