/**
 * The mail queue against a real SMTP server in the test process: a message queued in a transaction
 * arrives (Swedish first, an English part, names escaped in HTML); a rolled-back transaction sends
 * nothing; without SMTP nothing is queued; a temporary SMTP refusal is retried and then delivered; a
 * permanent one gives up; two senders on the same queue (two connection pools on PostgreSQL) deliver
 * every message exactly once.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.ts';
import { mailQueue } from '../src/db/schema/index.ts';
import { createLogger } from '../src/logger.ts';
import { createMailSender, enqueueMail, isMailEnabled, type MailRequest, type MailSender } from '../src/mail/index.ts';
import { drivers } from './helpers/drivers.ts';
import { startTestSmtpServer, type TestSmtpServer } from './helpers/smtp.ts';
import { createTestDatabase, type TestDatabase } from './support/index.ts';

const logger = createLogger('silent');

const invitation = (to: string, extra: Partial<MailRequest> = {}): MailRequest => ({
  kind: 'invitation',
  to,
  agreementTitle: 'IOP om läxhjälp <b>& mer</b>',
  inviterName: 'Nora <script>alert(1)</script>',
  inviterOrganisation: 'Föreningen Läxhjälpen',
  role: 'editor',
  signatory: true,
  link: 'http://127.0.0.1:1/#/invitations/abc',
  ...(extra as object),
}) as MailRequest;

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

describe.each(drivers)('mail queue (%s)', (driver) => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  const senders: MailSender[] = [];
  const sender = (overrides: Partial<Parameters<typeof createMailSender>[0]> = {}) => {
    const s = createMailSender({ db: database.db, logger, smtpUrl: smtp.url, from: 'Överens <noreply@overens.test>', pollMs: 20, backoffMs: 20, ...overrides });
    senders.push(s);
    return s;
  };
  const rows = async (to: string) => database.db.select().from(mailQueue).where(eq(mailQueue.recipient, to));

  beforeAll(async () => {
    database = await createTestDatabase({ driver });
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    for (const s of senders) await s.close();
    await smtp?.close();
    await database?.close();
  });

  it('without SMTP nothing is queued', async () => {
    expect(isMailEnabled()).toBe(false);
    await database.db.transaction((tx) => enqueueMail(tx, invitation('ingen@exempel.se')));
    expect(await rows('ingen@exempel.se')).toHaveLength(0);
  });

  it('a message queued in a committed transaction arrives, Swedish then English, escaped in HTML', async () => {
    const s = sender();
    expect(isMailEnabled()).toBe(true);
    await database.db.transaction((tx) => enqueueMail(tx, invitation('anna@exempel.se')));
    await s.drain();
    const mail = await smtp.waitFor((m) => m.to.includes('anna@exempel.se'));
    expect(mail.from).toBe('noreply@overens.test');
    expect(mail.subject).toBe('Inbjudan till överenskommelsen ”IOP om läxhjälp <b>& mer</b>” / Invitation to the agreement “IOP om läxhjälp <b>& mer</b>”');
    const sv = mail.text.indexOf('bjuder in dig att redigera');
    const en = mail.text.indexOf('invites you to edit');
    expect(sv).toBeGreaterThan(-1);
    expect(en).toBeGreaterThan(sv);
    expect(mail.text).toContain('firmatecknare');
    expect(mail.text).toContain('http://127.0.0.1:1/#/invitations/abc');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Nora &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('<a href="http://127.0.0.1:1/#/invitations/abc">Öppna inbjudan</a>');
    expect(mail.html).toContain('lang="en"');
    const [row] = await rows('anna@exempel.se');
    expect(row!.sentAt).not.toBeNull();
    expect(row!.attempts).toBe(1);
    await s.close();
  });

  it('a rolled-back transaction sends nothing', async () => {
    const s = sender();
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueMail(tx, invitation('rollback@exempel.se'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await database.db.transaction((tx) => enqueueMail(tx, invitation('after-rollback@exempel.se')));
    await s.drain();
    await smtp.waitFor((m) => m.to.includes('after-rollback@exempel.se'));
    expect(smtp.received.filter((m) => m.to.includes('rollback@exempel.se'))).toHaveLength(0);
    expect(await rows('rollback@exempel.se')).toHaveLength(0);
    await s.close();
  });

  it('a malformed request throws in the caller and rolls its transaction back', async () => {
    const s = sender();
    await expect(database.db.transaction((tx) => enqueueMail(tx, invitation('not-an-address')))).rejects.toThrow(/to/);
    await expect(database.db.transaction((tx) => enqueueMail(tx, invitation('x@exempel.se', { link: 'javascript:alert(1)' } as Partial<MailRequest>)))).rejects.toThrow(/link/);
    expect(await rows('x@exempel.se')).toHaveLength(0);
    await s.close();
  });

  it('a temporary SMTP failure is retried with backoff and then delivered', async () => {
    const s = sender();
    smtp.refuseNext(2, 451);
    const refusedBefore = smtp.refused;
    await database.db.transaction((tx) => enqueueMail(tx, invitation('retry@exempel.se')));
    s.start();
    const mail = await smtp.waitFor((m) => m.to.includes('retry@exempel.se'));
    expect(mail.subject).toContain('Inbjudan');
    expect(smtp.refused - refusedBefore).toBe(2);
    await until(async () => (await rows('retry@exempel.se'))[0]?.sentAt != null);
    const [row] = await rows('retry@exempel.se');
    expect(row!.attempts).toBe(3);
    expect(smtp.received.filter((m) => m.to.includes('retry@exempel.se'))).toHaveLength(1);
    await s.close();
  });

  it('a permanent refusal (5xx) gives up at once; a temporary one gives up after maxAttempts', async () => {
    const s = sender({ maxAttempts: 3 });
    smtp.refuseNext(1, 550);
    await database.db.transaction((tx) => enqueueMail(tx, invitation('permanent@exempel.se')));
    await s.drain();
    let [row] = await rows('permanent@exempel.se');
    expect(row!.failedAt).not.toBeNull();
    expect(row!.attempts).toBe(1);
    expect(row!.lastError).toContain('mailbox unavailable');

    smtp.refuseNext(3, 451);
    await database.db.transaction((tx) => enqueueMail(tx, invitation('temporary@exempel.se')));
    s.start();
    await until(async () => (await rows('temporary@exempel.se'))[0]?.failedAt != null);
    [row] = await rows('temporary@exempel.se');
    expect(row!.attempts).toBe(3);
    expect(row!.sentAt).toBeNull();
    await s.close();
    expect(smtp.received.filter((m) => m.to.includes('temporary@exempel.se') || m.to.includes('permanent@exempel.se'))).toHaveLength(0);
  });

  it('two senders on one queue deliver every message exactly once', async () => {
    // On PostgreSQL the second sender has its own connection pool, like a second process.
    const second = database.url ? await openDatabase({ databaseUrl: database.url, maxConnections: 3 }) : null;
    try {
      const a = sender({ batchSize: 3 });
      const b = sender({ batchSize: 3, db: second?.db ?? database.db });
      const recipients = Array.from({ length: 24 }, (_, i) => `twice${i}@exempel.se`);
      await database.db.transaction(async (tx) => {
        for (const to of recipients) await enqueueMail(tx, invitation(to));
      });
      await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
      a.start();
      b.start();
      await until(async () => {
        const [r] = await database.db.select({ n: sql<number>`count(*)::int` }).from(mailQueue).where(sql`${mailQueue.recipient} like 'twice%' and ${mailQueue.sentAt} is null`);
        return r!.n === 0;
      });
      await a.close();
      await b.close();
      for (const to of recipients) expect(smtp.received.filter((m) => m.to.includes(to)), to).toHaveLength(1);
    } finally {
      await second?.close();
    }
  });
});
