import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { getMembership, requireAgreementRole, requireMembership } from '../agreements/membership.ts';
import { listMembers, memberJson } from '../agreements/service.ts';
import { agreementMembers } from '../db/schema/index.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { ApiError, forbidden, invalid, notFound } from '../http/problem.ts';
import type { Tx } from '../db/client.ts';
import { MemberSchema, RoleSchema } from './schemas.ts';
import { recordAudit } from '../audit/service.ts';
import { publishMemberEvent } from '../events/members.ts';

const IdParams = z.object({ id: uuidParam('id', 'an agreement') });
const MemberParams = z.object({ id: uuidParam('id', 'an agreement'), userId: uuidParam('userId', 'a member (user)') });

const UpdateMemberSchema = z
  .object({
    role: z.enum(['editor', 'commenter', 'viewer'], { error: 'must be editor, commenter or viewer' }).optional(),
    signatory: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .openapi('UpdateMemberRequest');

function memberNotFound() {
  return notFound('This user is not a member of the agreement.');
}

/** Editors manage the members of their own party; every party keeps control over who speaks for it. */
function requireSameParty(actorPartyId: string, targetPartyId: string) {
  if (actorPartyId !== targetPartyId) {
    throw forbidden("Members of another party are managed by that party's editors; ask them to make this change.");
  }
}

async function countEditors(tx: Tx, agreementId: string): Promise<number> {
  const rows = await tx
    .select({ userId: agreementMembers.userId })
    .from(agreementMembers)
    .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.role, 'editor')))
    .for('update');
  return rows.length;
}

function lastEditor(field: string) {
  return new ApiError(409, 'last-editor', 'Last editor', 'The agreement needs at least one editor: make someone else editor first.', [
    { field, message: 'would leave the agreement without an editor: make someone else editor first' },
  ]);
}

export const memberRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/members',
      tags: ['members'],
      summary: 'Members of the agreement with role, signatory flag and party',
      security: cookieAuth,
      request: { params: IdParams },
      responses: { 200: jsonContent(z.array(MemberSchema), 'Members'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      await requireMembership(db, id, user.id);
      return c.json((await listMembers(db, id)).map(memberJson), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/agreements/{id}/members/{userId}',
      tags: ['members'],
      summary: "Change a member's role and/or signatory flag (editors, for members of their own party)",
      security: cookieAuth,
      request: { params: MemberParams, body: jsonBody(UpdateMemberSchema) },
      responses: { 200: jsonContent(MemberSchema, 'Updated member'), ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, sync, logger, events } = c.get('deps');
      const { id, userId } = c.req.valid('param');
      const body = c.req.valid('json');
      if (body.role === undefined && body.signatory === undefined) {
        throw invalid([{ field: 'body', message: 'send role (editor, commenter or viewer) and/or signatory (true or false)' }]);
      }
      const actor = await requireAgreementRole(db, id, user.id, 'editor', "change members' roles");
      const changed = await db.transaction(async (tx) => {
        const target = await getMembership(tx, id, userId);
        if (!target) throw memberNotFound();
        requireSameParty(actor.partyId, target.partyId);
        if (body.role !== undefined && body.role !== 'editor' && target.role === 'editor') {
          if ((await countEditors(tx, id)) <= 1) throw lastEditor('role');
        }
        await tx
          .update(agreementMembers)
          .set({ ...(body.role !== undefined ? { role: body.role } : {}), ...(body.signatory !== undefined ? { signatory: body.signatory } : {}) })
          .where(and(eq(agreementMembers.agreementId, id), eq(agreementMembers.userId, userId)));
        await recordAudit(tx, {
          agreementId: id,
          type: 'member.role_changed',
          actor: { id: user.id, name: user.name },
          data: {
            userId,
            partyId: target.partyId,
            from: { role: target.role, signatory: target.signatory },
            to: { role: body.role ?? target.role, signatory: body.signatory ?? target.signatory },
          },
        });
        return target;
      });
      // After commit: everyone with the agreement open reloads the member list.
      publishMemberEvent(events, 'member.updated', id, { userId, partyId: changed.partyId });
      // Live sockets: a demoted editor becomes read-only at once (in every process).
      await sync.membershipChanged(id, userId).catch((err) => logger.error({ err, agreementId: id, userId }, 'membershipChanged failed'));
      const member = (await listMembers(db, id)).find((m) => m.userId === userId);
      if (!member) throw memberNotFound();
      return c.json(memberJson(member), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/agreements/{id}/members/{userId}',
      tags: ['members'],
      summary: 'Remove a member (editors, for their own party) or leave (yourself)',
      security: cookieAuth,
      request: { params: MemberParams },
      responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, sync, logger, events } = c.get('deps');
      const { id, userId } = c.req.valid('param');
      const actor = await requireMembership(db, id, user.id);
      if (userId !== user.id) {
        await requireAgreementRole(db, id, user.id, 'editor', 'remove members');
      }
      const removed = await db.transaction(async (tx) => {
        const target = await getMembership(tx, id, userId);
        if (!target) throw memberNotFound();
        if (userId !== user.id) requireSameParty(actor.partyId, target.partyId);
        if (target.role === 'editor' && (await countEditors(tx, id)) <= 1) throw lastEditor('userId');
        await tx.delete(agreementMembers).where(and(eq(agreementMembers.agreementId, id), eq(agreementMembers.userId, userId)));
        await recordAudit(tx, {
          agreementId: id,
          type: 'member.removed',
          actor: { id: user.id, name: user.name },
          data: { userId, partyId: target.partyId, role: target.role, left: userId === user.id },
        });
        return target;
      });
      publishMemberEvent(events, 'member.removed', id, { userId, partyId: removed.partyId });
      // Live sockets of the removed member close (in every process).
      await sync.membershipChanged(id, userId).catch((err) => logger.error({ err, agreementId: id, userId }, 'membershipChanged failed'));
      return c.body(null, 204);
    },
  );

export { RoleSchema };
