/**
 * A lock must reach every live socket even when the process that committed it dies before telling
 * the others: process A (a child process) locks the agreement while its Redis is cut, and is killed
 * with SIGKILL right after; the lock is in the outbox, so process B delivers it from the table and
 * its editor's socket turns read-only. After A restarts, its sockets are read-only too.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { client, setUpTwoParties } from '../../apps/server/test/helpers/agreement-fixture.ts';
import { agreeAllSections, fillComplete } from '../../apps/server/test/helpers/complete-agreement.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { requirePostgresDatabase } from './support/db.ts';
import { spawnServer, startInProcess, type ChildServer } from './support/server.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

type ServerState = { readOnly: boolean; locked: boolean };
const serverState = (c: TestClient) =>
  (c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: ServerState } | undefined)?.overensServer;
const tokenOf = (cookie: string) => decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));

describe('lock and crash', () => {
  test('SIGKILL right after a lock commits: the agreement is read-only on every socket, also after the restart', async () => {
    const db = await requirePostgresDatabase();
    cleanups.push(() => db.drop());
    const redis = new URL(REDIS_URL);
    const redisProxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    cleanups.push(() => redisProxy.close());
    const env = { OVERENS_OUTBOX_POLL_MS: '100' };
    const seedSpec = { name: `lock-crash-${randomBytes(4).toString('hex')}`, agreements: 0, members: {} };
    const a: ChildServer = await spawnServer(db, seedSpec, { redisUrl: `redis://127.0.0.1:${redisProxy.port}`, env });
    cleanups.push(() => a.stop('SIGKILL'));
    const b: RunningServer = await startInProcess(db, { redisUrl: REDIS_URL, env });
    cleanups.push(() => b.close());

    const p = await setUpTwoParties(b.url);
    const api = (url: string) => client(url);
    await api(b.url).expectOk('PATCH', `/api/agreements/${p.agreementId}/members/${p.ngo.userId}`, p.ngo, { signatory: true });
    await api(b.url).expectOk('PATCH', `/api/agreements/${p.agreementId}/members/${p.kommun.userId}`, p.kommun, { signatory: true });
    // approving needs every section agreed by every party (approval-blocked otherwise)
    await b.deps.sync.withDocument(p.agreementId, (doc) => {
      fillComplete(doc, p.ngoOrgId, p.kommunOrgId);
      agreeAllSections(doc, [
        { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
        { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
      ]);
    });

    // An editor on each process keeps the document loaded there.
    const onA = connectClient(a.url, p.agreementId, tokenOf(p.ngo.cookie));
    const onB = connectClient(b.url, p.agreementId, tokenOf(p.kommun.cookie));
    cleanups.push(() => onA.destroy(), () => onB.destroy());
    await waitFor(() => synced(onA) && synced(onB) && serverState(onA)?.readOnly === false && serverState(onB)?.readOnly === false, 'both editors writable');

    // an approval names the text it approves (its hash, as GET …/approvals shows it)
    const currentHash = async (url: string) => (await api(url).expectOk<{ currentHash: string }>('GET', `/api/agreements/${p.agreementId}/approvals`, p.ngo)).currentHash;
    await api(b.url).expectOk('POST', `/api/agreements/${p.agreementId}/approvals`, p.ngo, { hash: await currentHash(b.url) });
    // A loses Redis, locks (the last approval), and dies before anyone else hears of it.
    const hash = await currentHash(a.url);
    redisProxy.cut();
    const approved = await api(a.url).expectOk<{ lockedAs: { number: number } | null }>('POST', `/api/agreements/${p.agreementId}/approvals`, p.kommun, { hash });
    expect(approved.lockedAs?.number).toBe(1);
    await a.stop('SIGKILL');
    redisProxy.restore();

    await waitFor(() => serverState(onB)?.locked === true && serverState(onB)?.readOnly === true, 'the editor on B is read-only', 30_000);

    const restarted = await spawnServer(db, seedSpec, { redisUrl: REDIS_URL, env });
    cleanups.push(() => restarted.stop('SIGKILL'));
    const again = connectClient(restarted.url, p.agreementId, tokenOf(p.kommun.cookie));
    cleanups.push(() => again.destroy());
    await waitFor(() => serverState(again)?.locked === true && serverState(again)?.readOnly === true, 'read-only after the restart');
    expect(serverState(onB)?.readOnly).toBe(true);
    const [pending] = (await b.deps.db.execute(sql`select count(*)::int as n from outbox_events where delivered_at is null and type = 'agreement.locked'`)) as unknown as { n: number }[];
    expect(pending?.n ?? 0).toBe(0);
  });
});
