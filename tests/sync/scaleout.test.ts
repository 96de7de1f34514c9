/**
 * Two server processes and Redis on one PostgreSQL database (required: fails without them).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { requirePostgresDatabase, requireRedisUrl } from './support/db.ts';
import { countChar, insertedCharsInLog, persistedText } from './support/inspect.ts';
import { describeSeed, seed, setRole, type SeedSpec } from './support/seed.ts';
import { spawnServer, startInProcess, type ChildServer } from './support/server.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});
function track(c: TestClient): TestClient {
  cleanups.push(() => c.destroy());
  return c;
}

describe('scale-out over Redis', () => {
  test('clients on process A and process B converge; the state is persisted once; a reload from the database equals the live state', async () => {
    const redisUrl = requireRedisUrl();
    const db = await requirePostgresDatabase();
    cleanups.push(() => db.drop());
    const editors = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
    const sp: SeedSpec = { name: `scale-${randomBytes(4).toString('hex')}`, agreements: 1, members: Object.fromEntries(editors.map((e) => [e, 'editor'])), initialText: '' };
    const seeded = describeSeed(sp);
    const id = seeded.agreementIds[0]!;
    const A: ChildServer = await spawnServer(db, sp, { redisUrl });
    cleanups.push(() => A.stop('SIGKILL'));
    const B: ChildServer = await spawnServer(db, sp, { redisUrl });
    cleanups.push(() => B.stop('SIGKILL'));
    const clients = editors.map((e) => track(connectClient(e.startsWith('a') ? A.url : B.url, id, seeded.users[e]!.token)));
    await waitFor(() => clients.every(synced), 'all synced');

    const marks = ['1', '2', '3', '4', '5', '6'];
    const PER = 60;
    await Promise.all(
      clients.map(async (c, i) => {
        for (let n = 0; n < PER; n++) {
          c.text.insert(Math.floor(Math.random() * (c.text.length + 1)), marks[i]!);
          await new Promise((r) => setTimeout(r, 2 + Math.random() * 6));
        }
      }),
    );
    const total = PER * clients.length;
    await waitFor(() => clients.every((c) => c.text.length === total), 'converged across processes');
    const live = clients[0]!.text.toString();
    expect(clients.every((c) => c.text.toString() === live)).toBe(true);

    // a client opening the agreement on B later gets it all too
    const late = track(connectClient(B.url, id, seeded.users.b1!.token));
    await waitFor(() => synced(late) && late.text.length === total, 'late client on B');

    for (const c of clients) c.provider.disconnect();
    late.provider.disconnect();
    expect(await A.stop('SIGTERM')).toBe(0);
    expect(await B.stop('SIGTERM')).toBe(0);

    expect(await persistedText(db, id)).toBe(live);
    // persisted once: summed over all update-log rows, every typed character appears exactly once
    const log = await insertedCharsInLog(db, id);
    expect(log.chars).toBe(total);
    marks.forEach((m) => expect(countChar(live, m)).toBe(PER));
  });

  test('membership changes and locks reach sockets on the other process', async () => {
    const redisUrl = requireRedisUrl();
    const db = await requirePostgresDatabase();
    cleanups.push(() => db.drop());
    const A: RunningServer = await startInProcess(db, { redisUrl });
    cleanups.push(() => A.close());
    const B: RunningServer = await startInProcess(db, { redisUrl });
    cleanups.push(() => B.close());
    const s = await seed(A.deps.db, { name: `member-${randomBytes(4).toString('hex')}`, agreements: 2, members: { owner: 'editor', m: 'editor', other: 'editor' }, initialText: 'x' });
    const [id, id2] = s.agreementIds as [string, string];
    const m = track(connectClient(B.url, id, s.users.m!.token));
    const owner = track(connectClient(A.url, id, s.users.owner!.token));
    await waitFor(() => synced(m) && synced(owner), 'synced');
    const serverState = (c: TestClient) =>
      (c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: { readOnly: boolean; role: string; locked: boolean } } | undefined)?.overensServer;
    await waitFor(() => serverState(m)?.readOnly === false, 'editor state');

    // demote on process A -> read-only on process B at once
    await setRole(A.deps.db, id, s.users.m!.id, 'viewer');
    await A.deps.sync.membershipChanged(id, s.users.m!.id);
    await waitFor(() => serverState(m)?.readOnly === true && serverState(m)?.role === 'viewer', 'demoted on B');
    m.text.insert(0, 'NOT-SAVED ');
    owner.text.insert(1, '!');
    await waitFor(() => m.text.toString().includes('!'), 'owner edit reaches demoted user');
    await new Promise((r) => setTimeout(r, 200));
    expect(owner.text.toString()).toBe('x!');

    // remove on process A -> socket on B closed with 4403 (permanent: the provider stops)
    await setRole(A.deps.db, id, s.users.m!.id, null);
    await A.deps.sync.membershipChanged(id, s.users.m!.id);
    await waitFor(() => m.closes.some((c) => c.code === 4403), 'removed member disconnected');
    expect(m.provider.shouldConnect).toBe(false);

    // lock on A -> every socket on B becomes read-only
    const other = track(connectClient(B.url, id2, s.users.other!.token));
    const owner2 = track(connectClient(A.url, id2, s.users.owner!.token));
    await waitFor(() => synced(other) && synced(owner2), 'synced 2');
    await A.deps.sync.setLocked(id2, true);
    await waitFor(() => serverState(other)?.locked === true && serverState(other)?.readOnly === true, 'locked on B');
    other.text.insert(0, 'LOCKED-EDIT');
    owner2.text.insert(0, 'LOCKED-TOO');
    await new Promise((r) => setTimeout(r, 300));
    const fresh = track(connectClient(B.url, id2, s.users.owner!.token));
    await waitFor(() => synced(fresh), 'fresh synced');
    expect(fresh.text.toString()).toBe('x');
  });
});
