import { createRoute, z } from '@hono/zod-openapi';
import { listMembers, memberJson } from '../agreements/service.ts';
import { changeMemberRole, removeMember } from '../commands/members.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { invalid, notFound } from '../http/problem.ts';
import { authorizeOn } from '../policies/subject.ts';
import { MemberSchema, RoleSchema } from './schemas.ts';

const IdParams = z.object({ id: uuidParam('id', 'an agreement') });
const MemberParams = z.object({ id: uuidParam('id', 'an agreement'), userId: uuidParam('userId', 'a member (user)') });

const UpdateMemberSchema = z
  .object({
    role: z.enum(['editor', 'commenter', 'viewer'], { error: 'must be editor, commenter or viewer' }).optional(),
    signatory: z.boolean({ error: 'must be true or false' }).optional(),
    title: z
      .string({ error: 'must be text: your title (befattning), e.g. Förvaltningsdirektör' })
      .trim()
      .max(120, 'must be at most 120 characters')
      .optional()
      .openapi({ description: 'Your own title (befattning) on your account, printed under your name when you sign; only for yourself' }),
  })
  .strict()
  .openapi('UpdateMemberRequest');

function memberNotFound() {
  return notFound('This user is not a member of the agreement.');
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
      await authorizeOn(db, id, user.id, 'agreement.read');
      return c.json((await listMembers(db, id)).map(memberJson), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/agreements/{id}/members/{userId}',
      tags: ['members'],
      summary: "Change a member's role and/or signatory flag (editors, for members of their own party), or your own title (befattning)",
      security: cookieAuth,
      request: { params: MemberParams, body: jsonBody(UpdateMemberSchema) },
      responses: { 200: jsonContent(MemberSchema, 'Updated member'), ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => {
      const user = requireUser(c);
      const deps = c.get('deps');
      const { db } = deps;
      const { id, userId } = c.req.valid('param');
      const body = c.req.valid('json');
      if (body.role === undefined && body.signatory === undefined && body.title === undefined) {
        throw invalid([{ field: 'body', message: 'send role (editor, commenter or viewer), signatory (true or false) and/or title (your own)' }]);
      }
      await changeMemberRole(deps, user, id, userId, body);
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
      const { id, userId } = c.req.valid('param');
      await removeMember(c.get('deps'), user, id, userId);
      return c.body(null, 204);
    },
  );

export { RoleSchema };
