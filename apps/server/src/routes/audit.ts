import { createRoute, z } from '@hono/zod-openapi';
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
    summary: 'The append-only audit trail of the agreement, oldest first (members)',
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an agreement') }) },
    responses: { 200: jsonContent(z.object({ entries: z.array(AuditEntrySchema) }), 'Audit entries'), ...problems(401, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { db } = c.get('deps');
    await authorizeOn(db, id, requireUser(c).id, 'agreement.read');
    return c.json({ entries: await listAudit(db, id) }, 200);
  },
);
