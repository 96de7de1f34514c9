import type { Context } from 'hono';
import { z } from 'zod';
import { describeIssue, formatPath, requiredText, type FieldIssue } from '@overens/model/requests';
import { invalid, invalidField } from './problem.ts';

export { formatPath };

/**
 * zod issues → field errors: `field` (dotted path) and the English `message` for API users, plus a
 * stable `code` with its `params` (`too_small`, `{ minimum: 10, origin: 'string' }`) and the `path` as
 * keys, which the web translates (`describeIssue` in @overens/model, shared with the web's forms).
 */
export function zodFieldErrors(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => describeIssue(issue, prefix));
}

/** defaultHook for OpenAPIHono routers: a failed zod validation becomes a 400 problem+json. */
export function validationHook(
  result: { success: boolean; error?: unknown; target: string },
  _c: Context,
): void {
  if (result.success) return;
  const target = result.target === 'json' || result.target === 'form' ? undefined : result.target;
  const error = result.error;
  if (error instanceof z.ZodError) {
    const errors = zodFieldErrors(error, target === 'param' || target === 'query' ? undefined : target);
    throw invalid(errors);
  }
  throw invalidField(target ?? 'body', 'is invalid');
}

/** Validate a value outside an OpenAPI route (e.g. a plain Hono handler). Throws a 400 problem. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(zodFieldErrors(result.error, prefix));
  return result.data;
}

/** Read and validate a JSON body in a plain Hono handler (400 for malformed JSON, naming `body`). */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw invalidField('body', 'must be valid JSON (Content-Type: application/json)');
  }
  return parseWith(schema, value);
}

/** zod `error` option for a required text field (shared with the web: @overens/model/requests). */
export { requiredText };
