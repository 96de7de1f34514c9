import { createRoute, z } from '@hono/zod-openapi';
import type { Action } from '../policies/index.ts';
import { authorizeOn } from '../policies/subject.ts';
import { listThreads, mentionableMembers, MAX_COMMENT_LENGTH, type CommentActor } from '../comments/service.ts';
import { createThread, deleteComment, editComment, replyToThread, setThreadResolved } from '../commands/comments.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam, type AppContext } from '../http/openapi.ts';

const UserRefSchema = z.object({ id: z.string(), name: z.string() }).openapi('UserRef');

const CommentSchema = z
  .object({
    id: z.uuid(),
    author: UserRefSchema.nullable(),
    body: z.string().openapi({ description: 'Plain text; mentions are written `@[Name](user:<uuid>)`' }),
    mentions: z.array(UserRefSchema),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
  })
  .openapi('Comment');

export const ThreadSchema = z
  .object({
    id: z.uuid(),
    agreementId: z.uuid(),
    sectionId: z.string(),
    anchor: z.object({ start: z.string(), end: z.string() }).openapi({ description: 'Yjs relative positions (base64) into the section body' }),
    quote: z.string(),
    visibility: z.enum(['all', 'internal']),
    partyId: z.uuid(),
    createdBy: UserRefSchema.nullable(),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    resolvedBy: UserRefSchema.nullable(),
    comments: z.array(CommentSchema),
  })
  .openapi('CommentThread');

const base64 = (field: string) =>
  z
    .string({ error: `${field} is required: an encoded Yjs relative position (base64)` })
    .min(1, 'must not be empty')
    .max(2000, 'must be at most 2000 characters')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64 (Y.encodeRelativePosition, then base64)');

const bodyField = z
  .string({ error: 'body is required: the text of your comment' })
  .max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`);

const CreateThreadSchema = z
  .object({
    sectionId: z.string({ error: 'sectionId is required: the id of the commented section' }).min(1).max(200),
    anchorStart: base64('anchorStart'),
    anchorEnd: base64('anchorEnd'),
    quote: z.string({ error: 'quote is required: the selected text' }).max(2000, 'must be at most 2000 characters'),
    body: bodyField,
    visibility: z.enum(['all', 'internal'], { error: 'must be "all" (every party) or "internal" (only your party)' }).default('all'),
  })
  .openapi('CreateCommentThreadRequest');

const BodySchema = z.object({ body: bodyField }).openapi('CommentBodyRequest');
const ResolveSchema = z.object({ resolved: z.boolean({ error: 'resolved must be true (resolve) or false (reopen)' }) }).openapi('ResolveRequest');

const agreementParam = z.object({ id: uuidParam('id', 'an agreement') });
const threadParams = z.object({ id: uuidParam('id', 'an agreement'), threadId: uuidParam('threadId', 'a comment thread') });
const commentParams = threadParams.extend({ commentId: uuidParam('commentId', 'a comment') });

/** The policy's answer for this action, as the comment service's actor. */
async function authorizeCommentActor(c: AppContext, agreementId: string, action: Action): Promise<CommentActor> {
  const user = requireUser(c);
  const { actor, agreement } = await authorizeOn(c.get('deps').db, agreementId, user.id, action);
  return { userId: user.id, partyId: actor.partyId, role: actor.role, signatory: actor.signatory, agreement: { status: agreement.status } };
}

const deps = (c: AppContext) => {
  const d = c.get('deps');
  return { db: d.db, outbox: d.outbox, sync: d.sync };
};

export const commentRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/comments',
      tags: ['comments'],
      summary: 'Comment threads you may see (internal threads of other parties are never included)',
      security: cookieAuth,
      request: { params: agreementParam },
      responses: { 200: jsonContent(z.object({ threads: z.array(ThreadSchema) }), 'Threads, oldest first'), ...problems(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = await authorizeCommentActor(c, id, 'agreement.read');
      return c.json({ threads: await listThreads(c.get('deps').db, id, actor) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/comments/mentionable',
      tags: ['comments'],
      summary: 'Members you can @mention (only your party for internal comments)',
      security: cookieAuth,
      request: { params: agreementParam, query: z.object({ visibility: z.enum(['all', 'internal']).default('all') }) },
      responses: {
        200: jsonContent(z.object({ members: z.array(UserRefSchema.extend({ partyId: z.string() })) }), 'Members'),
        ...problems(401, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { visibility } = c.req.valid('query');
      const actor = await authorizeCommentActor(c, id, 'agreement.read');
      return c.json({ members: await mentionableMembers(c.get('deps').db, id, actor, visibility) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/comments',
      tags: ['comments'],
      summary: 'Start a thread on a passage of a section (editors and commenters). The section must exist in the live document and both anchors must be relative positions inside its body (400 comment-unknown-section / comment-invalid-anchor / comment-anchor-unknown / comment-anchor-outside-section).',
      security: cookieAuth,
      request: { params: agreementParam, body: jsonBody(CreateThreadSchema) },
      responses: { 201: jsonContent(ThreadSchema, 'Thread created'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const thread = await createThread(deps(c), requireUser(c), id, c.req.valid('json'));
      return c.json(thread, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/comments/{threadId}/replies',
      tags: ['comments'],
      summary: 'Reply in a thread',
      security: cookieAuth,
      request: { params: threadParams, body: jsonBody(BodySchema) },
      responses: { 201: jsonContent(ThreadSchema, 'The thread with the reply'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, threadId } = c.req.valid('param');
      return c.json(await replyToThread(deps(c), requireUser(c), id, threadId, c.req.valid('json').body), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/agreements/{id}/comments/{threadId}/comments/{commentId}',
      tags: ['comments'],
      summary: 'Edit your own comment',
      security: cookieAuth,
      request: { params: commentParams, body: jsonBody(BodySchema) },
      responses: { 200: jsonContent(ThreadSchema, 'The thread'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, threadId, commentId } = c.req.valid('param');
      return c.json(await editComment(deps(c), requireUser(c), id, threadId, commentId, c.req.valid('json').body), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/agreements/{id}/comments/{threadId}/comments/{commentId}',
      tags: ['comments'],
      summary: 'Delete your own comment (the thread goes with its last comment)',
      security: cookieAuth,
      request: { params: commentParams },
      responses: {
        200: jsonContent(z.object({ thread: ThreadSchema.nullable() }), 'The remaining thread, or null when it was deleted'),
        ...problems(401, 403, 404),
      },
    }),
    async (c) => {
      const { id, threadId, commentId } = c.req.valid('param');
      return c.json({ thread: await deleteComment(deps(c), requireUser(c), id, threadId, commentId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/comments/{threadId}/resolve',
      tags: ['comments'],
      summary: 'Resolve ({resolved:true}) or reopen ({resolved:false}) a thread',
      security: cookieAuth,
      request: { params: threadParams, body: jsonBody(ResolveSchema) },
      responses: { 200: jsonContent(ThreadSchema, 'The thread'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, threadId } = c.req.valid('param');
      return c.json(await setThreadResolved(deps(c), requireUser(c), id, threadId, c.req.valid('json').resolved), 200);
    },
  );
