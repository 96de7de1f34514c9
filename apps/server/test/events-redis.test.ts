import { afterAll, describe, expect, it } from 'vitest';
import type { AgreementEvent } from '../src/events/bus.ts';
import { createRedisEventBus } from '../src/events/redis-bus.ts';
import { deliverableTo } from '../src/routes/events.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('events across processes (Redis)', () => {
  const a = createRedisEventBus(REDIS_URL);
  const b = createRedisEventBus(REDIS_URL);
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('an event published in one process reaches subscribers in another once, with its audience', async () => {
    const agreementId = crypto.randomUUID();
    const seenB: AgreementEvent[] = [];
    const seenA: AgreementEvent[] = [];
    b.subscribe(agreementId, (e) => seenB.push(e));
    a.subscribe(agreementId, (e) => seenA.push(e));
    // Publish until B is subscribed on Redis (subscription is asynchronous), then a marker.
    let marker = 0;
    while (!seenB.some((e) => e.type === 'probe')) {
      a.publish({ type: 'probe', agreementId, data: { n: ++marker } });
      await new Promise((r) => setTimeout(r, 20));
    }
    a.publish({ type: 'comment.created', agreementId, partyId: 'party-1', data: { thread: { id: 't1' } } });
    a.publish({ type: 'done', agreementId, data: null });
    await new Promise<void>((resolve) => {
      const check = () => (seenB.some((e) => e.type === 'done') ? resolve() : setTimeout(check, 10));
      check();
    });
    const internal = seenB.filter((e) => e.type === 'comment.created');
    expect(internal).toEqual([{ type: 'comment.created', agreementId, partyId: 'party-1', data: { thread: { id: 't1' } } }]);
    // The publishing process delivered locally exactly once (its own Redis echo is skipped).
    expect(seenA.filter((e) => e.type === 'comment.created')).toHaveLength(1);
    // The SSE filter keeps it from the other party.
    expect(deliverableTo(internal[0]!, { partyId: 'party-1' })).toBe(true);
    expect(deliverableTo(internal[0]!, { partyId: 'party-2' })).toBe(false);
    expect(deliverableTo({ type: 'x', agreementId, data: null }, { partyId: 'party-2' })).toBe(true);
  });
});
