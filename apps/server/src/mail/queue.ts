/**
 * enqueueMail: the message goes into `mail_queue` in the caller's transaction, so it is sent only if the
 * change that causes it commits. Without SMTP (no SMTP_URL on any server in this process) it does
 * nothing: the UI shows links to copy instead.
 */
import { z } from 'zod';
import type { DbOrTx } from '../db/client.ts';
import { mailQueue } from '../db/schema/index.ts';
import type { MailRequest } from './types.ts';

/**
 * How many mail senders with an SMTP transport are running in this process (normally 0 or 1: one per
 * server). enqueueMail queues only while there is one; a server with SMTP_URL starts its sender before
 * it listens and stops it on close.
 */
let activeSenders = 0;

/** @internal used by the sender */
export function registerSender(): () => void {
  activeSenders++;
  let done = false;
  return () => {
    if (!done) activeSenders--;
    done = true;
  };
}

/** Whether mail is sent (SMTP is configured): the UI then says "sent to …" instead of showing a link to copy. */
export function isMailEnabled(): boolean {
  return activeSenders > 0;
}

const text = z.string().max(500);
const email = z.email().max(320);
const link = z.url({ protocol: /^https?$/ }).max(2000);

/** A malformed request is a programming error: it throws (and so rolls back the caller's transaction). */
export const MailRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('invitation'), to: email, agreementTitle: text, inviterName: text, inviterOrganisation: text, role: z.enum(['editor', 'commenter', 'viewer']), signatory: z.boolean(), link }).strict(),
  z.object({ kind: z.literal('join-request'), to: email, organisationName: text, requesterName: text, requesterEmail: email, link }).strict(),
  z.object({ kind: z.literal('join-decided'), to: email, organisationName: text, accepted: z.boolean(), link }).strict(),
  z.object({ kind: z.literal('email-verification'), to: email, name: text, link }).strict(),
  z.object({ kind: z.literal('approval-requested'), to: email, agreementTitle: text, partyName: text, requestedBy: text, link }).strict(),
  z.object({ kind: z.literal('organisation-invitation'), to: email, organisationName: text, inviterName: text, role: z.enum(['admin', 'member']), link }).strict(),
  z
    .object({
      kind: z.literal('date-reminder'),
      to: email,
      agreementTitle: text,
      dateKind: z.enum(['follow-up', 'goal-deadline', 'period-end', 'notice', 'renegotiation']),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      daysBefore: z.number().int().min(0),
      goalTitle: text,
      link,
    })
    .strict(),
]);

/** Queues `mail` in the caller's transaction (`tx`); a no-op when SMTP is not configured. */
export async function enqueueMail(tx: DbOrTx, mail: MailRequest): Promise<void> {
  if (!isMailEnabled()) return;
  const parsed = MailRequestSchema.safeParse(mail);
  if (!parsed.success) {
    throw new Error(`enqueueMail(${(mail as { kind?: string }).kind}): ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  await tx.insert(mailQueue).values({ kind: parsed.data.kind, recipient: parsed.data.to, request: parsed.data });
}
