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

export const healthRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/health/live',
      tags: ['operations'],
      summary: 'Liveness: the process answers. Never asks the database, so an outage does not get a process killed that holds live edits',
      responses: { 200: jsonContent(z.object({ status: z.literal('alive') }).openapi('Liveness'), 'The process is alive') },
    }),
    (c) => c.json({ status: 'alive' as const }, 200),
  )
  .openapi(
  createRoute({
    method: 'get',
    path: '/api/health',
    tags: ['operations'],
    summary: 'Readiness and what is down (503 while the database is unreachable)',
    responses: {
      200: jsonContent(HealthSchema, 'Ready; `status` is `degraded` when Redis is unreachable (this process still serves its own clients)'),
      503: jsonContent(HealthSchema, 'Not ready: the database is unreachable (`database: "down"`); live edits are kept in memory meanwhile'),
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
    const body = { status, db: deps.dbKind, database, redis, ...(sync ? { sync } : {}) } as const;
    if (database === 'down') {
      c.header('retry-after', '5');
      return c.json(body, 503);
    }
    return c.json(body, 200);
  },
);
