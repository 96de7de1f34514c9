import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/** Same shape as `Template` in @overens/model (kept local so the schema loads without the model package). */
export interface StoredTemplate {
  name: string;
  sections: { key: string; title: string; guidance?: string; required: boolean }[];
}

/**
 * An organisation's own agreement template. The content lives in versions: every change is a new
 * row in `template_versions`, and an agreement records the (templateId, version) it started from.
 * The built-in standard template is not stored here; it has the id `standard` (see routes/templates.ts).
 */
export const templates = pgTable(
  'templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    latestVersion: integer('latest_version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('templates_organisation_idx').on(t.organisationId)],
);

export const templateVersions = pgTable(
  'template_versions',
  {
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    content: jsonb('content').$type<StoredTemplate>().notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);
