import { createRoute, z } from '@hono/zod-openapi';
import { startRevision, withdrawRevision } from '../commands/revisions.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';

export const RevisionSchema = z
  .object({
    number: z.number().int().openapi({ description: 'Its number among revisions of this kind: Tillägg 1, 2 …' }),
    kind: z.enum(['amendment', 'renewal']),
    basedOnVersion: z.number().int().openapi({ description: 'The signed final version it amends' }),
  })
  .openapi('Revision');

export const FinalVersionChainSchema = z
  .object({
    number: z.number().int(),
    kind: z.enum(['original', 'amendment', 'renewal']),
    label: z.string().openapi({ example: 'Tillägg 1' }),
    hash: z.string(),
    lockedAt: z.string(),
    amends: z.number().int().nullable().openapi({ description: 'The final version a revision amends' }),
  })
  .openapi('FinalVersionChainItem');

export const revisionRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/revisions',
      tags: ['approvals'],
      summary:
        'Ändra eller förläng: reopen a signed (locked) agreement as an amendment or renewal draft that begins as the signed text (editors). The signed final version stays in force and unchanged; approvals start over; locking again gives final version N+1 ("Tillägg 1" / "Förlängning 1")',
      security: cookieAuth,
      request: {
        params: z.object({ id: uuidParam('id', 'an agreement') }),
        body: jsonBody(z.object({ kind: z.enum(['amendment', 'renewal'], { error: 'kind must be "amendment" (tillägg) or "renewal" (förlängning)' }) }).openapi('StartRevisionRequest')),
      },
      responses: { 201: jsonContent(RevisionSchema, 'Started'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      return c.json(await startRevision({ db: d.db, outbox: d.outbox }, requireUser(c), id, c.req.valid('json').kind), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/revisions/withdraw',
      tags: ['approvals'],
      summary:
        'Withdraw the amendment or renewal being drafted (editors): the agreement is locked again as the signed version it started from. Only while the text is still the signed text (409 revision-changed: restore that version first)',
      security: cookieAuth,
      request: { params: z.object({ id: uuidParam('id', 'an agreement') }) },
      responses: { 200: jsonContent(FinalVersionChainSchema, 'The signed version in force again'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      return c.json(await withdrawRevision({ db: d.db, outbox: d.outbox, sync: d.sync }, requireUser(c), id), 200);
    },
  );
