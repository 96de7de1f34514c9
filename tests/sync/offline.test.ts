/**
 * Offline: a client with the IndexedDB cache (y-indexeddb on fake-indexeddb) edits while the
 * server is down, is "reloaded" while still offline (content comes from the cache), and its
 * offline edits sync when the server returns.
 */
import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { persistedText } from './support/inspect.ts';
import { seed } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function cachedClient(url: string, id: string, token: string, cacheName: string, connect: boolean) {
  const doc = new Y.Doc();
  const idb = new IndexeddbPersistence(cacheName, doc);
  await idb.whenSynced;
  const c: TestClient = connectClient(url, id, token, { doc, connect });
  return { c, idb };
}

describe('offline editing with the IndexedDB cache', () => {
  test('edits made while the server is down survive a reload and sync when it returns', async () => {
    const db = await createTestDatabase({ onDisk: true });
    cleanups.push(() => db.drop());
    let server: RunningServer = await startInProcess(db);
    const s = await seed(server.deps.db, { name: `offline-${randomBytes(4).toString('hex')}`, agreements: 1, members: { off: 'editor', other: 'editor' }, initialText: 'Shared start.' });
    const id = s.agreementIds[0]!;
    const cacheName = `overens-${id}`;

    // online: the cache fills from the server
    let { c, idb } = await cachedClient(server.url, id, s.users.off!.token, cacheName, true);
    await waitFor(() => synced(c) && c.text.toString() === 'Shared start.', 'online sync');
    c.text.insert(c.text.length, ' Online edit.');
    await waitFor(() => server.deps.sync.documentStatus(id).state === 'saved' && server.deps.sync.documentStatus(id).pendingBytes === 0, 'saved');

    // the server goes away
    await server.close();
    await waitFor(() => !c.provider.wsconnected, 'client notices the server is gone');
    c.text.insert(c.text.length, ' Offline edit 1.');

    // reload while offline: a new document and provider; content comes from IndexedDB
    c.destroy();
    await idb.destroy(); // closes the IndexedDB handle; the cached data stays (clearData() would delete it)
    ({ c, idb } = await cachedClient(server.url, id, s.users.off!.token, cacheName, false));
    expect(c.text.toString()).toBe('Shared start. Online edit. Offline edit 1.');
    c.text.insert(c.text.length, ' Offline edit 2.');

    // the server returns (new port after the restart); the reloaded client connects and syncs
    server = await startInProcess(db);
    cleanups.push(() => server.close());
    c.destroy();
    ({ c, idb } = await cachedClient(server.url, id, s.users.off!.token, cacheName, true));
    cleanups.push(() => c.destroy());
    const expected = 'Shared start. Online edit. Offline edit 1. Offline edit 2.';
    expect(c.text.toString()).toBe(expected);
    await waitFor(() => synced(c), 'reconnected');
    const other = connectClient(server.url, id, s.users.other!.token);
    cleanups.push(() => other.destroy());
    await waitFor(() => synced(other) && other.text.toString() === expected, 'offline edits reached another client');
    await waitFor(() => server.deps.sync.documentStatus(id).state === 'saved' && server.deps.sync.documentStatus(id).pendingBytes === 0, 'saved');
    await server.close();
    expect(await persistedText(db, id)).toBe(expected);
  });
});
