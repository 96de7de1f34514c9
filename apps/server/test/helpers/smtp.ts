/**
 * A real SMTP server in the test process (smtp-server), reading what arrives with mailparser. It can
 * refuse the next messages with a temporary (451) or permanent (550) reply, to test retries.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  /** smtp://127.0.0.1:<port> for SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** Refuse the next `n` messages with this SMTP reply code (451 temporary, 550 permanent). */
  refuseNext(n: number, code?: number): void;
  /** How many messages were refused so far. */
  refused: number;
  waitFor(pred: (m: ReceivedMail) => boolean, what?: string): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const waiters: Array<{ pred: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }> = [];
  let refuse = 0;
  let refuseCode = 451;
  const state = { received: [] as ReceivedMail[], refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (refuse > 0) {
            refuse--;
            state.refused++;
            const err = Object.assign(new Error(refuseCode >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: refuseCode });
            callback(err);
            return;
          }
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            parsed,
          };
          state.received.push(mail);
          for (const w of [...waiters]) {
            if (w.pred(mail)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(mail);
            }
          }
          callback();
        })
        .catch((err) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get refused() {
      return state.refused;
    },
    refuseNext(n, code = 451) {
      refuse = n;
      refuseCode = code;
    },
    waitFor(pred) {
      const found = state.received.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A received mail as the API tests read it: recipients lower-cased, subject and text. */
export interface MailSummary {
  to: string[];
  subject: string;
  text: string;
}

/** The test SMTP server with its mails as `MailSummary` (read anew on each access, so polling sees new ones). */
export async function startMailbox(): Promise<{ url: string; readonly mails: MailSummary[]; close(): Promise<void> }> {
  const smtp = await startTestSmtpServer();
  return {
    url: smtp.url,
    get mails() {
      return smtp.received.map((m) => ({ to: m.to.map((a) => a.toLowerCase()), subject: m.subject, text: m.text }));
    },
    close: () => smtp.close(),
  };
}
