/**
 * Comment commands: start a thread, reply, edit or delete one's own comment, resolve or reopen.
 * authorize (the policy, inside the transaction) → one transaction (the write, the audit row, the
 * outbox row with the comment event) → deliver the outbox row → the thread as the caller sees it.
 *
 * An internal thread's event carries its party as the audience (outbox `partyId`; the event stream
 * delivers by `event.receive`), and so does its audit row (`data.audience`; GET …/audit shows it only
 * to that party). Audit rows carry ids, never comment bodies.
 */
import { and, eq } from 'drizzle-orm';
import type { CommentEvent } from '@overens/contracts';
import { recordAudit, type AuditEventType } from '../audit/service.ts';
import type { Tx } from '../db/client.ts';
import { comments, commentThreads, type CommentVisibility } from '../db/schema/index.ts';
import { checkThreadPlace } from '../comments/anchors.ts';
import {
  checkBody,
  commentNotFound,
  getThread,
  isUuid,
  MAX_QUOTE_LENGTH,
  parseMentions,
  validateMentions,
  type CommentActor,
  type ThreadDto,
} from '../comments/service.ts';
import { writeOutbox, type OutboxEntry } from '../outbox/writer.ts';
import { authorize, type Action } from '../policies/index.ts';
import { loadSubject } from '../policies/subject.ts';
import type { SyncHub } from '../sync/hub-contract.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface CommentCommandDeps extends Pick<CommandDeps, 'db' | 'outbox'> {
  /** The live document, to check a new thread's section and anchors. */
  sync: Pick<SyncHub, 'getDocumentState'>;
}

export interface NewThreadInput {
  sectionId: string;
  anchorStart: string;
  anchorEnd: string;
  quote: string;
  body: string;
  visibility: CommentVisibility;
}

/** The caller as the comment reads see them, after `authorize(action)` inside the transaction. */
async function actorIn(tx: Tx, agreementId: string, user: CommandUser, action: Action): Promise<CommentActor> {
  const { actor, agreement } = await loadSubject(tx, agreementId, user.id);
  authorize(actor, action, agreement);
  return { userId: user.id, partyId: actor.partyId, role: actor.role, signatory: actor.signatory, agreement: { status: agreement!.status } };
}

/** The audit row and the outbox row of one comment change, in the change's transaction. */
async function record(
  tx: Tx,
  user: CommandUser,
  thread: ThreadDto,
  audit: { type: AuditEventType; data: Record<string, unknown> },
  event: { type: CommentEvent['type']; extra?: Record<string, unknown> },
): Promise<number> {
  const audience = thread.visibility === 'internal' ? thread.partyId : null;
  await recordAudit(tx, {
    agreementId: thread.agreementId,
    type: audit.type,
    actor: { id: user.id, name: user.name },
    data: { threadId: thread.id, sectionId: thread.sectionId, visibility: thread.visibility, ...(audience ? { audience } : {}), ...audit.data },
  });
  return writeOutbox(tx, {
    agreementId: thread.agreementId,
    // The audience: internal threads only for the author's party (the event stream filters by it).
    partyId: audience,
    type: event.type,
    data: { thread: { ...thread }, ...event.extra },
  } as OutboxEntry);
}

export async function createThread(deps: CommentCommandDeps, user: CommandUser, agreementId: string, input: NewThreadInput): Promise<ThreadDto> {
  const body = checkBody(input.body);
  // Membership first (no existence leak), then the place in the live document (outside the transaction:
  // loading the document may need the database).
  const pre = await loadSubject(deps.db, agreementId, user.id);
  authorize(pre.actor, 'comment.create', pre.agreement);
  checkThreadPlace(await deps.sync.getDocumentState(agreementId), input);
  const { thread, outboxId } = await deps.db.transaction(async (tx) => {
    const actor = await actorIn(tx, agreementId, user, 'comment.create');
    const mentions = await validateMentions(tx, agreementId, parseMentions(body), input.visibility === 'internal' ? actor.partyId : null);
    const [row] = await tx
      .insert(commentThreads)
      .values({
        agreementId,
        sectionId: input.sectionId,
        anchorStart: input.anchorStart,
        anchorEnd: input.anchorEnd,
        quote: input.quote.slice(0, MAX_QUOTE_LENGTH),
        visibility: input.visibility,
        partyId: actor.partyId,
        createdBy: user.id,
      })
      .returning({ id: commentThreads.id });
    if (!row) throw new Error('insert returned no row');
    const [comment] = await tx.insert(comments).values({ threadId: row.id, agreementId, authorId: user.id, body, mentions }).returning({ id: comments.id });
    const thread = await getThread(tx, agreementId, row.id, actor);
    const outboxId = await record(tx, user, thread, { type: 'comment.created', data: { commentId: comment!.id } }, { type: 'comment.created' });
    return { thread, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return thread;
}

export async function replyToThread(deps: CommandDeps, user: CommandUser, agreementId: string, threadId: string, rawBody: string): Promise<ThreadDto> {
  const body = checkBody(rawBody);
  const { thread, outboxId } = await deps.db.transaction(async (tx) => {
    const actor = await actorIn(tx, agreementId, user, 'comment.create');
    const existing = await getThread(tx, agreementId, threadId, actor);
    const mentions = await validateMentions(tx, agreementId, parseMentions(body), existing.visibility === 'internal' ? existing.partyId : null);
    const [row] = await tx.insert(comments).values({ threadId, agreementId, authorId: user.id, body, mentions }).returning({ id: comments.id });
    const thread = await getThread(tx, agreementId, threadId, actor);
    const outboxId = await record(tx, user, thread, { type: 'comment.replied', data: { commentId: row!.id } }, { type: 'comment.updated', extra: { commentId: row!.id } });
    return { thread, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return thread;
}

/** The thread and one's own comment in it (404 unknown or invisible, 403 someone else's). */
async function ownComment(tx: Tx, agreementId: string, threadId: string, commentId: string, actor: CommentActor) {
  if (!isUuid(commentId)) throw commentNotFound();
  const thread = await getThread(tx, agreementId, threadId, actor);
  const comment = thread.comments.find((c) => c.id === commentId);
  if (!comment) throw commentNotFound();
  authorize(actor, 'comment.editOwn', actor.agreement, { userId: comment.author?.id ?? null });
  return thread;
}

export async function editComment(deps: CommandDeps, user: CommandUser, agreementId: string, threadId: string, commentId: string, rawBody: string): Promise<ThreadDto> {
  const body = checkBody(rawBody);
  const { thread, outboxId } = await deps.db.transaction(async (tx) => {
    const actor = await actorIn(tx, agreementId, user, 'comment.create');
    const existing = await ownComment(tx, agreementId, threadId, commentId, actor);
    const mentions = await validateMentions(tx, agreementId, parseMentions(body), existing.visibility === 'internal' ? existing.partyId : null);
    await tx.update(comments).set({ body, mentions, editedAt: new Date() }).where(and(eq(comments.id, commentId), eq(comments.threadId, threadId)));
    const thread = await getThread(tx, agreementId, threadId, actor);
    const outboxId = await record(tx, user, thread, { type: 'comment.edited', data: { commentId } }, { type: 'comment.updated', extra: { commentId } });
    return { thread, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return thread;
}

/** Delete one's own comment; the thread goes with its last comment. The thread, or null when it went. */
export async function deleteComment(deps: CommandDeps, user: CommandUser, agreementId: string, threadId: string, commentId: string): Promise<ThreadDto | null> {
  const { thread, outboxId } = await deps.db.transaction(async (tx) => {
    const actor = await actorIn(tx, agreementId, user, 'comment.create');
    const existing = await ownComment(tx, agreementId, threadId, commentId, actor);
    await tx.delete(comments).where(and(eq(comments.id, commentId), eq(comments.threadId, threadId)));
    const left = await tx.select({ id: comments.id }).from(comments).where(eq(comments.threadId, threadId)).limit(1);
    const threadDeleted = left.length === 0;
    if (threadDeleted) await tx.delete(commentThreads).where(eq(commentThreads.id, threadId));
    const thread = threadDeleted ? null : await getThread(tx, agreementId, threadId, actor);
    const outboxId = await record(
      tx,
      user,
      thread ?? { ...existing, comments: [] },
      { type: 'comment.deleted', data: { commentId, threadDeleted } },
      { type: 'comment.deleted', extra: { threadId, commentId, threadDeleted } },
    );
    return { thread, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return thread;
}

export async function setThreadResolved(deps: CommandDeps, user: CommandUser, agreementId: string, threadId: string, resolved: boolean): Promise<ThreadDto> {
  const { thread, outboxId } = await deps.db.transaction(async (tx) => {
    const actor = await actorIn(tx, agreementId, user, 'comment.resolve');
    await getThread(tx, agreementId, threadId, actor);
    await tx
      .update(commentThreads)
      .set(resolved ? { resolvedAt: new Date(), resolvedBy: user.id } : { resolvedAt: null, resolvedBy: null })
      .where(and(eq(commentThreads.id, threadId), eq(commentThreads.agreementId, agreementId)));
    const thread = await getThread(tx, agreementId, threadId, actor);
    const type = resolved ? 'comment.resolved' : 'comment.reopened';
    const outboxId = await record(tx, user, thread, { type, data: {} }, { type });
    return { thread, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return thread;
}
