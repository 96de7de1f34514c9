/**
 * Comments on clauses, the read side and the checks: threads anchored to a passage of a section,
 * replies, @mentions of members, and visibility 'all' | 'internal'. The writes (create, reply, edit,
 * delete, resolve/reopen) are commands: ../commands/comments.ts.
 *
 * The one rule that must never break: an internal thread (and everything in it) is only ever returned
 * to, or published for, members of the party that wrote it. Every read here filters on it in SQL, and
 * every event carries that party as its audience (the SSE route delivers by it).
 */
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, comments, commentThreads, users, type CommentVisibility } from '../db/schema/index.ts';
import type { MemberRole } from '../db/schema/agreements.ts';
import { DomainError, invalidFieldError } from '../domain/errors.ts';
import type { AgreementState } from '../policies/index.ts';

/** Who is asking: the signed-in user's membership of the agreement. */
export interface CommentActor {
  userId: string;
  partyId: string;
  role: MemberRole;
  signatory: boolean;
  /** The agreement's state, for the policy. */
  agreement: AgreementState;
}

export interface UserRef {
  id: string;
  name: string;
}

export interface CommentDto {
  id: string;
  author: UserRef | null;
  body: string;
  mentions: UserRef[];
  createdAt: string;
  editedAt: string | null;
}

export interface ThreadDto {
  id: string;
  agreementId: string;
  sectionId: string;
  anchor: { start: string; end: string };
  quote: string;
  visibility: CommentVisibility;
  partyId: string;
  createdBy: UserRef | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: UserRef | null;
  comments: CommentDto[];
}

export type CommentEventType = 'comment.created' | 'comment.updated' | 'comment.resolved' | 'comment.reopened' | 'comment.deleted';

export const MAX_COMMENT_LENGTH = 10_000;
export const MAX_QUOTE_LENGTH = 2_000;

/**
 * Mentions are written in the body as `@[Visible Name](user:<uuid>)` (the web app's autocomplete inserts
 * them). Only the id counts; the name is for display.
 */
const MENTION = /@\[([^\]\n]{1,200})\]\(user:([0-9a-fA-F-]{36})\)/g;

export function parseMentions(body: string): string[] {
  const ids = new Set<string>();
  for (const m of body.matchAll(MENTION)) ids.add(m[2]!.toLowerCase());
  return [...ids];
}

export function checkBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed === '') throw invalidFieldError('body', 'must not be empty: write your comment');
  if (trimmed.length > MAX_COMMENT_LENGTH) throw invalidFieldError('body', `must be at most ${MAX_COMMENT_LENGTH} characters`);
  return trimmed;
}

/** SQL condition: threads this actor may see (all-party threads, and internal ones of their party). */
function visibleTo(actor: CommentActor) {
  return or(eq(commentThreads.visibility, 'all'), eq(commentThreads.partyId, actor.partyId));
}

/**
 * Validate mentions: every mentioned user must be a member of the agreement; in an internal thread a
 * member of the author's party (an internal comment must not point the other party at anything).
 */
export async function validateMentions(db: DbOrTx, agreementId: string, ids: string[], internalParty: string | null): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ userId: agreementMembers.userId, partyId: agreementMembers.partyId })
    .from(agreementMembers)
    .where(and(eq(agreementMembers.agreementId, agreementId), inArray(agreementMembers.userId, ids)));
  const byId = new Map(rows.map((r) => [r.userId, r.partyId]));
  for (const id of ids) {
    const party = byId.get(id);
    if (party === undefined) throw invalidFieldError('body', `mentions a user who is not a member of this agreement (${id}): mention members only`);
    if (internalParty !== null && party !== internalParty) {
      throw invalidFieldError('body', 'an internal comment can only mention members of your own party');
    }
  }
  return ids;
}

/* ----------------------------------------------------------------- reads */

async function userNames(db: DbOrTx, ids: string[]): Promise<Map<string, UserRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

async function loadThreads(db: DbOrTx, where: ReturnType<typeof and>): Promise<ThreadDto[]> {
  const threads = await db.select().from(commentThreads).where(where).orderBy(asc(commentThreads.createdAt), asc(commentThreads.id));
  if (threads.length === 0) return [];
  const all = await db
    .select()
    .from(comments)
    .where(inArray(comments.threadId, threads.map((t) => t.id)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  const names = await userNames(db, [
    ...threads.flatMap((t) => [t.createdBy, t.resolvedBy].filter((x): x is string => !!x)),
    ...all.flatMap((c) => [c.authorId, ...c.mentions].filter((x): x is string => !!x)),
  ]);
  const ref = (id: string | null): UserRef | null => (id ? (names.get(id) ?? { id, name: '' }) : null);
  return threads.map((t) => ({
    id: t.id,
    agreementId: t.agreementId,
    sectionId: t.sectionId,
    anchor: { start: t.anchorStart, end: t.anchorEnd },
    quote: t.quote,
    visibility: t.visibility,
    partyId: t.partyId,
    createdBy: ref(t.createdBy),
    createdAt: t.createdAt.toISOString(),
    resolvedAt: iso(t.resolvedAt),
    resolvedBy: ref(t.resolvedBy),
    comments: all
      .filter((c) => c.threadId === t.id)
      .map((c) => ({
        id: c.id,
        author: ref(c.authorId),
        body: c.body,
        mentions: c.mentions.map((id) => ref(id)!),
        createdAt: c.createdAt.toISOString(),
        editedAt: iso(c.editedAt),
      })),
  }));
}

/** Threads of an agreement that this actor may see, oldest first. */
export async function listThreads(db: DbOrTx, agreementId: string, actor: CommentActor): Promise<ThreadDto[]> {
  return loadThreads(db, and(eq(commentThreads.agreementId, agreementId), visibleTo(actor)));
}

/** One thread, or 404 when it does not exist, is in another agreement, or is internal to another party. */
export async function getThread(db: DbOrTx, agreementId: string, threadId: string, actor: CommentActor): Promise<ThreadDto> {
  if (!isUuid(threadId)) throw threadNotFound();
  const [thread] = await loadThreads(db, and(eq(commentThreads.id, threadId), eq(commentThreads.agreementId, agreementId), visibleTo(actor)));
  if (!thread) throw threadNotFound();
  return thread;
}

export function threadNotFound(): DomainError {
  return new DomainError('not-found', 'not-found', 'No comment thread with this id exists in this agreement, or it is not visible to you.');
}

export function commentNotFound(): DomainError {
  return new DomainError('not-found', 'not-found', 'No comment with this id exists in this thread, or it is not visible to you.');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/** Members an actor may mention (for the autocomplete): everyone, or only their party for internal threads. */
export async function mentionableMembers(db: DbOrTx, agreementId: string, actor: CommentActor, visibility: CommentVisibility): Promise<Array<UserRef & { partyId: string }>> {
  const where =
    visibility === 'internal'
      ? and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.partyId, actor.partyId))
      : eq(agreementMembers.agreementId, agreementId);
  return db
    .select({ id: users.id, name: users.name, partyId: agreementMembers.partyId })
    .from(agreementMembers)
    .innerJoin(users, eq(users.id, agreementMembers.userId))
    .where(where)
    .orderBy(asc(users.name));
}
