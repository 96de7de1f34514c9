import { doublePrecision, date, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';
import { organisations } from './organisations.ts';
import { users } from './users.ts';

/**
 * A measurement of a signed agreement's goal (issue 17), recorded by an editor of the goal's responsible
 * party. `goalId` is the goal row's id in the document: it survives amendments (a revision starts from the
 * signed text), so the series continues across final versions; `finalVersionNumber` says which signed
 * version was in force when it was recorded. Names are copied so the history reads the same after an
 * account is removed. Never changed or deleted: corrections are new measurements.
 */
export const measurements = pgTable(
  'follow_up_measurements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    goalId: text('goal_id').notNull(),
    finalVersionNumber: integer('final_version_number').notNull(),
    value: doublePrecision('value').notNull(),
    measuredOn: date('measured_on', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    comment: text('comment').notNull().default(''),
    recordedById: uuid('recorded_by_id').references(() => users.id, { onDelete: 'set null' }),
    recordedByName: text('recorded_by_name').notNull(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('follow_up_measurements_agreement_idx').on(t.agreementId, t.goalId, t.measuredOn)],
);

/** Another party's confirmation of a measurement: one per party (409 `already-confirmed` for a second). */
export const measurementConfirmations = pgTable(
  'follow_up_confirmations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    measurementId: uuid('measurement_id')
      .notNull()
      .references(() => measurements.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    userName: text('user_name').notNull(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('follow_up_confirmations_party_unique').on(t.measurementId, t.partyId)],
);

/** A member's comment on a measurement (either party). */
export const measurementComments = pgTable(
  'follow_up_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    measurementId: uuid('measurement_id')
      .notNull()
      .references(() => measurements.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    userName: text('user_name').notNull(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('follow_up_comments_measurement_idx').on(t.measurementId, t.createdAt)],
);
