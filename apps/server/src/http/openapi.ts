import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps } from '../deps.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { unauthorized } from './problem.ts';
import { validationHook } from './validate.ts';

/** Hono environment of every route: deps and the signed-in user (null when anonymous). */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    user: SessionUser | null;
    requestId: string;
  };
}

export type AppContext = Context<AppEnv>;

/**
 * A router for one resource file. Routes declared with `router.openapi(createRoute({...}), handler)`
 * are validated (zod → 400 problem+json naming the field) and appear in /api/openapi.json once the
 * router is mounted in routes/index.ts. Plain `router.get(...)` routes work too but are undocumented
 * unless you also call `router.openAPIRegistry.registerPath(...)`.
 *
 * Handlers return only success responses; errors are thrown as ApiError (see ./problem.ts).
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** The signed-in user, or a 401 problem. */
export function requireUser(c: Context<AppEnv>): SessionUser {
  const user = c.get('user');
  if (!user) throw unauthorized();
  return user;
}

/* ----- schema helpers for route declarations ----- */

export const FieldErrorSchema = z
  .object({
    field: z.string().openapi({ description: 'Dotted path of the field (`sections[2].title`), `body` for the whole body' }),
    message: z.string().openapi({ description: 'How to fix it, in English' }),
    path: z.array(z.union([z.string(), z.number()])).optional().openapi({ description: 'The same path as keys' }),
    code: z.string().optional().openapi({
      description:
        'Stable code of a validation error, for clients to translate: required, invalid_type, too_small, too_big, invalid_format, invalid_value, unrecognized_keys, not_multiple_of, invalid, or a rule-specific code',
      example: 'too_small',
    }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .openapi({ description: "The code's parameters", example: { minimum: 10, origin: 'string' } }),
  })
  .openapi('FieldError');

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: '/problems/validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .openapi('Problem');

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field and the fix',
  401: 'Not signed in',
  403: 'Signed in, but your role does not allow this',
  404: 'Not found (also when you are not a member)',
  409: 'Conflicts with the current state',
  410: 'Expired or already used',
  413: 'Body too large',
  415: 'Send Content-Type: application/json',
  429: 'Too many attempts; see Retry-After',
};

/** `responses` entries for the given error statuses, all problem+json. */
export function problems(...statuses: number[]) {
  const out: Record<number, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> = {};
  for (const s of statuses) {
    out[s] = {
      description: PROBLEM_DESCRIPTIONS[s] ?? 'Error',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  return out;
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { 'application/json': { schema } },
  };
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** Path parameter `id` as a UUID with an actionable message. */
export const uuidParam = (name: string, what: string) =>
  z.uuid({ error: `${name} must be the id (UUID) of ${what}` }).openapi({ param: { name, in: 'path' } });

export const cookieAuth = [{ cookieAuth: [] }];

/** Adds the document-level parts (info, security scheme) and serves it at /api/openapi.json. */
export function mountOpenApiDocument(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey',
    in: 'cookie',
    name: 'overens_session',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Överens API',
      version: '1.0.0',
      description:
        'Co-authoring of IOP agreements. Errors are RFC 9457 problem+json. Cookie-authenticated state-changing requests must send an Origin (or Referer) header matching the server.',
    },
  });
}
