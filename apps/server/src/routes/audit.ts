import { createRoute, z } from '@hono/zod-openapi';
import { can } from '../policies/index.ts';
import { authorizeOn } from '../policies/subject.ts';
import { listAudit } from '../audit/service.ts';
import { cookieAuth, createRouter, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    type: z.string(),
    at: z.string(),
    actor: z.object({ id: z.string(), name: z.string() }).nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

/** Read-only: the audit trail has no create, update or delete endpoint. */
export const auditRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/agreements/{id}/audit',
    tags: ['audit'],
    summary: 'The append-only audit trail of the agreement, oldest first (members; entries about another party’s internal comments are left out)',
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an agreement') }) },
    responses: { 200: jsonContent(z.object({ entries: z.array(AuditEntrySchema) }), 'Audit entries'), ...problems(401, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { db } = c.get('deps');
    const { actor, agreement } = await authorizeOn(db, id, requireUser(c).id, 'agreement.read');
    // An entry with an audience (about an internal comment) is shown only to that party, like the event.
    const entries = (await listAudit(db, id)).filter((e) => {
      const audience = e.data['audience'];
      return typeof audience !== 'string' || can(actor, 'event.receive', agreement, { partyId: audience });
    });
    return c.json({ entries }, 200);
  },
);
