/**
 * Sync engine extensions on a real server: hooks run in priority order, and beforeUpdate can refuse
 * a client's update with a close reason (the update reaches nobody and is not stored).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../apps/server/src/server.ts';
import type { Extension } from '../../apps/server/src/sync/core/extension.ts';
import { connectClient, synced, waitFor } from './support/client.ts';
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
});
