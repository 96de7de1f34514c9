/**
 * Server errors in the reader's language. The API's English `detail` and field messages stay for API
 * users; the UI translates what it knows by the problem's stable `code` (and, for field messages,
 * by the field and the schema's wording), uses the server's own `messages.sv`/`.en` when sent, and
 * falls back to the English text for anything new.
 */
import type { ApiError } from '../api/client.ts';
import { fmt, type Locale } from './index.tsx';

type Text = Record<Locale, string>;

/** Whole-problem messages by code. */
const BY_CODE: Record<string, Text> = {
  'invalid-credentials': {
    sv: 'E-postadressen eller lösenordet stämmer inte. Kontrollera båda och försök igen.',
    en: 'The e-mail address or the password is wrong. Check both and try again.',
  },
  'invitation-not-found': { sv: 'Ingen inbjudan har den här länken. Kontrollera att du kopierade hela länken, eller be om en ny.', en: 'No invitation has this link. Check that you copied all of it, or ask for a new one.' },
  'invitation-used': { sv: 'Inbjudan har redan använts. Be den som bjöd in dig om en ny länk.', en: 'This invitation has already been used. Ask the person who invited you for a new link.' },
  'invitation-expired': { sv: 'Inbjudan har gått ut. Be den som bjöd in dig om en ny länk.', en: 'This invitation has expired. Ask the person who invited you for a new link.' },
  unauthorized: { sv: 'Du behöver logga in igen.', en: 'Please sign in again.' },
  forbidden: { sv: 'Din roll i överenskommelsen tillåter inte det här.', en: 'Your role in this agreement does not allow this.' },
  'organisation-exists': { sv: 'Organisationen finns redan — begär att gå med.', en: 'The organisation already exists — request to join.' },
  'already-member': { sv: 'Du är redan medlem i organisationen.', en: 'You are already a member of this organisation.' },
  'last-admin': { sv: 'En organisation behåller alltid minst en administratör: gör en annan medlem till administratör först.', en: 'An organisation keeps at least one administrator: make another member administrator first.' },
  'operator-only': { sv: 'Bara en operatör för den här Överens-installationen kan göra detta.', en: 'Only an operator of this Överens installation can do this.' },
  'unverified-public-party': {
    sv: 'En kommun eller region i överenskommelsen är inte verifierad: be operatören för Överens att verifiera den innan ni exporterar för underskrift. Ett utkast går att exportera så länge.',
    en: 'A kommun or region in the agreement is not verified: ask the operator of Överens to verify it before exporting for signing. A draft can be exported meanwhile.',
  },
  'organisation-invitation-invalid': { sv: 'Inbjudningslänken är okänd, redan använd, återkallad eller för gammal. Be en administratör i organisationen om en ny.', en: 'This invitation link is unknown, used, withdrawn or expired. Ask an administrator of the organisation for a new one.' },
  'email-verification-invalid': { sv: 'Verifieringslänken är okänd, redan använd eller för gammal. Skicka en ny från sidan Organisationer.', en: 'This verification link is unknown, used or expired. Send a new one from the organisations page.' },
  'not-a-pdf': { sv: 'Filen är inte en PDF. Ladda upp den undertecknade överenskommelsen som PDF.', en: 'The file is not a PDF. Upload the signed agreement as a PDF.' },
  'pdf-unreadable': { sv: 'Filen ser ut som en PDF men går inte att läsa. Skanna eller exportera den igen.', en: 'The file looks like a PDF but cannot be read. Scan or export it again.' },
  'pdf-too-complex': { sv: 'PDF:en tog för lång tid att läsa. Ladda upp en enklare PDF.', en: 'The PDF took too long to read. Upload a simpler PDF.' },
  'pdf-too-many-pages': { sv: 'PDF:en har för många sidor.', en: 'The PDF has too many pages.' },
  'file-too-large': { sv: 'Filen är för stor.', en: 'The file is too large.' },
  'final-version-changed': { sv: 'Den slutliga versionen låstes upp medan filen lästes. Ladda om sidan och försök igen.', en: 'The final version was unlocked while the file was read. Reload and try again.' },
  'mail-disabled': { sv: 'Den här installationen skickar ingen e-post.', en: 'This installation sends no e-mail.' },
};

/** Field messages by code (conflicts name their field). */
const FIELD_BY_CODE: Record<string, Text> = {
  'email-taken': { sv: 'Det finns redan ett konto med den här e-postadressen. Logga in i stället.', en: 'An account with this e-mail address already exists: sign in instead.' },
};

/** Field messages of the `validation` problem, recognised by the schemas' wording. */
const FIELD_PATTERNS: Array<[RegExp, Text]> = [
  [/^must be at least (\d+) characters/, { sv: 'måste ha minst {0} tecken', en: 'must be at least {0} characters' }],
  [/^must be at most (\d+) characters/, { sv: 'får ha högst {0} tecken', en: 'must be at most {0} characters' }],
  [/^must not be empty/, { sv: 'får inte vara tomt', en: 'must not be empty' }],
  [/^(is required|.* is required)/, { sv: 'måste fyllas i', en: 'is required' }],
  [/^must be an e-mail address/, { sv: 'måste vara en e-postadress, till exempel namn@exempel.se', en: 'must be an e-mail address like namn@exempel.se' }],
  [/^must be an organisation number/, { sv: 'måste vara ett organisationsnummer, till exempel 802002-4280', en: 'must be an organisation number like 802002-4280' }],
];

/** Field labels for the sentence "Lösenord: måste ha minst 10 tecken". */
const FIELD_LABELS: Record<string, Text> = {
  password: { sv: 'Lösenordet', en: 'The password' },
  email: { sv: 'E-postadressen', en: 'The e-mail address' },
  name: { sv: 'Namnet', en: 'The name' },
  title: { sv: 'Namnet', en: 'The name' },
  url: { sv: 'Adressen', en: 'The address' },
  expiresInDays: { sv: 'Giltighetstiden', en: 'The validity' },
  orgNumber: { sv: 'Organisationsnumret', en: 'The organisation number' },
};

function fieldMessage(locale: Locale, code: string, field: string, message: string): string {
  const byCode = FIELD_BY_CODE[code];
  if (byCode) return byCode[locale];
  for (const [re, text] of FIELD_PATTERNS) {
    const m = re.exec(message);
    if (!m) continue;
    return sentence(locale, field, fmt(text[locale], { 0: m[1] ?? '' }));
  }
  return message;
}

/** "Lösenordet" + "måste ha minst 10 tecken" → "Lösenordet måste ha minst 10 tecken." */
function sentence(locale: Locale, field: string, body: string): string {
  const label = FIELD_LABELS[field]?.[locale];
  return label ? `${label} ${body}.` : `${body.charAt(0).toUpperCase()}${body.slice(1)}.`;
}

/* ----- field errors by their stable code (server problem+json `errors[].code`, and the web's own checks) ----- */

/** A field's problem as code + params: what the server sends and `describeIssue` (@overens/model/requests) gives. */
export interface FieldIssueLike {
  field: string;
  code: string;
  params?: Record<string, string | number>;
  message?: string;
}

/** "Enter your …" for an empty required field, by field (GOV.UK style); others say "… måste fyllas i". */
const REQUIRED_BY_FIELD: Record<string, Text> = {
  email: { sv: 'Ange din e-postadress.', en: 'Enter your e-mail address.' },
  password: { sv: 'Ange ditt lösenord.', en: 'Enter your password.' },
  name: { sv: 'Ange ditt namn.', en: 'Enter your name.' },
  title: { sv: 'Ange ett namn på överenskommelsen.', en: 'Enter a name for the agreement.' },
};

/** Message bodies by code (ICU; the params are the code's, `origin` picks the wording). */
const ISSUE_TEXT: Record<string, Text> = {
  required: { sv: 'måste fyllas i', en: 'is required' },
  'too_small.string': { sv: 'måste ha minst {minimum, plural, one {# tecken} other {# tecken}}', en: 'must be at least {minimum, plural, one {# character} other {# characters}}' },
  'too_small.number': { sv: 'måste vara minst {minimum, number}', en: 'must be at least {minimum, number}' },
  too_small: { sv: 'måste ha minst {minimum, number}', en: 'must have at least {minimum, number}' },
  'too_big.string': { sv: 'får ha högst {maximum, plural, one {# tecken} other {# tecken}}', en: 'must be at most {maximum, plural, one {# character} other {# characters}}' },
  'too_big.number': { sv: 'får vara högst {maximum, number}', en: 'must be at most {maximum, number}' },
  too_big: { sv: 'får ha högst {maximum, number}', en: 'must have at most {maximum, number}' },
  'invalid_format.email': { sv: 'måste vara en e-postadress, till exempel namn@exempel.se', en: 'must be an e-mail address like namn@exempel.se' },
  invalid_format: { sv: 'har fel format', en: 'has the wrong format' },
  invalid_value: { sv: 'måste vara ett av: {values}', en: 'must be one of: {values}' },
  invalid_type: { sv: 'har fel typ av värde', en: 'has the wrong type of value' },
  not_multiple_of: { sv: 'måste vara en multipel av {divisor, number}', en: 'must be a multiple of {divisor, number}' },
  unrecognized_keys: { sv: 'okända fält: {keys}', en: 'unknown fields: {keys}' },
  invalid: { sv: 'är ogiltigt', en: 'is invalid' },
};

/**
 * One field's problem in the reader's language, from its code and params (`too_small` {minimum: 10}
 * → "Lösenordet måste ha minst 10 tecken."). `overrides` (code → text) lets a form word its own
 * fields. An empty text (`too_small` with minimum 1) reads as `required`. Unknown codes fall back to
 * the English message (or the wording patterns above).
 */
export function issueMessage(locale: Locale, issue: FieldIssueLike, overrides?: Partial<Record<string, string>>): string {
  const params = issue.params ?? {};
  const field = issue.field.split('.').pop()?.replace(/\[\d+\]$/, '') ?? issue.field;
  const empty = issue.code === 'too_small' && params.origin === 'string' && Number(params.minimum) === 1;
  const code = empty ? 'required' : issue.code;
  const own = overrides?.[code];
  if (own) return fmt(own, params);
  if (code === 'required' && REQUIRED_BY_FIELD[field]) return REQUIRED_BY_FIELD[field][locale];
  const variant = params.origin ?? params.format;
  const text = (variant !== undefined ? ISSUE_TEXT[`${code}.${variant}`] : undefined) ?? ISSUE_TEXT[code];
  if (text && (code !== 'invalid' || !issue.message)) return sentence(locale, field, fmt(text[locale], params));
  return fieldMessage(locale, code, field, issue.message ?? '');
}

export interface LocalizedProblem {
  message: string;
  fieldErrors: Record<string, string>;
}

export function localizeProblem(e: ApiError, locale: Locale): LocalizedProblem {
  const fieldErrors: Record<string, string> = {};
  // Field errors with a code (validation problems) are translated by code and params.
  const raw = Array.isArray(e.body.errors) ? (e.body.errors as Array<Partial<FieldIssueLike>>) : [];
  for (const r of raw) {
    if (typeof r.field !== 'string' || typeof r.code !== 'string') continue;
    const key = r.field.split('.').pop() ?? r.field;
    if (!(key in fieldErrors)) fieldErrors[key] = issueMessage(locale, { field: r.field, code: r.code, params: r.params, message: r.message });
  }
  for (const [field, message] of Object.entries(e.fieldErrors)) if (!(field in fieldErrors)) fieldErrors[field] = fieldMessage(locale, e.code, field, message);
  const message = e.localized?.[locale] ?? BY_CODE[e.code]?.[locale] ?? e.readable;
  return { message, fieldErrors };
}
