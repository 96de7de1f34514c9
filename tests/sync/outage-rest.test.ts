/**
 * The database cut through a TCP proxy while clients type: REST answers 503 problem+json with
 * Retry-After within the bound (OVERENS_DB_UNAVAILABLE_TIMEOUT_MS) instead of hanging or saying
 * "Internal error"; /api/health says 503 and what is down; the liveness probe stays 200 (the process
 * holds live edits in memory); live editing goes on and nothing is lost once the database is back.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { requirePostgresDatabase, type TestDatabase } from './support/db.ts';
import { countChar, persistedText } from './support/inspect.ts';
import { seed } from './support/seed.ts';
import { startInProcess } from './support/server.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

const BOUND_MS = 3000;
/** The machine stalls up to 250 ms; the answer must still come well within the bound plus that. */
const SLACK_MS = 750;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('database outage, REST side', () => {
  test('cut: REST 503 with Retry-After within the bound, health 503, liveness 200; restore: nothing lost', async () => {
    const db: TestDatabase = await requirePostgresDatabase();
    cleanups.push(() => db.drop());
    const target = new URL(db.url!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(db.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const server: RunningServer = await startInProcess({ ...db, url: viaProxy.toString() }, { env: { OVERENS_DB_UNAVAILABLE_TIMEOUT_MS: String(BOUND_MS) } });
    cleanups.push(() => server.close());
    const s = await seed(server.deps.db, { name: `outage-rest-${randomBytes(4).toString('hex')}`, agreements: 1, members: { e1: 'editor', e2: 'editor' }, initialText: '' });
    const id = s.agreementIds[0]!;
    const cookie = `overens_session=${s.users.e1!.token}`;
    const clients: TestClient[] = ['e1', 'e2'].map((u) => connectClient(server.url, id, s.users[u]!.token));
    cleanups.push(() => clients.forEach((c) => c.destroy()));
    await waitFor(() => clients.every(synced), 'synced');
    expect((await fetch(`${server.url}/api/agreements/${id}`, { headers: { cookie } })).status).toBe(200);

    proxy.cut();
    clients[0]!.text.insert(0, 'a'.repeat(30));
    clients[1]!.text.insert(0, 'b'.repeat(30));
    await waitFor(() => clients.every((c) => c.text.length === 60), 'live editing goes on');

    for (const path of [`/api/agreements/${id}`, `/api/agreements/${id}/members`, '/api/agreements']) {
      const started = Date.now();
      const res = await fetch(server.url + path, { headers: { cookie } });
      const took = Date.now() - started;
      expect(res.status, path).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const problem = (await res.json()) as { code: string; detail: string; messages: { sv: string; en: string } };
      expect(problem.code).toBe('database-unavailable');
      expect(problem.messages.sv).toMatch(/Databasen/);
      expect(took, `${path} answered after ${took} ms`).toBeLessThan(BOUND_MS + SLACK_MS);
    }
    const health = await fetch(server.url + '/api/health');
    expect(health.status).toBe(503);
    expect(((await health.json()) as { database: string }).database).toBe('down');
    expect((await fetch(server.url + '/api/health/live')).status).toBe(200);

    proxy.restore();
    await waitFor(() => server.deps.sync.documentStatus(id).state === 'saved' && server.deps.sync.status().db === 'up', 'flushed after restore', 90_000);
    await waitFor(async () => (await fetch(`${server.url}/api/agreements/${id}`, { headers: { cookie } })).status === 200, 'REST answers again', 30_000);
    expect((await fetch(server.url + '/api/health')).status).toBe(200);
    const stored = await persistedText(db, id);
    expect(countChar(stored, 'a')).toBe(30);
    expect(countChar(stored, 'b')).toBe(30);
  });
});
