/** The one place domain errors become problem+json (RFC 9457). */
import type { DomainError, DomainErrorKind } from '../domain/errors.ts';
import { ApiError } from './problem.ts';

const STATUS: Record<DomainErrorKind, number> = { 'not-found': 404, forbidden: 403, conflict: 409, invalid: 400, unprocessable: 422, gone: 410, unavailable: 503 };
const TITLE: Record<DomainErrorKind, string> = {
  'not-found': 'Not found',
  forbidden: 'Not allowed',
  conflict: 'Conflict',
  invalid: 'Invalid request',
  unprocessable: 'The content cannot be used',
  gone: 'No longer valid',
  unavailable: 'Service unavailable',
};

export function problemFromDomain(err: DomainError): ApiError {
  const { field, fieldMessage, messages, retryAfterSeconds, extensions } = err.options;
  const errors = field ? [{ field, message: fieldMessage ?? err.detail }] : undefined;
  const headers = retryAfterSeconds !== undefined ? { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } : undefined;
  return new ApiError(STATUS[err.kind], err.code, TITLE[err.kind], err.detail, errors, headers, {
    code: err.code,
    ...(messages ? { messages } : {}),
    ...extensions,
  });
}
