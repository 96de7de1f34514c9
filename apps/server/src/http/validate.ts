import type { Context } from 'hono';
import { z } from 'zod';
import { invalid, invalidField, type FieldError } from './problem.ts';

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
 * zod issues → field errors. Messages from our schemas say how to fix the value; zod's defaults for
 * missing/wrong-typed values are rewritten into the same style.
 */
export function zodFieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const field = formatPath(prefix ? [prefix, ...issue.path] : issue.path) || prefix || 'body';
    let message = issue.message;
    if (issue.code === 'invalid_type' && /^Invalid input/.test(message)) {
      // zod's default text ("Invalid input: expected string, received undefined"): say it plainly.
      const received = /received (\w+)/.exec(message)?.[1];
      message =
        received === undefined || received === 'undefined'
          ? `is required (${issue.expected})`
          : `must be ${article(issue.expected)} (got ${received})`;
    } else if (issue.code === 'unrecognized_keys') {
      message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove them`;
    }
    return { field, message };
  });
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
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

/**
 * zod `error` option for a required text field: `required` when it is missing, a type hint when it is
 * there but not a string. Use: `z.string(requiredText('title is required: a short name'))`.
 */
export function requiredText(required: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined || issue.input === null ? required : `must be text (a JSON string), not ${Array.isArray(issue.input) ? 'an array' : typeof issue.input}`,
  };
}
