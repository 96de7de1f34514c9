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
  orgNumber: { sv: 'Organisationsnumret', en: 'The organisation number' },
};

function fieldMessage(locale: Locale, code: string, field: string, message: string): string {
  const byCode = FIELD_BY_CODE[code];
  if (byCode) return byCode[locale];
  for (const [re, text] of FIELD_PATTERNS) {
    const m = re.exec(message);
    if (!m) continue;
    const label = FIELD_LABELS[field]?.[locale];
    const body = fmt(text[locale], { 0: m[1] ?? '' });
    return label ? `${label} ${body}.` : `${body.charAt(0).toUpperCase()}${body.slice(1)}.`;
  }
  return message;
}

export interface LocalizedProblem {
  message: string;
  fieldErrors: Record<string, string>;
}

export function localizeProblem(e: ApiError, locale: Locale): LocalizedProblem {
  const fieldErrors: Record<string, string> = {};
  for (const [field, message] of Object.entries(e.fieldErrors)) fieldErrors[field] = fieldMessage(locale, e.code, field, message);
  const message = e.localized?.[locale] ?? BY_CODE[e.code]?.[locale] ?? e.readable;
  return { message, fieldErrors };
}
