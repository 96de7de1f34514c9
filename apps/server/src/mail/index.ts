/**
 * Outgoing e-mail (the shared mail contract): `enqueueMail(tx, mail)` inside a command's transaction;
 * the sender (started by the server when SMTP_URL is set) delivers it. See README.md.
 */
export type { MailKind, MailRequest, RenderedMail } from './types.ts';
export { enqueueMail, isMailEnabled } from './queue.ts';
export { createMailSender, type MailSender, type MailSenderOptions } from './sender.ts';
export { renderMail, escapeHtml } from './templates.ts';
