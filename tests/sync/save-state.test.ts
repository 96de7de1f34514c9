/**
 * 'saved' means persisted, whichever process persists: with two processes and Redis, only the
 * agreement's lease holder writes the stream's updates to the database, so the other process must
 * not report 'saved' for its clients' edits before the holder has flushed them. Requires PostgreSQL
 * and Redis.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { requirePostgresDatabase, requireRedisUrl } from './support/db.ts';
import { persistedText } from './support/inspect.ts';
import { seed } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});
function track(c: TestClient): TestClient {
  cleanups.push(() => c.destroy());
  return c;
}

describe('save state across processes', () => {
  test("a process that is not the lease holder reports 'saved' only once the holder has persisted its clients' edits", async () => {
    const redisUrl = requireRedisUrl();
    const db = await requirePostgresDatabase();
    cleanups.push(() => db.drop());
    const channel = { OVERENS_SYNC_STREAM_RETAIN_MS: '300', OVERENS_SYNC_LEASE_MS: '1500' };
    // the holder flushes slowly; the other process would flush at once (it has nothing to flush)
    const holder = await startInProcess(db, { redisUrl, env: { ...channel, OVERENS_SYNC_FLUSH_MS: '4000' } });
    cleanups.push(() => holder.close());
    const other = await startInProcess(db, { redisUrl, env: { ...channel, OVERENS_SYNC_FLUSH_MS: '100' } });
    cleanups.push(() => other.close());
    const s = await seed(holder.deps.db, { name: `save-${randomBytes(4).toString('hex')}`, agreements: 1, members: { a: 'editor', b: 'editor' }, initialText: 'Start.' });
    const id = s.agreementIds[0]!;

    // the first process to open the agreement takes its persistence lease
    const onHolder = track(connectClient(holder.url, id, s.users.a!.token));
    await waitFor(() => synced(onHolder), 'holder synced');
    const onOther = track(connectClient(other.url, id, s.users.b!.token));
    await waitFor(() => synced(onOther), 'other synced');
    await waitFor(() => other.deps.sync.documentStatus(id).state === 'saved', 'other idle');

    for (let round = 1; round <= 2; round++) {
      const marker = ` edit-${round}`;
      onOther.text.insert(onOther.text.length, marker);
      await waitFor(() => onHolder.text.toString().includes(marker), 'the edit reaches the holder');
      // whenever the other process says 'saved', the edit must be in the database
      await waitFor(() => {
        const st = other.deps.sync.documentStatus(id);
        return st.state === 'saved' && st.pendingBytes === 0;
      }, "the other process reports 'saved'");
      expect(await persistedText(db, id)).toContain(marker);
    }
  });
});
