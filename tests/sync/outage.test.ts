/**
 * Database outage: a TCP proxy between the server and PostgreSQL is cut while clients type.
 * Clients keep editing together from memory, the server says what is down and that edits are
 * unsaved, and everything typed is in the database once the proxy is restored.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { requirePostgresDatabase, type TestDatabase } from './support/db.ts';
import { countChar, persistedText } from './support/inspect.ts';
import { seed } from './support/seed.ts';
import { startInProcess } from './support/server.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('database outage', () => {
  test('cut the database connection while clients type; restore it; everything typed is in the database', async () => {
    const db: TestDatabase = await requirePostgresDatabase();
    cleanups.push(() => db.drop());
    const target = new URL(db.url!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(db.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const server: RunningServer = await startInProcess({ ...db, url: viaProxy.toString() });
    cleanups.push(() => server.close());
    const s = await seed(server.deps.db, { name: `outage-${randomBytes(4).toString('hex')}`, agreements: 1, members: { e1: 'editor', e2: 'editor', e3: 'editor' }, initialText: '' });
    const id = s.agreementIds[0]!;
    const clients: TestClient[] = ['e1', 'e2', 'e3'].map((u) => connectClient(server.url, id, s.users[u]!.token));
    cleanups.push(() => clients.forEach((c) => c.destroy()));
    await waitFor(() => clients.every(synced), 'synced');
    const marks = ['x', 'y', 'z'];
    const type = async (count: number) =>
      Promise.all(
        clients.map(async (c, i) => {
          for (let n = 0; n < count; n++) {
            c.text.insert(Math.floor(Math.random() * (c.text.length + 1)), marks[i]!);
            await new Promise((r) => setTimeout(r, 3 + Math.random() * 5));
          }
        }),
      );
    await type(20);
    await waitFor(() => server.deps.sync.documentStatus(id).state === 'saved', 'saved before the outage');

    proxy.cut();
    await type(60);
    // clients keep editing together from memory
    await waitFor(() => clients.every((c) => c.text.length === 240), 'converged during the outage');
    // the server knows: database down, edits unsaved (status route, health, and the server peer's awareness)
    await waitFor(() => server.deps.sync.status().db === 'down', 'db reported down');
    expect(server.deps.sync.documentStatus(id).state).toBe('unsaved');
    expect(server.deps.sync.status().pendingBytes).toBeGreaterThan(0);
    const health = (await (await fetch(server.url + '/api/health')).json()) as { status: string; database: string };
    expect(health.database).toBe('down');
    expect(health.status).toBe('degraded');
    const save = (c: TestClient) => (c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: { save: string } } | undefined)?.overensServer?.save;
    await waitFor(() => save(clients[0]!) === 'unsaved', 'clients told their edits are unsaved');
    const live = clients[0]!.text.toString();

    proxy.restore();
    await waitFor(() => server.deps.sync.documentStatus(id).state === 'saved' && server.deps.sync.status().db === 'up', 'flushed after restore', 90_000);
    await waitFor(() => save(clients[0]!) === 'saved', 'clients told it is saved');

    // read straight from PostgreSQL (not through the proxy)
    const stored = await persistedText(db, id);
    expect(stored).toBe(live);
    for (const m of marks) expect(countChar(stored, m)).toBe(80);
  });
});
