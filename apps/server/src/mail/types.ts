/**
 * The shared mail contract: what callers pass to enqueueMail. Links are absolute (base: OVERENS_PUBLIC_URL,
 * else the request's origin). Every kind is rendered in Swedish with an English part (./templates.ts).
 */
export type MailRequest =
  | { kind: 'invitation'; to: string; agreementTitle: string; inviterName: string; inviterOrganisation: string; role: 'editor' | 'commenter' | 'viewer'; signatory: boolean; link: string }
  | { kind: 'join-request'; to: string; organisationName: string; requesterName: string; requesterEmail: string; link: string }
  | { kind: 'join-decided'; to: string; organisationName: string; accepted: boolean; link: string }
  | { kind: 'email-verification'; to: string; name: string; link: string }
  | { kind: 'approval-requested'; to: string; agreementTitle: string; partyName: string; requestedBy: string; link: string }
  | { kind: 'organisation-invitation'; to: string; organisationName: string; inviterName: string; role: 'admin' | 'member'; link: string }
  | {
      kind: 'date-reminder';
      to: string;
      agreementTitle: string;
      dateKind: 'follow-up' | 'goal-deadline' | 'period-end' | 'notice' | 'renegotiation';
      date: string;
      daysBefore: number;
      goalTitle: string;
      link: string;
    };

export type MailKind = MailRequest['kind'];

/** A rendered message: subject, plain text and simple HTML (both with the Swedish part first). */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}
