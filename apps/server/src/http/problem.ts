import type { Context } from 'hono';

/** One field-level problem: `field` is a dotted path into the input (`members[0].role`), `body` for the whole body. */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every error response of the API is shaped. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Throw this anywhere in a request: app.onError turns it into a problem+json response.
 * `slug` becomes the problem type URI (/problems/<slug>), documented in the OpenAPI document.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  toProblem(): Problem {
    return {
      type: `/problems/${this.slug}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.errors && this.errors.length > 0 ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export function problemResponse(err: ApiError): Response {
  return new Response(JSON.stringify(err.toProblem()), {
    status: err.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...err.headers },
  });
}

export function sendProblem(_c: Context, err: ApiError): Response {
  return problemResponse(err);
}

/* ----- factories for the common cases ----- */

/** 400 for input that is well-formed but wrong; names the fields and how to fix them. */
export function invalid(errors: FieldError[], detail?: string): ApiError {
  const summary =
    detail ?? errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  return new ApiError(400, 'validation', 'Invalid request', summary || 'The request is invalid.', errors);
}

export function invalidField(field: string, message: string): ApiError {
  return invalid([{ field, message }]);
}

export function unauthorized(detail = 'Sign in first: this needs a valid session cookie (POST /api/auth/login).'): ApiError {
  return new ApiError(401, 'unauthorized', 'Not signed in', detail);
}

export function forbidden(detail: string): ApiError {
  return new ApiError(403, 'forbidden', 'Not allowed', detail);
}

export function notFound(detail: string): ApiError {
  return new ApiError(404, 'not-found', 'Not found', detail);
}

/** The same 404 for "does not exist" and "you are not a member": no existence leak. */
export function agreementNotFound(): ApiError {
  return notFound('No agreement with this id exists, or you are not a member of it.');
}

export function conflict(field: string, message: string, slug = 'conflict'): ApiError {
  return new ApiError(409, slug, 'Conflict', message, [{ field, message }]);
}

export function gone(field: string, message: string, slug = 'gone'): ApiError {
  return new ApiError(410, slug, 'No longer valid', message, [{ field, message }]);
}

export function tooManyRequests(retryAfterSeconds: number, detail: string): ApiError {
  return new ApiError(429, 'too-many-requests', 'Too many requests', detail, undefined, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
}

export function payloadTooLarge(limitBytes: number): ApiError {
  return new ApiError(
    413,
    'payload-too-large',
    'Request body too large',
    `The request body exceeds the limit of ${limitBytes} bytes; send less data.`,
    [{ field: 'body', message: `must be at most ${limitBytes} bytes` }],
  );
}
