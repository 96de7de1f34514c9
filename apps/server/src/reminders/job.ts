/**
 * Date reminders (issue 17): each member of a signed agreement gets one e-mail (`date-reminder`) a
 * configured number of days before each key date. Runs in every process on a timer, but the database
 * decides: for each reminder the process first inserts its identity row into `reminder_deliveries`
 * (agreement, kind, date, goal, user, days before) with ON CONFLICT DO NOTHING, and queues the mail in the
 * same transaction only when its insert won. Another process, or this one after a restart, finds the row
 * and skips. Each agreement is taken with FOR UPDATE SKIP LOCKED, so two processes do not work on the
 * same agreement at once (the one that skips catches up next round); correctness comes from the unique key.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { addDays } from '@overens/model';
import type { Db } from '../db/client.ts';
import { agreementMembers, agreements, finalVersions, reminderDeliveries, users } from '../db/schema/index.ts';
import { followUpLink } from '../calendar/ical.ts';
import type { Logger } from '../logger.ts';
import { enqueueMail, isMailEnabled } from '../mail/index.ts';
import { keyDatesOfAgreement, todayInStockholm } from '../queries/follow-up.ts';

export interface ReminderOptions {
  /** Days before each key date, e.g. [14] or [30, 7, 1]. */
  daysBefore: number[];
  /** Base of the link in the mail (OVERENS_PUBLIC_URL, else the server's own address). */
  base: string;
  /** The day to run for (Europe/Stockholm); tests pass one. */
  today?: string;
}

/**
 * One round: every reminder due on `today` — a key date `d` and an offset `k` with d − k ≤ today ≤ d —
 * that no process has queued yet. When several offsets of one date are due at once (the server was
 * down), only the nearest one is mailed; the others are recorded as done. Returns how many mails it queued.
 */
export async function runReminders(db: Db, options: ReminderOptions, logger?: Logger): Promise<number> {
  if (!isMailEnabled() || options.daysBefore.length === 0) return 0;
  const today = options.today ?? todayInStockholm();
  const horizon = addDays(today, Math.max(...options.daysBefore));
  const signed = await db
    .selectDistinct({ id: agreements.id, title: agreements.title })
    .from(agreements)
    .innerJoin(finalVersions, and(eq(finalVersions.agreementId, agreements.id), isNull(finalVersions.unlockedAt)))
    .where(isNull(agreements.archivedAt));
  let queued = 0;
  for (const a of signed) {
    const due = (await keyDatesOfAgreement(db, a)).filter((d) => d.date >= today && d.date <= horizon);
    if (due.length === 0) continue;
    queued += await db.transaction(async (tx) => {
      const [mine] = await tx.select({ id: agreements.id }).from(agreements).where(eq(agreements.id, a.id)).for('update', { skipLocked: true });
      if (!mine) return 0; // another process (or a command) holds this agreement right now: the next round
      const members = await tx
        .select({ userId: users.id, email: users.email })
        .from(agreementMembers)
        .innerJoin(users, eq(users.id, agreementMembers.userId))
        .where(eq(agreementMembers.agreementId, a.id));
      let n = 0;
      for (const d of due) {
        const offsets = options.daysBefore.filter((k) => addDays(d.date, -k) <= today).sort((x, y) => x - y);
        if (offsets.length === 0) continue;
        for (const m of members) {
          const won = await tx
            .insert(reminderDeliveries)
            .values(offsets.map((k) => ({ agreementId: a.id, kind: d.kind, date: d.date, goalId: d.goalId ?? '', userId: m.userId, daysBefore: k })))
            .onConflictDoNothing()
            .returning({ daysBefore: reminderDeliveries.daysBefore });
          // Mail once, for the nearest offset this round newly recorded.
          if (won.length === 0) continue;
          const daysLeft = Math.round((Date.parse(`${d.date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
          await enqueueMail(tx, {
            kind: 'date-reminder',
            to: m.email,
            agreementTitle: a.title,
            dateKind: d.kind,
            date: d.date,
            daysBefore: daysLeft,
            goalTitle: d.goalTitle ?? '',
            link: followUpLink(options.base, a.id),
          });
          n++;
        }
      }
      return n;
    });
  }
  if (queued > 0) logger?.info({ queued, today }, 'reminders: date reminders queued');
  return queued;
}

/** Runs a round now and then every `intervalMs` (each process; the database makes each reminder go once). */
export function startReminders(db: Db, options: ReminderOptions & { intervalMs: number }, logger?: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = running
      .then(() => runReminders(db, options, logger))
      .catch((err) => logger?.warn({ err }, 'reminders: round failed; the next round retries'));
  };
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  first.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
