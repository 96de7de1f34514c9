/**
 * Request rules shared by the server (which validates every request with them) and the web app (whose
 * forms check the same rules before sending): the schemas of the requests the web's forms make, and
 * `describeIssue`, which turns a zod issue into a stable `code` with parameters (`too_small`,
 * `{ minimum: 10 }`) that the server sends in problem+json and the web translates.
 *
 * Imported by the web as `@overens/model/requests` (this file only: no Yjs, no templates, so the
 * sign-in page's bundle stays small). The English messages stay for API users; the server attaches
 * OpenAPI names (`.openapi('RegisterRequest')`) to these schemas where it declares its routes.
 */
import { z } from 'zod';

/**
 * zod `error` option for a required text field: `required` when it is missing, a type hint when it is
 * there but not a string. Use: `z.string(requiredText('title is required: a short name'))`.
 */
export function requiredText(required: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined || issue.input === null
        ? required
        : `must be text (a JSON string), not ${Array.isArray(issue.input) ? 'an array' : typeof issue.input}`,
  };
}

/* ----- auth ----- */

export const emailSchema = z
  .string(requiredText('email is required: your e-mail address'))
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty: enter your e-mail address')
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an e-mail address like namn@exempel.se' }));

export const registerRequestSchema = z.object({
  email: emailSchema,
  password: z
    .string(requiredText('password is required'))
    .min(10, 'must be at least 10 characters; a short sentence is easy to remember')
    .max(200, 'must be at most 200 characters'),
  name: z
    .string(requiredText('name is required: your full name as colleagues know it'))
    .trim()
    .min(1, 'must not be empty: enter your full name')
    .max(200, 'must be at most 200 characters'),
});
export type RegisterRequest = z.output<typeof registerRequestSchema>;

export const loginRequestSchema = z.object({
  email: emailSchema,
  password: z.string(requiredText('password is required')).min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});
export type LoginRequest = z.output<typeof loginRequestSchema>;

/* ----- agreements ----- */

export const agreementTitleSchema = z
  .string(requiredText('title is required: a short name for the agreement'))
  .trim()
  .min(1, 'must not be empty: give the agreement a short name')
  .max(200, 'must be at most 200 characters');

/** The fields of a rename (the server's PATCH body also takes `archived`). */
export const renameAgreementSchema = z.object({ title: agreementTitleSchema });

/* ----- invitations ----- */

export const memberRoleSchema = z.enum(['editor', 'commenter', 'viewer'], { error: 'must be editor, commenter or viewer' });

export const createInvitationSchema = z
  .object({
    role: memberRoleSchema,
    signatory: z.boolean({ error: 'must be true or false' }).optional(),
    newParty: z
      .boolean({ error: 'must be true (a new organisation joins as a party) or false (a colleague joins your party)' })
      .optional(),
    expiresInDays: z
      .number({ error: 'must be a whole number of days between 1 and 90' })
      .int('must be a whole number of days between 1 and 90')
      .min(1, 'must be at least 1 day')
      .max(90, 'must be at most 90 days')
      .optional(),
  })
  .strict();
export type CreateInvitationRequest = z.output<typeof createInvitationSchema>;

/* ----- issues → stable codes ----- */

export type IssueParams = Record<string, string | number>;

/** One field's problem: what the server sends in problem+json `errors[]` and the web translates. */
export interface FieldIssue {
  /** `sections[2].title` style, `body` for the whole body. */
  field: string;
  /** The same as keys (`['sections', 2, 'title']`); empty for the whole body. */
  path: Array<string | number>;
  /**
   * Stable: `required`, `invalid_type` {expected}, `too_small` / `too_big` {minimum | maximum, origin},
   * `invalid_format` {format}, `invalid_value` {values}, `unrecognized_keys` {keys}, `not_multiple_of`
   * {divisor}, or a custom refinement's `params.code` (its other params alongside), else `invalid`.
   */
  code: string;
  params: IssueParams;
  /** English, for API users. */
  message: string;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

const scalar = (v: unknown): string | number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : String(v));

/** `sections[2].title` style path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * A zod issue as a FieldIssue. Messages from our schemas say how to fix the value; zod's defaults for
 * missing/wrong-typed values are rewritten into the same style.
 */
export function describeIssue(issue: z.core.$ZodIssue, prefix?: string): FieldIssue {
  const keys = (prefix ? [prefix, ...issue.path] : issue.path).map((p) => (typeof p === 'number' ? p : String(p)));
  const field = formatPath(keys) || prefix || 'body';
  let message = issue.message;
  let code: string = issue.code;
  let params: IssueParams = {};
  switch (issue.code) {
    case 'invalid_type': {
      const received = /received (\w+)/.exec(message)?.[1];
      // Our requiredText says "… is required …" for a missing value; zod's default says "received undefined".
      const missing = /\bis required\b/.test(message) || received === 'undefined' || (/^Invalid input/.test(message) && received === undefined);
      if (/^Invalid input/.test(message)) {
        message = missing ? `is required (${issue.expected})` : `must be ${article(issue.expected)} (got ${received})`;
      }
      code = missing ? 'required' : 'invalid_type';
      params = { expected: issue.expected };
      break;
    }
    case 'too_small':
      params = { minimum: scalar(issue.minimum), origin: issue.origin };
      break;
    case 'too_big':
      params = { maximum: scalar(issue.maximum), origin: issue.origin };
      break;
    case 'invalid_format':
      params = { format: issue.format };
      break;
    case 'invalid_value':
      params = { values: issue.values.map(String).join(', ') };
      break;
    case 'unrecognized_keys':
      message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove them`;
      params = { keys: issue.keys.join(', ') };
      break;
    case 'not_multiple_of':
      params = { divisor: scalar(issue.divisor) };
      break;
    case 'custom': {
      const { code: custom, ...rest } = (issue.params ?? {}) as Record<string, unknown>;
      code = typeof custom === 'string' ? custom : 'invalid';
      for (const [k, v] of Object.entries(rest)) if (typeof v === 'string' || typeof v === 'number') params[k] = v;
      break;
    }
    default:
      code = 'invalid';
  }
  return { field, path: keys, code, params, message };
}
