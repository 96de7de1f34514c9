/**
 * Two server processes (two servers sharing one database) with Redis: a comment written through
 * process A reaches the event streams opened on process B, filtered per user there: the other party
 * gets the comment for everyone, never the internal one; a colleague of the author gets both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, openEventStream, setUpTwoParties, type TwoParties } from './helpers/agreement-fixture.ts';
import { sectionAnchor } from './helpers/section-anchor.ts';
import { createTestDatabase, startTestServer, testDrivers, type TestDatabase, type TestServer } from './support/index.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each(testDrivers())('events across two processes through Redis (%s)', (driver) => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let p: TwoParties;
  beforeAll(async () => {
    database = await createTestDatabase({ driver });
    a = await startTestServer({ database, redisUrl: REDIS_URL });
    b = await startTestServer({ database, redisUrl: REDIS_URL });
    p = await setUpTwoParties(a.url);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
  });

  it('delivers comments written on A to streams on B, internal ones only to the author’s party', async () => {
    const kommunOnB = await openEventStream(b.url, p.agreementId, p.kommun);
    const colleagueOnB = await openEventStream(b.url, p.agreementId, p.ngoCommenter);
    const api = client(a.url);
    const anchor = await sectionAnchor(a, p.agreementId, 0, 'q');
    try {
      // Redis subscriptions are asynchronous: repeat a public probe comment until B's stream has one.
      let probe: { id: string } | null = null;
      while (!kommunOnB.events.some((e) => e.event === 'comment.created')) {
        probe = (await api.call<{ id: string }>('POST', `/api/agreements/${p.agreementId}/comments`, p.ngo, { ...anchor, body: 'Prov', visibility: 'all' })).json;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(probe).not.toBeNull();
      const internal = await api.call<{ id: string }>('POST', `/api/agreements/${p.agreementId}/comments`, p.ngo, { ...anchor, body: 'HEMLIGT internt', visibility: 'internal' });
      const open = await api.call<{ id: string }>('POST', `/api/agreements/${p.agreementId}/comments`, p.ngo, { ...anchor, body: 'Öppen kommentar', visibility: 'all' });
      const isCreated = (id: string) => (e: { event: string; data: unknown }) => e.event === 'comment.created' && (e.data as { thread: { id: string } }).thread.id === id;
      await kommunOnB.waitFor(isCreated(open.json.id));
      await colleagueOnB.waitFor(isCreated(internal.json.id));
      await colleagueOnB.waitFor(isCreated(open.json.id));
      expect(kommunOnB.raw).not.toContain(internal.json.id);
      expect(kommunOnB.raw).not.toContain('HEMLIGT');
      // Delivered once per stream (no echo from Redis back into A's or B's bus).
      expect(kommunOnB.events.filter(isCreated(open.json.id))).toHaveLength(1);
    } finally {
      kommunOnB.close();
      colleagueOnB.close();
    }
  });
});
