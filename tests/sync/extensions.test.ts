/**
 * Sync engine extensions on a real server: hooks run in priority order, and beforeUpdate can refuse
 * a client's update with a close reason (the update reaches nobody and is not stored).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../apps/server/src/server.ts';
import type { Extension } from '../../apps/server/src/sync/core/extension.ts';
import { connectClient, synced, tryUpgrade, waitFor } from './support/client.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { createTestDatabase } from './support/db.ts';
import { docFromUpdates, loadDocument } from '../../apps/server/src/sync/persistence.ts';
import { seed } from './support/seed.ts';
import { TEST_SYNC_ENV } from './support/server.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('extensions', () => {
  test('hooks run in priority order; beforeUpdate refuses an update with a close reason and it goes nowhere', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const calls: string[] = [];
    const low: Extension = {
      name: 'low',
      priority: 10,
      onLoad: () => void calls.push('low:onLoad'),
      beforeUpdate: () => void calls.push('low:beforeUpdate'),
      onChange: ({ origin }) => void calls.push(`low:onChange:${origin.kind}`),
      onUnload: () => void calls.push('low:onUnload'),
    };
    const suggestOnly: Extension = {
      name: 'suggest-only',
      priority: 200,
      onLoad: () => void calls.push('high:onLoad'),
      beforeUpdate: ({ update }) => {
        calls.push('high:beforeUpdate');
        if (Buffer.from(update).includes('FORBIDDEN')) return { code: 4403, reason: 'suggestions only' };
      },
    };
    Object.assign(process.env, TEST_SYNC_ENV);
    const server: RunningServer = await startServer(
      { port: 0, host: '127.0.0.1', databaseUrl: db.url, dataDir: db.dataDir, redisUrl: null, logLevel: 'error', shutdownTimeoutMs: 2000 },
      { syncOptions: { extensions: [low, suggestOnly], idleUnloadMs: 300 } },
    );
    cleanups.push(() => server.close());
    const s = await seed(server.deps.db, { name: `ext-${randomBytes(4).toString('hex')}`, agreements: 1, members: { a: 'editor', b: 'editor' }, initialText: 'Start.' });
    const id = s.agreementIds[0]!;
    const a = connectClient(server.url, id, s.users.a!.token);
    const b = connectClient(server.url, id, s.users.b!.token);
    cleanups.push(() => a.destroy(), () => b.destroy());
    await waitFor(() => synced(a) && synced(b), 'synced');
    expect(calls.slice(0, 2)).toEqual(['high:onLoad', 'low:onLoad']);

    a.text.insert(a.text.length, ' ok');
    await waitFor(() => b.text.toString() === 'Start. ok', 'allowed edit arrives');
    expect(calls).toContain('high:beforeUpdate');
    const i = calls.indexOf('high:beforeUpdate');
    expect(calls[i + 1]).toBe('low:beforeUpdate');
    expect(calls).toContain('low:onChange:client');

    a.text.insert(a.text.length, ' FORBIDDEN');
    await waitFor(() => a.closes.some((c) => c.code === 4403 && c.reason === 'suggestions only'), 'refused with the reason');
    b.text.insert(0, '>');
    const stored = async () => docFromUpdates((await loadDocument(server.deps.db, id)).updates).getText('text').toString();
    await waitFor(async () => (await stored()) === '>Start. ok', 'allowed edits persisted');
    expect(b.text.toString()).toBe('>Start. ok');

    a.destroy();
    b.destroy();
    await waitFor(() => calls.includes('low:onUnload'), 'onUnload after the idle unload');
  });

  test('onAuthenticate refuses an upgrade or makes it read-only; onAwareness refuses presence; onStore follows each flush', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const stores: string[] = [];
    const gate: Extension = {
      name: 'gate',
      onAuthenticate: ({ name }) => {
        if (name === 'blocked') return { refuse: { status: 403, detail: 'blocked by policy' } };
        if (name === 'reader') return { readOnly: true };
      },
      onAwareness: ({ entries }) => {
        if (entries.some((e) => (e.state as { cursor?: string } | null)?.cursor === 'forbidden')) return { code: 4403, reason: 'presence refused' };
      },
      onStore: ({ agreementId }) => void stores.push(agreementId),
    };
    Object.assign(process.env, TEST_SYNC_ENV);
    const server: RunningServer = await startServer(
      { port: 0, host: '127.0.0.1', databaseUrl: db.url, dataDir: db.dataDir, redisUrl: null, logLevel: 'error', shutdownTimeoutMs: 2000 },
      { syncOptions: { extensions: [gate] } },
    );
    cleanups.push(() => server.close());
    const s = await seed(server.deps.db, {
      name: `ext2-${randomBytes(4).toString('hex')}`,
      agreements: 1,
      members: { editor: 'editor', reader: 'editor', blocked: 'editor' },
      initialText: 'Start.',
    });
    const id = s.agreementIds[0]!;
    const refused = await tryUpgrade(server.url, id, { cookie: `overens_session=${s.users.blocked!.token}` });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('blocked by policy');

    const editor = connectClient(server.url, id, s.users.editor!.token);
    const reader = connectClient(server.url, id, s.users.reader!.token);
    cleanups.push(() => editor.destroy(), () => reader.destroy());
    await waitFor(() => synced(editor) && synced(reader), 'synced');
    const serverState = (c: typeof reader) => c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: { readOnly: boolean } } | undefined;
    await waitFor(() => serverState(reader)?.overensServer?.readOnly === true, 'the reader is told it is read-only');
    expect(serverState(editor)?.overensServer?.readOnly).toBe(false);
    reader.text.insert(0, 'READER ');
    editor.text.insert(editor.text.length, ' editor');
    const stored = async () => docFromUpdates((await loadDocument(server.deps.db, id)).updates).getText('text').toString();
    await waitFor(async () => (await stored()) === 'Start. editor', "the editor's edit is stored");
    await waitFor(() => stores.includes(id), 'onStore after the flush');
    await waitFor(() => reader.text.toString().includes('editor'), "the editor's edit reaches the reader");
    expect(await stored()).toBe('Start. editor');

    editor.provider.awareness.setLocalStateField('cursor', 'fine');
    await waitFor(() => [...reader.provider.awareness.getStates().values()].some((st) => st.cursor === 'fine'), 'allowed presence arrives');
    editor.provider.awareness.setLocalStateField('cursor', 'forbidden');
    await waitFor(() => editor.closes.some((c) => c.code === 4403 && c.reason === 'presence refused'), 'refused presence closes the socket');
    expect([...reader.provider.awareness.getStates().values()].some((st) => st.cursor === 'forbidden')).toBe(false);
  });

  test("the app's extensions are registered on the engine; close() runs onDestroy first, while documents can still be read", async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    let server: RunningServer | null = null;
    const destroyed: string[] = [];
    const last: Extension = {
      name: 'last',
      priority: 1,
      async onDestroy() {
        let text = '';
        await server!.deps.sync.withDocument(id, (doc) => (text = doc.getText('text').toString()));
        destroyed.push(`read:${text}`);
      },
    };
    Object.assign(process.env, TEST_SYNC_ENV);
    server = await startServer(
      { port: 0, host: '127.0.0.1', databaseUrl: db.url, dataDir: db.dataDir, redisUrl: null, logLevel: 'error', shutdownTimeoutMs: 2000 },
      { syncOptions: { extensions: [last] } },
    );
    const s = await seed(server.deps.db, { name: `ext-${randomBytes(4).toString('hex')}`, agreements: 1, members: { a: 'editor' }, initialText: 'Start.' });
    const id = s.agreementIds[0]!;
    const names = (server.deps.sync as unknown as { extensionNames: string[] }).extensionNames;
    expect(names).toEqual(expect.arrayContaining(['suggestions', 'approval-watch', 'agreed-guard', 'checkpoints', 'last']));
    await server.close();
    expect(destroyed).toEqual(['read:Start.']);
  });
});
