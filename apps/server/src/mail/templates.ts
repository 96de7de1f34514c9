/**
 * One template per mail kind. Each renders a subject, a plain-text body and a simple HTML body, Swedish
 * first and then an English part. Everything a caller passes is text: in HTML it is escaped, and a link
 * is only made clickable when it is an absolute http(s) URL (otherwise it is shown as text).
 */
import type { MailRequest, RenderedMail } from './types.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/** Subjects are one line: control characters (line breaks) become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function isWebLink(link: string): boolean {
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A paragraph of the message: plain text, or a link with its label. */
type Block = { text: string } | { label: string; link: string };

interface Part {
  greeting: string;
  blocks: Block[];
  footer: string;
}

interface Template {
  subject: { sv: string; en: string };
  sv: Part;
  en: Part;
}

function renderTextPart(part: Part): string {
  const lines = [part.greeting, ''];
  for (const b of part.blocks) {
    lines.push('text' in b ? b.text : `${b.label}:\n${b.link}`, '');
  }
  lines.push(part.footer);
  return lines.join('\n');
}

function renderHtmlPart(part: Part, lang: 'sv' | 'en'): string {
  const blocks = part.blocks.map((b) => {
    if ('text' in b) return `<p>${escapeHtml(b.text)}</p>`;
    const link = escapeHtml(b.link);
    const anchor = isWebLink(b.link) ? `<a href="${link}">${escapeHtml(b.label)}</a>` : escapeHtml(b.label);
    return `<p>${anchor}<br><span style="color:#555;font-size:90%">${link}</span></p>`;
  });
  return [
    `<div lang="${lang}">`,
    `<p>${escapeHtml(part.greeting)}</p>`,
    ...blocks,
    `<p style="color:#555;font-size:90%">${escapeHtml(part.footer)}</p>`,
    '</div>',
  ].join('\n');
}

function render(t: Template): RenderedMail {
  const subject = oneLine(`${t.subject.sv} / ${t.subject.en}`);
  const text = [renderTextPart(t.sv), '', '— In English —', '', renderTextPart(t.en), ''].join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="sv"><head><meta charset="utf-8"><title>' + escapeHtml(subject) + '</title></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1a1a1a;max-width:40em">',
    renderHtmlPart(t.sv, 'sv'),
    '<hr>',
    '<p lang="en" style="color:#555">In English</p>',
    renderHtmlPart(t.en, 'en'),
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

const FOOTER_SV = 'Det här meddelandet skickades av Överens. Om du inte väntade dig det kan du bortse från det.';
const FOOTER_EN = 'This message was sent by Överens. If you did not expect it, you can ignore it.';

const ROLE_SV = { editor: 'redigera', commenter: 'kommentera', viewer: 'läsa' } as const;
const ROLE_EN = { editor: 'edit', commenter: 'comment on', viewer: 'read' } as const;

const templates: { [K in MailRequest['kind']]: (m: Extract<MailRequest, { kind: K }>) => Template } = {
  invitation: (m) => {
    const inviter = m.inviterOrganisation ? `${m.inviterName} (${m.inviterOrganisation})` : m.inviterName;
    return {
      subject: { sv: `Inbjudan till överenskommelsen ”${m.agreementTitle}”`, en: `Invitation to the agreement “${m.agreementTitle}”` },
      sv: {
        greeting: 'Hej!',
        blocks: [
          { text: `${inviter} bjuder in dig att ${ROLE_SV[m.role]} överenskommelsen ”${m.agreementTitle}” i Överens.` },
          ...(m.signatory ? [{ text: 'Du är inbjuden som firmatecknare: du godkänner texten för underskrift för din organisation.' }] : []),
          { label: 'Öppna inbjudan', link: m.link },
          { text: 'Länken är personlig och går ut efter en tid. Be om en ny inbjudan om den har gått ut.' },
        ],
        footer: FOOTER_SV,
      },
      en: {
        greeting: 'Hello,',
        blocks: [
          { text: `${inviter} invites you to ${ROLE_EN[m.role]} the agreement “${m.agreementTitle}” in Överens.` },
          ...(m.signatory ? [{ text: 'You are invited as a signatory: you approve the text for signing on behalf of your organisation.' }] : []),
          { label: 'Open the invitation', link: m.link },
          { text: 'The link is personal and expires after a while. Ask for a new invitation if it has expired.' },
        ],
        footer: FOOTER_EN,
      },
    };
  },
  'join-request': (m) => ({
    subject: { sv: `${m.requesterName} vill gå med i ${m.organisationName}`, en: `${m.requesterName} asks to join ${m.organisationName}` },
    sv: {
      greeting: 'Hej!',
      blocks: [
        { text: `${m.requesterName} (${m.requesterEmail}) ber att få gå med i ${m.organisationName} i Överens. Som administratör för organisationen godkänner eller avslår du begäran.` },
        { label: 'Granska begäran', link: m.link },
      ],
      footer: FOOTER_SV,
    },
    en: {
      greeting: 'Hello,',
      blocks: [
        { text: `${m.requesterName} (${m.requesterEmail}) asks to join ${m.organisationName} in Överens. As an administrator of the organisation you accept or reject the request.` },
        { label: 'Review the request', link: m.link },
      ],
      footer: FOOTER_EN,
    },
  }),
  'join-decided': (m) => ({
    subject: m.accepted
      ? { sv: `Du är nu medlem i ${m.organisationName}`, en: `You are now a member of ${m.organisationName}` }
      : { sv: `Din begäran att gå med i ${m.organisationName} avslogs`, en: `Your request to join ${m.organisationName} was declined` },
    sv: {
      greeting: 'Hej!',
      blocks: [
        { text: m.accepted ? `En administratör har godkänt din begäran att gå med i ${m.organisationName}.` : `En administratör har avslagit din begäran att gå med i ${m.organisationName}. Kontakta organisationen om du tror att det är fel.` },
        { label: 'Öppna Överens', link: m.link },
      ],
      footer: FOOTER_SV,
    },
    en: {
      greeting: 'Hello,',
      blocks: [
        { text: m.accepted ? `An administrator has accepted your request to join ${m.organisationName}.` : `An administrator has declined your request to join ${m.organisationName}. Contact the organisation if you think this is a mistake.` },
        { label: 'Open Överens', link: m.link },
      ],
      footer: FOOTER_EN,
    },
  }),
  'email-verification': (m) => ({
    subject: { sv: 'Bekräfta din e-postadress i Överens', en: 'Confirm your e-mail address in Överens' },
    sv: {
      greeting: `Hej ${m.name}!`,
      blocks: [{ text: 'Bekräfta att den här e-postadressen är din genom att öppna länken.' }, { label: 'Bekräfta e-postadressen', link: m.link }],
      footer: FOOTER_SV,
    },
    en: {
      greeting: `Hello ${m.name},`,
      blocks: [{ text: 'Confirm that this e-mail address is yours by opening the link.' }, { label: 'Confirm the e-mail address', link: m.link }],
      footer: FOOTER_EN,
    },
  }),
  'approval-requested': (m) => ({
    subject: { sv: `Ditt godkännande behövs: ”${m.agreementTitle}”`, en: `Your approval is requested: “${m.agreementTitle}”` },
    sv: {
      greeting: 'Hej!',
      blocks: [
        { text: `${m.requestedBy} har godkänt överenskommelsen ”${m.agreementTitle}” för underskrift. Nu behövs ditt godkännande för ${m.partyName}.` },
        { text: 'När alla firmatecknare har godkänt samma text låses den som slutlig version.' },
        { label: 'Granska och godkänn', link: m.link },
      ],
      footer: FOOTER_SV,
    },
    en: {
      greeting: 'Hello,',
      blocks: [
        { text: `${m.requestedBy} has approved the agreement “${m.agreementTitle}” for signing. Your approval for ${m.partyName} is now requested.` },
        { text: 'When every signatory has approved the same text, it locks as the final version.' },
        { label: 'Review and approve', link: m.link },
      ],
      footer: FOOTER_EN,
    },
  }),
  'organisation-invitation': (m) => ({
    subject: { sv: `Inbjudan att gå med i ${m.organisationName}`, en: `Invitation to join ${m.organisationName}` },
    sv: {
      greeting: 'Hej!',
      blocks: [
        { text: `${m.inviterName} bjuder in dig att gå med i ${m.organisationName} i Överens som ${m.role === 'admin' ? 'administratör' : 'medlem'}.` },
        { label: `Gå med i ${m.organisationName}`, link: m.link },
        { text: 'Har du inget konto skapar du ett när du öppnar länken. Länken kan bara användas en gång och går ut efter en tid.' },
      ],
      footer: FOOTER_SV,
    },
    en: {
      greeting: 'Hello,',
      blocks: [
        { text: `${m.inviterName} invites you to join ${m.organisationName} in Överens as ${m.role === 'admin' ? 'an administrator' : 'a member'}.` },
        { label: `Join ${m.organisationName}`, link: m.link },
        { text: 'If you have no account, you create one when you open the link. The link works once and expires after a while.' },
      ],
      footer: FOOTER_EN,
    },
  }),
  'date-reminder': (m) => {
    const sv = DATE_KIND_SV[m.dateKind];
    const en = DATE_KIND_EN[m.dateKind];
    const whenSv = m.daysBefore === 0 ? 'i dag' : m.daysBefore === 1 ? 'i morgon' : `om ${m.daysBefore} dagar`;
    const whenEn = m.daysBefore === 0 ? 'today' : m.daysBefore === 1 ? 'tomorrow' : `in ${m.daysBefore} days`;
    const goalSv = m.goalTitle ? ` för målet ”${m.goalTitle}”` : '';
    const goalEn = m.goalTitle ? ` for the goal “${m.goalTitle}”` : '';
    return {
      subject: { sv: `${sv.subject} ${m.date}: ${m.agreementTitle}`, en: `${en.subject} ${m.date}: ${m.agreementTitle}` },
      sv: {
        greeting: 'Hej!',
        blocks: [
          { text: `${sv.what}${goalSv} i överenskommelsen ”${m.agreementTitle}” är ${m.date} (${whenSv}).` },
          { text: sv.todo },
          { label: 'Öppna uppföljningen', link: m.link },
        ],
        footer: `Du får påminnelsen eftersom du är med i överenskommelsen i Överens. ${FOOTER_SV}`,
      },
      en: {
        greeting: 'Hello,',
        blocks: [
          { text: `${en.what}${goalEn} in the agreement “${m.agreementTitle}” is on ${m.date} (${whenEn}).` },
          { text: en.todo },
          { label: 'Open the follow-up', link: m.link },
        ],
        footer: `You get this reminder because you are a member of the agreement in Överens. ${FOOTER_EN}`,
      },
    };
  },
};

const DATE_KIND_SV = {
  'follow-up': { subject: 'Uppföljning', what: 'Uppföljningen', todo: 'Den ansvariga parten registrerar mätningen i Överens; den andra parten bekräftar eller kommenterar den.' },
  'goal-deadline': { subject: 'Måldatum', what: 'Måldatumet', todo: 'Registrera en mätning som visar om målvärdet nåtts.' },
  'period-end': { subject: 'Avtalsperioden slutar', what: 'Avtalsperiodens sista dag', todo: 'Har parterna bestämt om partnerskapet ska förlängas? Starta en förlängning i Överens med ”Ändra eller förläng”.' },
  notice: { subject: 'Sista dag att säga upp', what: 'Sista dagen att säga upp överenskommelsen', todo: 'Bestäm tillsammans om överenskommelsen ska sägas upp, ändras eller förlängas.' },
  renegotiation: { subject: 'Omförhandling', what: 'Datumet då omförhandlingen ska ha börjat', todo: 'Starta en ändring eller förlängning i Överens med ”Ändra eller förläng”.' },
} as const;

const DATE_KIND_EN = {
  'follow-up': { subject: 'Follow-up', what: 'The follow-up', todo: 'The responsible party records the measurement in Överens; the other party confirms or comments on it.' },
  'goal-deadline': { subject: 'Goal deadline', what: 'The deadline', todo: 'Record a measurement that shows whether the target was reached.' },
  'period-end': { subject: 'Agreement period ends', what: 'The last day of the agreement period', todo: 'Have the parties decided whether to renew the partnership? Start a renewal in Överens with “Amend or renew”.' },
  notice: { subject: 'Last day to give notice', what: 'The last day to give notice on the agreement', todo: 'Decide together whether to end, amend or renew the agreement.' },
  renegotiation: { subject: 'Renegotiation', what: 'The date by which renegotiation starts', todo: 'Start an amendment or renewal in Överens with “Amend or renew”.' },
} as const;

/** Renders a queued message (subject, plain text, HTML; Swedish first, then English). */
export function renderMail(mail: MailRequest): RenderedMail {
  const template = templates[mail.kind] as (m: MailRequest) => Template;
  return render(template(mail));
}
