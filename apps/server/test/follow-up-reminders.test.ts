/**
 * Date reminders (issue 17): with two server processes on one database and Redis, both running the reminder job
 * and both sending mail, a follow-up date coming up within OVERENS_REMINDER_DAYS_BEFORE reaches a real
 * SMTP server once per member — not once per process, and not again on later rounds.
 */
import { listGoals, updateGoal } from '@overens/model';
import { and, count, eq, isNull } from 'drizzle-orm';
import { mailQueue, reminderDeliveries } from '../src/db/schema/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInStockholm } from '../src/queries/follow-up.ts';
import { runReminders } from '../src/reminders/job.ts';
import { addDays } from '@overens/model';
import { drivers } from './helpers/drivers.ts';
import { setUpSignedAgreement } from './helpers/signed-agreement.ts';
import { startTestSmtpServer, type TestSmtpServer } from './helpers/smtp.ts';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from './support/index.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each(drivers)('date reminders across two processes (%s)', (driver) => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    database = await createTestDatabase({ driver });
    // Two processes serve the same agreements through Redis (the supported scale-out), both sending mail.
    const config = { smtpUrl: smtp.url, redisUrl: REDIS_URL, outboxPollMs: 50, reminderDaysBefore: [14], reminderIntervalMs: 1000 };
    a = await startTestServer({ database, ...config });
    b = await startTestServer({ database, ...config });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
    await smtp?.close();
  });

  it('mails each member once for a follow-up date 5 days ahead', async () => {
    const date = addDays(todayInStockholm(), 5);
    const p = await setUpSignedAgreement(a, (doc) => {
      const g = listGoals(doc)[1]!;
      updateGoal(doc, g.id, { followUpDates: [...g.followUpDates, date] });
    });
    const members = 4; // NGO editor, commenter, viewer; kommun editor
    const forDate = () => smtp.received.filter((m) => m.subject.includes(date) && m.subject.includes('IOP om läxhjälp'));
    // Both processes' own timers run the job; wait until every member's reminder arrived.
    await expect.poll(() => forDate().length, { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(members);
    // More rounds in both processes at once, then let the queue drain: nothing more is sent.
    const options = { daysBefore: [14], base: a.url };
    await Promise.all([runReminders(a.deps.db, options), runReminders(b.deps.db, options), runReminders(a.deps.db, options), runReminders(b.deps.db, options)]);
    const pending = async () =>
      (await a.deps.db.select({ n: count() }).from(mailQueue).where(and(isNull(mailQueue.sentAt), isNull(mailQueue.failedAt))))[0]!.n;
    await expect.poll(pending, { timeout: 120_000, interval: 100 }).toBe(0);
    const rows = await a.deps.db.select({ n: count() }).from(reminderDeliveries).where(eq(reminderDeliveries.date, date));
    expect(rows[0]!.n).toBe(members);
    const mails = forDate();
    expect(mails).toHaveLength(members);
    expect(new Set(mails.flatMap((m) => m.to)).size).toBe(members);
    const mail = mails[0]!;
    expect(mail.subject).toContain(`Uppföljning ${date}`);
    expect(mail.text).toContain('om 5 dagar');
    expect(mail.text).toContain('in 5 days');
    // Without OVERENS_PUBLIC_URL each process links to its own address: either server may have sent it.
    expect([a.url, b.url].some((u) => mail.text.includes(`${u}/#/agreements/${p.agreementId}/follow-up`))).toBe(true);
  });
});
