/**
 * Delivers `mail_queue` rows through SMTP (nodemailer, SMTP_URL, from MAIL_FROM).
 *
 * Every `pollMs` each process claims due rows in one statement (`FOR UPDATE SKIP LOCKED`, then
 * `next_attempt_at` moved forward by a lease), so several processes share the queue without sending a
 * row twice; a process that dies mid-send leaves the row due again when its lease ends (at least once).
 * A failure is retried with exponential backoff; a permanent SMTP refusal (5xx) or the last of
 * `maxAttempts` gives up, marks the row failed and logs it at error level.
 */
import { and, asc, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client.ts';
import { mailQueue } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import { MailRequestSchema, registerSender } from './queue.ts';
import { renderMail } from './templates.ts';

export interface MailSenderOptions {
  db: Db;
  logger: Logger;
  /** smtp://user:pass@host:port or smtps://… (nodemailer connection URL). */
  smtpUrl: string;
  /** The From header, e.g. `Överens <noreply@example.se>`. */
  from: string;
  /** How often due rows are looked for (default 1000 ms). */
  pollMs?: number;
  /** How long a claimed row is left to its sender before another may take it (default 120 s). */
  leaseMs?: number;
  /** First retry delay; it doubles per attempt up to maxBackoffMs (defaults 30 s and 1 h). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts before giving up (default 8: about two hours with the default backoff). */
  maxAttempts?: number;
  /** Rows claimed per round (default 20). */
  batchSize?: number;
}

export interface MailSender {
  start(): void;
  /** Send everything due now (tests, shutdown); resolves when this round is done. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

type Row = typeof mailQueue.$inferSelect;

/** SMTP says "don't try again" with a 5xx reply; connection failures and 4xx replies are temporary. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function createMailSender(opts: MailSenderOptions): MailSender {
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? 120_000;
  const firstBackoff = opts.backoffMs ?? 30_000;
  const maxBackoff = opts.maxBackoffMs ?? 3600_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const batchSize = opts.batchSize ?? 20;
  const { db, logger } = opts;
  const transport: Transporter = nodemailer.createTransport(
    {
      url: opts.smtpUrl,
      // Bounded waits: a hanging SMTP server must not hold a row past its lease.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from: opts.from },
  );
  const unregister = registerSender();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let running: Promise<void> = Promise.resolve();
  let lastSweep = 0;

  const backoff = (attempts: number) => Math.min(firstBackoff * 2 ** Math.max(0, attempts - 1), maxBackoff);

  const claim = async (): Promise<Row[]> => {
    const due = db
      .select({ id: mailQueue.id })
      .from(mailQueue)
      .where(and(isNull(mailQueue.sentAt), isNull(mailQueue.failedAt), lte(mailQueue.nextAttemptAt, sql`now()`)))
      .orderBy(asc(mailQueue.id))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const rows = await db
      .update(mailQueue)
      .set({ nextAttemptAt: sql`now() + ${`${leaseMs} milliseconds`}::interval`, attempts: sql`${mailQueue.attempts} + 1` })
      .where(inArray(mailQueue.id, due))
      .returning();
    return rows.sort((a, b) => a.id - b.id);
  };

  const sendRow = async (row: Row) => {
    const parsed = MailRequestSchema.safeParse(row.request);
    if (!parsed.success) {
      logger.error({ mailId: row.id, kind: row.kind }, 'mail: queued request is malformed; giving up');
      await db.update(mailQueue).set({ failedAt: sql`now()`, lastError: 'malformed request' }).where(inArray(mailQueue.id, [row.id]));
      return;
    }
    const rendered = renderMail(parsed.data);
    try {
      const info = await transport.sendMail({ from: opts.from, to: row.recipient, subject: rendered.subject, text: rendered.text, html: rendered.html });
      await db.update(mailQueue).set({ sentAt: sql`now()`, lastError: null, messageId: String(info.messageId ?? '') }).where(inArray(mailQueue.id, [row.id]));
      logger.info({ mailId: row.id, kind: row.kind, attempts: row.attempts }, 'mail: sent');
    } catch (err) {
      const message = String((err as Error).message ?? err).slice(0, 500);
      if (isPermanent(err) || row.attempts >= maxAttempts) {
        logger.error({ mailId: row.id, kind: row.kind, attempts: row.attempts, err: message }, 'mail: giving up on this message');
        await db.update(mailQueue).set({ failedAt: sql`now()`, lastError: message }).where(inArray(mailQueue.id, [row.id])).catch(() => undefined);
        return;
      }
      const delay = backoff(row.attempts);
      logger.warn({ mailId: row.id, kind: row.kind, attempts: row.attempts, retryInMs: delay, err: message }, 'mail: sending failed; will retry');
      await db
        .update(mailQueue)
        .set({ nextAttemptAt: sql`now() + ${`${delay} milliseconds`}::interval`, lastError: message })
        .where(inArray(mailQueue.id, [row.id]))
        .catch(() => undefined); // database down: the lease runs out and the row is due again
    }
  };

  const run = async () => {
    const rows = await claim();
    for (const row of rows) await sendRow(row);
    if (Date.now() - lastSweep > 3600_000) {
      lastSweep = Date.now();
      // Sent and given-up messages are kept a week (what went out, for support), then deleted.
      await db.delete(mailQueue).where(or(lt(mailQueue.sentAt, sql`now() - interval '7 days'`), lt(mailQueue.failedAt, sql`now() - interval '7 days'`)));
    }
  };

  const serial = () => {
    const next = running.then(run).catch((err) => logger.warn({ err: String(err) }, 'mail: sender round failed'));
    running = next;
    return next;
  };

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      void serial().finally(schedule);
    }, pollMs);
    timer.unref?.();
  };

  return {
    start: () => {
      if (!timer && !closed) schedule();
    },
    drain: () => serial(),
    close: async () => {
      closed = true;
      unregister();
      if (timer) clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
