/**
 * Redis pub/sub transport between server processes: one channel per agreement
 * (`overens:sync:<agreementId>`), subscribed while the document is loaded. Messages are binary
 * (relay.ts). Publishing never blocks editing: while Redis is down publishes are dropped (clients
 * keep editing in this process) and on reconnect every loaded document re-exchanges state with
 * its peers, so nothing is lost.
 */
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';
import type { SyncMetrics } from './metrics.ts';
import { decodeRelayMessage, encodeRelayMessage, type Relay, type RelayHandlers, type RelayMessage } from './relay.ts';

const PREFIX = 'overens:sync:';

export function createRedisRelay(url: string, logger: Logger, metrics?: SyncMetrics) {
  return (h: RelayHandlers): Relay => new RedisRelay(url, h, logger, metrics);
}

class RedisRelay implements Relay {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private up = false;
  private wasDown = false;
  private readonly channels = new Set<string>();

  constructor(url: string, private readonly h: RelayHandlers, private readonly logger: Logger, private readonly metrics?: SyncMetrics) {
    const opts = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(100 * 2 ** times, 5000),
      lazyConnect: false,
    };
    this.pub = new Redis(url, opts);
    this.sub = new Redis(url, { ...opts, enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const c of [this.pub, this.sub]) {
      c.on('error', (err) => {
        if (this.up) logger.warn({ err: String(err.message) }, 'sync: redis error');
      });
    }
    this.sub.on('ready', () => {
      this.up = true;
      if (this.wasDown) {
        this.wasDown = false;
        logger.info({}, 'sync: redis reachable again; resyncing documents with peers');
        // ioredis re-subscribes automatically (autoResubscribe)
        setTimeout(() => h.onReconnect(), 100).unref();
      }
    });
    this.sub.on('close', () => {
      if (this.up) logger.warn({}, 'sync: redis connection lost; editing continues in this process');
      this.up = false;
      this.wasDown = true;
    });
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const agreementId = channel.toString().slice(PREFIX.length);
      let msg;
      try {
        msg = decodeRelayMessage(message);
      } catch (err) {
        logger.warn({ err: String(err), agreementId }, 'sync: undecodable relay message');
        return;
      }
      if (msg.from === h.processId) return;
      this.metrics?.relayMessages.inc({ direction: 'in' });
      try {
        h.onMessage(agreementId, msg);
      } catch (err) {
        logger.error({ err: String((err as Error)?.stack ?? err), agreementId, type: msg.type }, 'sync: relay message handling failed');
      }
    });
  }

  async subscribe(agreementId: string): Promise<void> {
    const ch = PREFIX + agreementId;
    this.channels.add(ch);
    try {
      await this.sub.subscribe(ch);
    } catch (err) {
      // Redis down: autoResubscribe does not know this channel yet; retried on reconnect below
      this.logger.warn({ err: String(err), agreementId }, 'sync: redis subscribe failed');
      this.sub.once('ready', () => void this.sub.subscribe(ch).catch(() => {}));
    }
  }

  async unsubscribe(agreementId: string): Promise<void> {
    const ch = PREFIX + agreementId;
    this.channels.delete(ch);
    await this.sub.unsubscribe(ch).catch(() => {});
  }

  publish(agreementId: string, msg: RelayMessage): void {
    if (this.pub.status !== 'ready') return;
    this.metrics?.relayMessages.inc({ direction: 'out' });
    const buf = encodeRelayMessage(this.h.processId, msg);
    this.pub.publish(PREFIX + agreementId, Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)).catch(() => {});
  }

  async publishConfirmed(agreementId: string, msg: RelayMessage): Promise<void> {
    if (this.pub.status !== 'ready') throw new Error(`redis is not connected (${this.pub.status})`);
    this.metrics?.relayMessages.inc({ direction: 'out' });
    const buf = encodeRelayMessage(this.h.processId, msg);
    await this.pub.publish(PREFIX + agreementId, Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  }

  status(): 'up' | 'down' {
    return this.up && this.pub.status === 'ready' ? 'up' : 'down';
  }

  async close(): Promise<void> {
    await Promise.all([this.pub.quit().catch(() => this.pub.disconnect()), this.sub.quit().catch(() => this.sub.disconnect())]);
  }
}
