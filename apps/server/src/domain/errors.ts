/**
 * Errors the domain (policies, commands, queries) throws. They say what went wrong and what to do,
 * nothing about HTTP: http/domain-problem.ts maps them to problem+json in one place.
 */
/** `invalid`: the request is malformed or a field is wrong (400); `unprocessable`: well-formed content the domain refuses (422). */
export type DomainErrorKind = 'not-found' | 'forbidden' | 'conflict' | 'invalid' | 'unprocessable' | 'gone' | 'unavailable';

export interface LocalisedMessage {
  sv: string;
  en: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine-readable code (becomes the problem type /problems/<code>). */
    readonly code: string,
    /** What happened and what to do, for a person (English). */
    readonly detail: string,
    readonly options: { field?: string; /** The field's own message, when it differs from `detail`. */ fieldMessage?: string; messages?: LocalisedMessage; retryAfterSeconds?: number; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

/** The same answer whether the agreement does not exist or the caller is not a member: no existence leak. */
export const agreementNotFoundError = () =>
  new DomainError('not-found', 'not-found', 'No agreement with this id exists, or you are not a member of it.');

export const conflictError = (field: string, message: string, code = 'conflict') => new DomainError('conflict', code, message, { field });
export const goneError = (field: string, message: string, code = 'gone') => new DomainError('gone', code, message, { field });
export const invalidFieldError = (field: string, message: string) => new DomainError('invalid', 'validation', `${field}: ${message}`, { field, fieldMessage: message });
