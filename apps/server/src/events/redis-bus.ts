/**
 * The event bus across processes: events published in one process reach the SSE streams of every
 * process through one Redis pub/sub channel. Local subscribers get them at once (no round trip); the
 * copy that comes back from Redis is recognised by the process id and skipped. Per-user filtering
 * stays in the SSE route (the audience travels with the event).
 *
 * When Redis is down, events still reach the streams of this process; other processes miss them (they
 * are notifications; the data itself is in the database and reloaded by clients on reconnect).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { createEventBus, type AgreementEvent, type EventBus } from './bus.ts';

export const EVENTS_CHANNEL = 'overens:events';

export function createRedisEventBus(url: string, logger?: Logger): EventBus {
  const local = createEventBus();
  const processId = randomUUID();
  const opts = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(100 * 2 ** times, 5000) };
  const pub = new Redis(url, opts);
  const sub = new Redis(url, { ...opts, enableOfflineQueue: true, maxRetriesPerRequest: null });
  for (const client of [pub, sub]) client.on('error', (err) => logger?.debug?.({ err: String(err.message) }, 'events: redis error'));
  void sub.subscribe(EVENTS_CHANNEL).catch((err) => logger?.warn({ err: String(err) }, 'events: could not subscribe to redis'));
  sub.on('message', (channel: string, message: string) => {
    if (channel !== EVENTS_CHANNEL) return;
    try {
      const { from, event } = JSON.parse(message) as { from: string; event: AgreementEvent };
      if (from === processId) return;
      local.publish(event);
    } catch (err) {
      logger?.warn({ err: String(err) }, 'events: undecodable message on the redis channel');
    }
  });
  return {
    publish(event) {
      local.publish(event);
      pub.publish(EVENTS_CHANNEL, JSON.stringify({ from: processId, event })).catch((err: unknown) => {
        logger?.warn({ err: String(err), type: event.type }, 'events: redis publish failed; delivered in this process only');
      });
    },
    async deliver(event) {
      // Redis first: when it fails nothing was delivered here either, so the retry delivers once.
      await pub.publish(EVENTS_CHANNEL, JSON.stringify({ from: processId, event }));
      local.publish(event);
    },
    subscribe: (agreementId, listener) => local.subscribe(agreementId, listener),
    async close() {
      await local.close();
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}
