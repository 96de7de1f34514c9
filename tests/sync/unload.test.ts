/**
 * Unload without loss: a real server on Redis unloads an idle agreement while a peer process's
 * update arrives in the agreement's stream. The peer is a raw Redis client that then goes silent (it
 * crashed): the update must be persisted by the unloading process (it holds the persistence lease),
 * not dropped with the room.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../apps/server/src/server.ts';
import { docFromUpdates, loadDocument } from '../../apps/server/src/sync/persistence.ts';
import { silentLogger } from '../../apps/server/src/sync/logger.ts';
import { createStreamChannel, STREAM_PREFIX } from '../../apps/server/src/sync/redis-stream.ts';
import { encodeRelayMessage, type Relay, type RelayHandlers } from '../../apps/server/src/sync/relay.ts';
import { waitFor } from './support/client.ts';
import { createTestDatabase, requireRedisUrl } from './support/db.ts';
import { seed } from './support/seed.ts';
import { TEST_SYNC_ENV } from './support/server.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('unload', () => {
  test("a peer's update that arrives while the room unloads is persisted", async () => {
    const redisUrl = requireRedisUrl();
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const peer = new Redis(redisUrl);
    cleanups.push(() => peer.quit());

    // the real stream channel, with the moment the room stops following its stream made
    // observable: the peer's update is added to the stream then
    let duringUnload: ((agreementId: string) => Promise<void>) | null = null;
    const relay = (h: RelayHandlers): Relay => {
      const real = createStreamChannel(redisUrl, silentLogger)(h);
      return {
        ...real,
        open: (id) => real.open(id),
        release: (id) => real.release(id),
        publish: (id, msg) => real.publish(id, msg),
        persisted: (id, token) => real.persisted(id, token),
        unsavedSince: (id) => real.unsavedSince(id),
        status: () => real.status(),
        shutdown: () => real.shutdown(),
        async close(id) {
          const hook = duringUnload;
          duringUnload = null;
          if (hook) await hook(id);
          return real.close(id);
        },
      };
    };
    Object.assign(process.env, TEST_SYNC_ENV);
    const server: RunningServer = await startServer(
      { port: 0, host: '127.0.0.1', databaseUrl: db.url, dataDir: db.dataDir, redisUrl, logLevel: 'error', shutdownTimeoutMs: 2000 },
      { syncOptions: { relay, idleUnloadMs: 200 } },
    );
    cleanups.push(() => server.close());
    const s = await seed(server.deps.db, { name: `unload-${randomBytes(4).toString('hex')}`, agreements: 1, members: { e: 'editor' }, initialText: 'Start.' });
    const id = s.agreementIds[0]!;

    // the peer's edit, on top of the stored state
    const peerDoc = docFromUpdates((await loadDocument(server.deps.db, id)).updates);
    peerDoc.clientID = 424242;
    let update: Uint8Array | null = null;
    peerDoc.on('update', (u: Uint8Array) => (update = u));
    peerDoc.getText('text').insert(peerDoc.getText('text').length, ' FROM-PEER');

    let hookRan = false;
    duringUnload = async (agreementId) => {
      await peer.xadd(STREAM_PREFIX + agreementId, '*', 'm', Buffer.from(encodeRelayMessage('crashed-peer', { type: 'update', update: update! })));
      hookRan = true;
    };
    // load the document here (nobody connected: it unloads after idleUnloadMs)
    expect((await server.deps.sync.getDocumentState(id)).getText('text').toString()).toBe('Start.');
    await waitFor(() => hookRan && server.deps.sync.status().documents === 0, 'room unloaded');

    const persisted = docFromUpdates((await loadDocument(server.deps.db, id)).updates);
    expect(persisted.getText('text').toString()).toBe('Start. FROM-PEER');
    peerDoc.destroy();
    persisted.destroy();
  });
});
