/**
 * The agreement events streamed by GET /api/agreements/:id/events (`event: <type>`, `data: <payload>`),
 * one discriminated union on `type`. The server publishes them through its outbox or event bus; the
 * web narrows on `type` instead of casting `data`. Payloads carry ids and read models, never secrets:
 * the stream is filtered per user by the server's policy (`event.receive`).
 */

import type { MeasurementPayload, RevisionPayload } from './follow-up.ts';

export interface UserRef {
  id: string;
  name: string;
}

/** A comment thread as GET /api/agreements/:id/comments returns it (the fields clients rely on). */
export interface CommentThreadPayload {
  id: string;
  agreementId: string;
  sectionId: string;
  visibility: 'all' | 'internal';
  partyId: string;
  [field: string]: unknown;
}

export interface FinalVersionPayload {
  id: string;
  number: number;
  hash: string;
  versionId: string;
  lockedAt: string;
  unlocked: null | { at: string; by: UserRef | null; reason: string };
}

export interface ApprovalPayload {
  id: string;
  userId: string | null;
  userName: string;
  partyId: string;
  partyName: string;
  hash: string;
  createdAt: string;
  voided: null | { at: string; reason: 'changed' | 'unlocked'; by: UserRef | null; change: Record<string, unknown> | null };
}

export interface VersionPayload {
  id: string;
  name: string | null;
  kind: string;
  createdAt: string;
  [field: string]: unknown;
}

export interface MemberRefPayload {
  userId: string;
  partyId: string;
}

interface Event<T extends string, D> {
  type: T;
  data: D;
}

export type CommentEvent =
  | Event<'comment.created', { thread: CommentThreadPayload }>
  | Event<'comment.updated', { thread: CommentThreadPayload }>
  | Event<'comment.resolved', { thread: CommentThreadPayload }>
  | Event<'comment.reopened', { thread: CommentThreadPayload }>
  | Event<'comment.deleted', { thread: CommentThreadPayload; [field: string]: unknown }>;

/** Ids only: clients reload the member list over the authorised API. */
export type MemberEvent = Event<'member.joined', MemberRefPayload> | Event<'member.updated', MemberRefPayload> | Event<'member.removed', MemberRefPayload>;

export type AgreementStateEvent =
  | Event<'agreement.updated', { agreementId: string; title?: string; archived?: boolean }>
  | Event<'agreement.locked', { finalVersion: FinalVersionPayload }>
  | Event<'agreement.unlocked', { by: UserRef | null; reason: string; number: number | null }>;

/** What changed, in words, in both languages (the server's describeChange). */
export interface ChangeNote {
  sv: string;
  en: string;
}

export type ApprovalEvent =
  | Event<'approval.given', { approval: ApprovalPayload }>
  | Event<
      'approval.voided',
      | { reason: 'changed'; changedBy: UserRef[]; changes: ChangeNote[]; newHash: string; approvals: string[] }
      | { reason: 'unlocked'; by: UserRef | null; note: string }
    >;

export type VersionEvent = Event<'version.saved', { version: VersionPayload }>;

export interface SignedCopyPayload {
  id: string;
  finalVersionId: string;
  finalVersionNumber: number;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  /** 'matched': the PDF's text carries the final version's hash text; 'not-matched': kept anyway. */
  match: 'matched' | 'not-matched';
  pages: number;
  uploadedBy: UserRef;
  uploadedAt: string;
}

export type SignedCopyEvent = Event<'signed-copy.uploaded', { signedCopy: SignedCopyPayload }>;

/**
 * The audit trail grew by one entry (written in the same transaction as the entry). Clients refetch
 * GET …/audit on it; entries about an internal comment are announced to that party only.
 */
export type AuditEvent = Event<'audit.appended', { entryId: number; type: string }>;

export type FollowUpEvent =
  | Event<'measurement.recorded', { measurement: MeasurementPayload }>
  | Event<'measurement.confirmed', { measurement: MeasurementPayload }>
  | Event<'measurement.commented', { measurement: MeasurementPayload }>
  | Event<'revision.started', { revision: RevisionPayload }>;

/** Every event of the agreement event stream. */
export type AgreementStreamEvent = CommentEvent | MemberEvent | AgreementStateEvent | ApprovalEvent | VersionEvent | SignedCopyEvent | AuditEvent | FollowUpEvent;

export type AgreementStreamEventType = AgreementStreamEvent['type'];

/** The payload of one event type: `EventData<'member.removed'>` → `{ userId, partyId }`. */
export type EventData<T extends AgreementStreamEventType> = Extract<AgreementStreamEvent, { type: T }>['data'];

/** The stream's own messages (not agreement events). */
export type StreamControlEvent = Event<'ready', { agreementId: string; partyId: string; role: 'editor' | 'commenter' | 'viewer' }> | Event<'access-revoked', Record<string, never>>;
