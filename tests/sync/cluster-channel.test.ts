/**
 * The durable cluster channel (Redis Streams): two real processes — one in this process (A), one a
 * child process (B) — on one PostgreSQL database, both reaching Redis through a TCP proxy the test
 * cuts and restores. Requires PostgreSQL and Redis (fails loudly without them).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { requirePostgresDatabase, requireRedisUrl, type TestDatabase } from './support/db.ts';
import { countChar, persistedText } from './support/inspect.ts';
import { describeSeed, seed, setRole, type SeedSpec } from './support/seed.ts';
import { spawnServer, startInProcess, type ChildServer } from './support/server.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});
function track(c: TestClient): TestClient {
  cleanups.push(() => c.destroy());
  return c;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type ServerState = { readOnly: boolean; locked: boolean; role: string };
const serverState = (c: TestClient) =>
  (c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: ServerState } | undefined)?.overensServer;

/** Short stream retention and lease so the tests need not wait for production timings. */
const CHANNEL_ENV = { OVERENS_SYNC_STREAM_RETAIN_MS: '300', OVERENS_SYNC_LEASE_MS: '1500' };

interface Cluster {
  db: TestDatabase;
  proxy: TcpProxy;
  redisUrl: string;
  a: RunningServer;
  b: ChildServer;
  seeded: ReturnType<typeof describeSeed>;
}

async function startCluster(members: SeedSpec['members'], initialText: string, agreements = 1): Promise<Cluster> {
  const redisUrl = requireRedisUrl();
  const db = await requirePostgresDatabase();
  cleanups.push(() => db.drop());
  const target = new URL(redisUrl);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
  cleanups.push(() => proxy.close());
  const viaProxy = `redis://127.0.0.1:${proxy.port}`;
  const spec: SeedSpec = { name: `channel-${randomBytes(4).toString('hex')}`, agreements, members, initialText };
  const b = await spawnServer(db, spec, { redisUrl: viaProxy, env: CHANNEL_ENV });
  cleanups.push(() => b.stop('SIGKILL'));
  const a = await startInProcess(db, { redisUrl: viaProxy, env: CHANNEL_ENV });
  cleanups.push(() => a.close());
  await seed(a.deps.db, spec);
  return { db, proxy, redisUrl, a, b, seeded: describeSeed(spec) };
}

describe('cluster channel on Redis Streams', () => {
  test('a member removed while Redis is cut loses write access on both processes, and nothing they sent after the removal is persisted', async () => {
    const c = await startCluster({ owner: 'editor', m: 'editor' }, 'Start.');
    const id = c.seeded.agreementIds[0]!;
    const owner = track(connectClient(c.a.url, id, c.seeded.users.owner!.token));
    const mOnA = track(connectClient(c.a.url, id, c.seeded.users.m!.token));
    const mOnB = track(connectClient(c.b.url, id, c.seeded.users.m!.token));
    await waitFor(() => [owner, mOnA, mOnB].every(synced) && serverState(mOnB)?.readOnly === false, 'all synced and writable');
    mOnB.text.insert(mOnB.text.length, ' before');
    await waitFor(() => owner.text.toString() === 'Start. before', 'edit from B reaches A');

    c.proxy.cut();
    await waitFor(() => c.a.deps.sync.status().redis === 'down', 'A sees Redis down');
    // removed while Redis is cut: A applies it at once; telling the others fails (the outbox retries)
    await setRole(c.a.deps.db, id, c.seeded.users.m!.id, null);
    await expect(c.a.deps.sync.membershipChanged(id, c.seeded.users.m!.id)).rejects.toThrow();
    await waitFor(() => mOnA.closes.some((x) => x.code === 4403), 'removed member closed on A');
    // B has not heard of it over Redis: what the removed member sends there must not be persisted
    mOnB.text.insert(mOnB.text.length, ' AFTER-REMOVAL');
    owner.text.insert(owner.text.length, ' owner-during-outage');
    await waitFor(() => mOnB.closes.some((x) => x.code === 4403), 'removed member closed on B (the database is the channel while Redis is down)');

    c.proxy.restore();
    // the outbox's retry: resolves once the control message is in the stream
    await waitFor(async () => c.a.deps.sync.membershipChanged(id, c.seeded.users.m!.id).then(() => true, () => false), 'membership change delivered');
    const fresh = track(connectClient(c.b.url, id, c.seeded.users.owner!.token));
    await waitFor(() => synced(fresh) && fresh.text.toString().includes('owner-during-outage'), 'owner edit on B after the outage');
    await waitFor(async () => c.a.deps.sync.documentStatus(id).state === 'saved', 'saved on A');
    await sleep(1500); // B's flush interval and more
    const stored = await persistedText(c.db, id);
    expect(stored).toContain('owner-during-outage');
    expect(stored).toContain(' before');
    expect(stored).not.toContain('AFTER-REMOVAL');
  });

  test('opening an agreement while Redis is down works on both processes', async () => {
    const c = await startCluster({ e: 'editor' }, 'Stored text.');
    const id = c.seeded.agreementIds[0]!;
    c.proxy.cut();
    await waitFor(() => c.a.deps.sync.status().redis === 'down', 'A sees Redis down');
    const onA = track(connectClient(c.a.url, id, c.seeded.users.e!.token));
    const onB = track(connectClient(c.b.url, id, c.seeded.users.e!.token));
    await waitFor(() => synced(onA) && synced(onB), 'both opened while Redis is down', 15_000);
    expect(onA.text.toString()).toBe('Stored text.');
    expect(onB.text.toString()).toBe('Stored text.');
    expect((await c.a.deps.sync.getDocumentState(id)).getText('text').toString()).toBe('Stored text.');
  });

  test('edits on two processes during a Redis outage converge after it returns, and each is persisted once', async () => {
    const c = await startCluster({ a1: 'editor', b1: 'editor' }, '');
    const id = c.seeded.agreementIds[0]!;
    const onA = track(connectClient(c.a.url, id, c.seeded.users.a1!.token));
    const onB = track(connectClient(c.b.url, id, c.seeded.users.b1!.token));
    await waitFor(() => synced(onA) && synced(onB), 'synced');
    c.proxy.cut();
    await waitFor(() => c.a.deps.sync.status().redis === 'down', 'A sees Redis down');
    for (let i = 0; i < 40; i++) {
      onA.text.insert(onA.text.length, 'a');
      onB.text.insert(0, 'b');
      await sleep(5);
    }
    await sleep(300);
    // apart while Redis is down
    expect(countChar(onA.text.toString(), 'b')).toBe(0);
    c.proxy.restore();
    await waitFor(() => onA.text.toString() === onB.text.toString() && onA.text.length === 80, 'converged after Redis returned');
    // a client opening on B later sees the same, and so does the database
    const late = track(connectClient(c.b.url, id, c.seeded.users.a1!.token));
    await waitFor(() => synced(late) && late.text.toString() === onA.text.toString(), 'late client');
    await waitFor(async () => (await persistedText(c.db, id)) === onA.text.toString(), 'persisted');
  });

  test("a process killed before its flush: its clients' edits are persisted from the stream by the other process, and the stream is trimmed after persistence", async () => {
    const redisUrl = requireRedisUrl();
    const db = await requirePostgresDatabase();
    cleanups.push(() => db.drop());
    const spec: SeedSpec = { name: `channel-kill-${randomBytes(4).toString('hex')}`, agreements: 1, members: { a: 'editor', b: 'editor' }, initialText: '' };
    const seeded = describeSeed(spec);
    const id = seeded.agreementIds[0]!;
    // A never flushes by itself (one hour); B persists what A's clients typed
    const a = await spawnServer(db, spec, { redisUrl, env: { ...CHANNEL_ENV, OVERENS_SYNC_FLUSH_MS: '3600000' } });
    cleanups.push(() => a.stop('SIGKILL'));
    const b = await spawnServer(db, spec, { redisUrl, env: CHANNEL_ENV });
    cleanups.push(() => b.stop('SIGKILL'));
    const redis = new Redis(redisUrl);
    cleanups.push(() => redis.quit());
    const stream = `overens:sync:stream:${id}`;
    // A opens the agreement first, so A holds its persistence lease
    const onA = track(connectClient(a.url, id, seeded.users.a!.token));
    await waitFor(() => synced(onA), 'A synced');
    const onB = track(connectClient(b.url, id, seeded.users.b!.token));
    await waitFor(() => synced(onB), 'B synced');
    for (let i = 0; i < 50; i++) onA.text.insert(onA.text.length, 'x');
    await waitFor(() => onB.text.length === 50, 'relayed to B');
    // in flight: in the stream, not in the database (A persists them and, after its first flush, never
    // flushes again; B, not holding the lease, does not write them)
    await sleep(1000);
    expect(await redis.xlen(stream)).toBeGreaterThan(0);
    expect(countChar(await persistedText(db, id), 'x')).toBeLessThan(50);
    await a.stop('SIGKILL');
    onA.provider.disconnect();
    // A's lease runs out; B takes it and persists what the stream holds
    await waitFor(async () => countChar(await persistedText(db, id), 'x') === 50, 'persisted by B', 30_000);
    await waitFor(async () => (await redis.xlen(stream)) === 0, 'stream trimmed after persistence', 30_000);
  });
});
