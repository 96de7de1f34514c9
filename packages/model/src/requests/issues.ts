/**
 * zod issues → stable codes with parameters (no zod at run time: types only), shared by the server's
 * problem+json and the web's forms. See ./index.ts.
 */
import type { z } from 'zod';

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
