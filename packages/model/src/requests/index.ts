/**
 * Request rules shared by the server (which validates every request with them) and the web app (whose
 * forms check the same rules before sending): the schemas of the requests the web's forms make, and
 * `describeIssue`, which turns a zod issue into a stable `code` with parameters (`too_small`,
 * `{ minimum: 10 }`) that the server sends in problem+json and the web translates.
 *
 * Imported by the web as `@overens/model/requests` (no Yjs, no templates), which loads it lazily so the
 * sign-in page's first JavaScript carries no zod; `describeIssue` alone is `@overens/model/requests/issues`
 * (no zod at run time). The English messages stay for API users; the server attaches
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
    /** Send the link to this address (when the server has mail); empty = only the link to copy. */
    email: z
      .email({ error: 'must be an e-mail address, e.g. anna@exempel.se' })
      .max(320, 'must be at most 320 characters')
      .or(z.literal(''))
      .optional(),
  })
  .strict();
export type CreateInvitationRequest = z.output<typeof createInvitationSchema>;

export * from './issues.ts';
