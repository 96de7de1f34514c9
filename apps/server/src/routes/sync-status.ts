import { createRoute, z } from '@hono/zod-openapi';
import { authorizeOn } from '../policies/subject.ts';
import { cookieAuth, createRouter, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';

const SyncStatusSchema = z
  .object({
    agreementId: z.string(),
    state: z.enum(['saved', 'saving', 'unsaved']).openapi({ description: '`unsaved`: the database is unreachable; edits are kept in memory and retried' }),
    loaded: z.boolean(),
    locked: z.boolean(),
    pendingBytes: z.number().int(),
    lastSavedAt: z.string().nullable(),
    database: z.enum(['up', 'down']),
    redis: z.enum(['up', 'down', 'disabled']),
  })
  .openapi('SyncStatus');

/**
 * Persistence status of an agreement's live document in this server process (the same value is
 * pushed to connected clients in the server peer's awareness state; see sync/README.md).
 */
export const syncStatusRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/agreements/{id}/sync-status',
    tags: ['agreements'],
    summary: 'Whether the live document is saved, being saved, or not saved (database unreachable)',
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an agreement') }) },
    responses: { 200: jsonContent(SyncStatusSchema, 'Save status'), ...problems(400, 401, 404) },
  }),
  async (c) => {
    const user = requireUser(c);
    const { db, sync } = c.get('deps');
    const { id } = c.req.valid('param');
    await authorizeOn(db, id, user.id, 'agreement.read');
    const doc = sync.documentStatus(id);
    const hub = sync.status();
    return c.json({ ...doc, database: hub.db, redis: hub.redis }, 200);
  },
);
