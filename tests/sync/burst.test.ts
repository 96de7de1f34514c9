/**
 * A burst of small updates must not freeze the server: one client (its own process) sends 100,000
 * single-character updates as fast as it can while a second client, on another agreement, types and
 * /api/health is polled. Everything is persisted, and the other agreement and health keep answering
 * while the burst is processed. (Before, merging the queued updates for the flush was quadratic:
 * 100,000 updates blocked the event loop for minutes.) Times are in `pnpm bench:burst`, not here.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { spawnBurstClient } from './support/burst.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { persistedText } from './support/inspect.ts';
import { describeSeed, type SeedSpec } from './support/seed.ts';
import { spawnServer } from './support/server.ts';

const N = 100_000;
const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('burst of small updates', () => {
  test(`${N.toLocaleString('en')} single-character updates: all persisted; another agreement and /api/health keep answering meanwhile`, async () => {
    const db = await createTestDatabase({ onDisk: true });
    cleanups.push(() => db.drop());
    const spec: SeedSpec = { name: `burst-${randomBytes(4).toString('hex')}`, agreements: 2, members: { a: 'editor', b: 'editor', c: 'editor' }, initialText: '' };
    const seeded = describeSeed(spec);
    const [burstId, otherId] = seeded.agreementIds as [string, string];
    const server = await spawnServer(db, spec);
    cleanups.push(() => server.stop('SIGKILL'));

    const track = (c: TestClient) => (cleanups.push(() => c.destroy()), c);
    const typist = track(connectClient(server.url, otherId, seeded.users.b!.token));
    const reader = track(connectClient(server.url, otherId, seeded.users.c!.token));
    const observer = track(connectClient(server.url, burstId, seeded.users.b!.token));
    const burst = spawnBurstClient(server.url, burstId, seeded.users.a!.token, N);
    cleanups.push(() => burst.kill());
    await waitFor(() => [typist, reader, observer].every(synced), 'clients synced');
    await burst.ready;

    const cookie = { cookie: `overens_session=${seeded.users.a!.token}` };
    let finished = false;
    const saved = async (id: string) => {
      const st = (await (await fetch(`${server.url}/api/agreements/${id}/sync-status`, { headers: cookie })).json()) as { state: string; pendingBytes: number };
      return st.state === 'saved' && st.pendingBytes === 0;
    };
    const burstSaved = async () => observer.text.length >= N && (await saved(burstId));

    // while the burst is processed: health answers, and the other agreement's edits reach its reader
    let healthDuring = 0;
    const health: Promise<void> = (async () => {
      while (!finished) {
        const res = await fetch(`${server.url}/api/health`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        if (!finished) healthDuring++;
      }
    })();
    health.catch(() => {}); // awaited below; do not report it twice if the burst wait fails first
    let editsDuring = 0;
    const typing: Promise<void> = (async () => {
      while (!finished) {
        const want = typist.text.length + 1;
        typist.text.insert(typist.text.length, 'x');
        await waitFor(() => reader.text.length >= want, 'other agreement edit arrives', 120_000);
        if (!finished) editsDuring++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    typing.catch(() => {});

    await burst.go();
    await waitFor(burstSaved, 'burst relayed and saved', 120_000);
    finished = true;
    await Promise.all([health, typing]);
    expect(burst.closes).toEqual([]);
    expect(healthDuring).toBeGreaterThan(3);
    expect(editsDuring).toBeGreaterThan(3);
    expect(observer.text.length).toBe(N);

    // what the database holds (the server is killed, not stopped: no shutdown flush)
    await waitFor(() => saved(otherId), 'other agreement saved');
    await server.stop('SIGKILL');
    const text = await persistedText(db, burstId);
    expect(text.length).toBe(N);
    expect(text).toBe(observer.text.toString());
    expect((await persistedText(db, otherId)).length).toBe(reader.text.length);
  }, 300_000);
});
