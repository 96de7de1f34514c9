import { date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agreements } from './agreements.ts';
import { users } from './users.ts';

/**
 * One row per reminder e-mail queued (apps/server/src/reminders): the primary key is the reminder's
 * identity — agreement, kind of date, the date, goal ('' for agreement-wide dates), user and how many
 * days before — so inserting it is "send once": the process whose insert wins queues the mail in the same
 * transaction, every other process (or a later run after a restart) sees the conflict and skips it.
 */
export const reminderDeliveries = pgTable(
  'reminder_deliveries',
  {
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    goalId: text('goal_id').notNull().default(''),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    daysBefore: integer('days_before').notNull(),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.agreementId, t.kind, t.date, t.goalId, t.userId, t.daysBefore] })],
);
