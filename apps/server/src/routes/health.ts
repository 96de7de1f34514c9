import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { createRouter, jsonContent } from '../http/openapi.ts';

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.enum(['pglite', 'postgres']),
    database: z.enum(['up', 'down']),
    redis: z.enum(['up', 'down', 'disabled']),
    sync: z.object({ pendingBytes: z.number(), documents: z.number(), connections: z.number() }).optional(),
  })
  .openapi('Health');

export const healthRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/health',
    tags: ['operations'],
    summary: 'Liveness and what is down',
    responses: {
      200: jsonContent(HealthSchema, 'Up; `status` is `degraded` when the database or Redis is unreachable (edits are kept in memory meanwhile)'),
    },
  }),
  async (c) => {
    const deps = c.get('deps');
    let database: 'up' | 'down' = 'up';
    // A cut network can make a query hang rather than fail: give the probe two seconds.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.db.execute(sql`select 1`),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database probe timed out')), 2000);
        }),
      ]);
    } catch {
      database = 'down';
    } finally {
      clearTimeout(timer);
    }
    let redis: 'up' | 'down' | 'disabled' = deps.config.redisUrl ? 'up' : 'disabled';
    let sync: { pendingBytes: number; documents: number; connections: number } | undefined;
    try {
      const s = deps.sync.status();
      redis = s.redis;
      if (s.db === 'down') database = 'down';
      sync = { pendingBytes: s.pendingBytes, documents: s.documents, connections: s.connections };
    } catch {
      // the hub may not report status (e.g. during shutdown)
    }
    const status = database === 'up' && redis !== 'down' ? 'ok' : 'degraded';
    return c.json({ status, db: deps.dbKind, database, redis, ...(sync ? { sync } : {}) } as const, 200);
  },
);
