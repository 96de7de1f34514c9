/**
 * The cluster channel on Redis Streams (the design of the Yjs authors' y-redis, our own code).
 *
 *   overens:sync:stream:<agreementId>   one stream per agreement; each entry has one field `m`:
 *                                       a relay.ts message (update, awareness, membership, lock, state)
 *   overens:sync:lease:<agreementId>    the persistence lease: the id of the process that persists
 *                                       the stream's updates (SET NX PX, renewed every lease/3)
 *
 * Every process that has the document loaded reads the stream from the last id it saw (one blocking
 * XREAD for all its streams on a connection of its own), so after a disconnect it catches up on
 * what it missed. Exactly one process — the lease holder — persists the updates it reads (its own
 * included) and, once they are in the database, trims the stream up to them (never entries younger
 * than the retention, so a slow reader does not lose what it has not read yet). When the holder
 * dies its lease runs out; the next process to take it persists everything still in the stream (at
 * worst a row twice, which Yjs ignores). No acknowledgements between processes, no orphans.
 *
 * Redis down: commands fail at once (no offline queue, a command timeout), so opening a document
 * never waits for Redis; the hub persists its own updates itself and catches up when we call
 * onReconnect.
 */
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';
import type { SyncMetrics } from './metrics.ts';
import { decodeRelayMessage, encodeRelayMessage, type Relay, type RelayHandlers, type RelayMessage } from './relay.ts';

export const STREAM_PREFIX = 'overens:sync:stream:';
export const LEASE_PREFIX = 'overens:sync:lease:';
/** The lease holder's persisted position: every update entry up to this id is in the database. */
export const SAVED_PREFIX = 'overens:sync:saved:';
/** How often a process with own unpersisted updates asks for the holder's position (the flush interval). */
const SAVED_POLL_MS = 500;

export interface StreamChannelOptions {
  /** Persistence lease time to live (renewed every third of it). */
  leaseMs: number;
  /** Entries are kept at least this long after they were written, persisted or not. */
  retainMs: number;
  /** Awareness older than this is not replayed when catching up. */
  awarenessMaxAgeMs: number;
}

export const defaultStreamChannelOptions: StreamChannelOptions = { leaseMs: 5000, retainMs: 10_000, awarenessMaxAgeMs: 30_000 };

/** 1 = taken now, 2 = renewed, 0 = another process holds it */
const ACQUIRE = `local v = redis.call('get', KEYS[1])
if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 2
elseif not v then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1
else return 0 end`;
/** SET the persisted position only forward (a new holder may start behind the old one's last word). */
const ADVANCE = `local v = redis.call('get', KEYS[1])
if v then
  local a1, a2 = string.match(v, '(%d+)-(%d+)')
  local b1, b2 = string.match(ARGV[1], '(%d+)-(%d+)')
  a1, a2, b1, b2 = tonumber(a1), tonumber(a2), tonumber(b1), tonumber(b2)
  if a1 > b1 or (a1 == b1 and a2 >= b2) then redis.call('pexpire', KEYS[1], ARGV[2]) return 0 end
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

interface Stream {
  agreementId: string;
  key: string;
  /** last entry id read ('0-0': read from the start) */
  cursor: string;
  following: boolean;
  holder: boolean;
  leaseUntil: number;
  /** updates handed to onPersist and not yet persisted: token -> entry id */
  pending: Map<number, string>;
  nextToken: number;
  /** ids of this process's own update entries not yet known to be persisted (in XADD order) */
  own: string[];
  /** own updates sent to Redis whose XADD has not answered yet */
  ownInFlight: number;
  /** the holder's persisted position was written to Redis up to this id */
  savedWritten: string;
}

type Entry = [id: Buffer, fields: Buffer[]];

export function createStreamChannel(url: string, logger: Logger, metrics?: SyncMetrics, options: Partial<StreamChannelOptions> = {}) {
  return (h: RelayHandlers): Relay => new StreamChannel(url, h, logger, metrics, { ...defaultStreamChannelOptions, ...options });
}

class StreamChannel implements Relay {
  private readonly cmd: Redis;
  private readonly reader: Redis;
  private readonly streams = new Map<string, Stream>();
  private readerId: number | null = null;
  private wasDown = false;
  private closed = false;
  private wake: (() => void) | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly savedTimer: NodeJS.Timeout;

  constructor(
    url: string,
    private readonly h: RelayHandlers,
    private readonly logger: Logger,
    private readonly metrics: SyncMetrics | undefined,
    private readonly o: StreamChannelOptions,
  ) {
    const base = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(50 * 2 ** times, 500),
    };
    this.cmd = new Redis(url, { ...base, commandTimeout: 2000, enableAutoPipelining: true });
    this.reader = new Redis(url, { ...base, commandTimeout: 5000 });
    let warned = false;
    for (const c of [this.cmd, this.reader]) {
      c.on('error', (err: Error) => {
        if (!warned) logger.warn({ err: String(err.message) }, 'sync: redis error');
        warned = true;
      });
    }
    this.cmd.on('close', () => {
      if (!this.wasDown && !this.closed) logger.warn({}, 'sync: redis connection lost; editing continues in this process');
      this.wasDown = true;
      for (const s of this.streams.values()) s.holder = false;
    });
    this.cmd.on('ready', () => {
      warned = false;
      if (this.wasDown && !this.closed) {
        this.wasDown = false;
        logger.info({}, 'sync: redis reachable again; catching up');
        void this.tick().finally(() => this.h.onReconnect());
      }
    });
    this.reader.on('ready', () => {
      this.reader
        .client('ID')
        .then((id) => {
          this.readerId = Number(id);
        })
        .catch(() => {});
      this.kick();
    });
    this.timer = setInterval(() => void this.tick(), Math.max(100, Math.floor(o.leaseMs / 3)));
    this.timer.unref();
    // own updates wait for the holder's flush (every flush interval): ask for its position as often,
    // so 'saving' on this process lasts about as long as on the holder
    this.savedTimer = setInterval(() => void this.pollSaved(), SAVED_POLL_MS);
    this.savedTimer.unref();
    void this.readLoop();
  }

  async open(agreementId: string): Promise<void> {
    const s: Stream = {
      agreementId,
      key: STREAM_PREFIX + agreementId,
      cursor: '0-0',
      following: false,
      holder: false,
      leaseUntil: 0,
      pending: new Map(),
      nextToken: 0,
      own: [],
      ownInFlight: 0,
      savedWritten: '0-0',
    };
    this.streams.set(agreementId, s);
    try {
      if (this.cmd.status === 'ready') {
        await this.acquire(s, false);
        const entries = await this.cmd.xrangeBuffer(s.key, '-', '+');
        for (const e of entries) this.deliver(s, e);
      }
    } catch (err) {
      // read from the start once Redis is back
      this.logger.warn({ agreementId, err: String((err as Error)?.message ?? err) }, 'sync: could not catch up on the stream; opened from the database');
    }
    s.following = true;
    this.kick();
  }

  async close(agreementId: string): Promise<void> {
    const s = this.streams.get(agreementId);
    if (!s) return;
    s.following = false;
    this.kick();
    if (!this.isHolder(s) || this.cmd.status !== 'ready') return;
    try {
      const entries = await this.cmd.xrangeBuffer(s.key, s.cursor === '0-0' ? '-' : `(${s.cursor}`, '+');
      for (const e of entries) this.deliver(s, e);
    } catch (err) {
      this.logger.warn({ agreementId, err: String(err) }, 'sync: could not read the rest of the stream before unloading');
    }
  }

  async release(agreementId: string): Promise<void> {
    const s = this.streams.get(agreementId);
    if (!s || s.following) return;
    this.streams.delete(agreementId);
    if (!s.holder || this.cmd.status !== 'ready') return;
    await this.trim(s).catch(() => {});
    await this.cmd.eval(RELEASE, 1, LEASE_PREFIX + agreementId, this.h.processId).catch(() => {});
  }

  async publish(agreementId: string, msg: RelayMessage): Promise<void> {
    if (this.cmd.status !== 'ready') throw new Error(`redis is not connected (${this.cmd.status})`);
    const buf = encodeRelayMessage(this.h.processId, msg);
    this.metrics?.relayMessages.inc({ direction: 'out' });
    // an update is 'saved' only once the lease holder has persisted it (unsavedSince)
    const s = msg.type === 'update' ? this.streams.get(agreementId) : undefined;
    if (s) s.ownInFlight++;
    try {
      const id = await this.cmd.xadd(STREAM_PREFIX + agreementId, '*', 'm', Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
      if (s && id) s.own.push(id);
    } finally {
      if (s) s.ownInFlight--;
    }
  }

  persisted(agreementId: string, token: number): void {
    const s = this.streams.get(agreementId);
    if (!s) return;
    for (const t of s.pending.keys()) if (t <= token) s.pending.delete(t);
    this.confirmOwn(s, this.persistedBelow(s));
    void this.writeSaved(s);
  }

  unsavedSince(agreementId: string): number | null {
    const s = this.streams.get(agreementId);
    if (!s) return null;
    const first = s.own[0];
    if (first !== undefined) return Number(first.slice(0, first.indexOf('-')));
    return s.ownInFlight > 0 ? Date.now() : null;
  }

  status(): 'up' | 'down' {
    return this.cmd.status === 'ready' && this.reader.status === 'ready' ? 'up' : 'down';
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.savedTimer);
    this.kick();
    for (const s of this.streams.values()) {
      if (s.holder && this.cmd.status === 'ready') {
        await this.trim(s).catch(() => {});
        await this.cmd.eval(RELEASE, 1, LEASE_PREFIX + s.agreementId, this.h.processId).catch(() => {});
      }
    }
    this.reader.disconnect();
    await this.cmd.quit().catch(() => this.cmd.disconnect());
  }

  /* ---------------- internals ---------------- */

  private isHolder(s: Stream): boolean {
    return s.holder && Date.now() < s.leaseUntil;
  }

  /**
   * As the holder: every update entry below this id is in the database (what it read, except what
   * waits in its flush queue). null: nothing read yet.
   */
  private persistedBelow(s: Stream): string | null {
    if (!s.holder) return null;
    let min: string | null = null;
    for (const id of s.pending.values()) if (min === null || compareIds(id, min) < 0) min = id;
    return min ?? (s.cursor === '0-0' ? null : nextId(s.cursor));
  }

  /** Own entries below `below` are persisted. */
  private confirmOwn(s: Stream, below: string | null): void {
    if (below === null || s.own.length === 0) return;
    let k = 0;
    while (k < s.own.length && compareIds(s.own[k]!, below) < 0) k++;
    if (k > 0) s.own.splice(0, k);
  }

  /** As the holder: tell the other processes how far the stream is persisted (only forward). */
  private async writeSaved(s: Stream): Promise<void> {
    const below = this.persistedBelow(s);
    if (below === null || !this.isHolder(s) || this.cmd.status !== 'ready') return;
    const upTo = prevId(below);
    if (upTo === null || compareIds(upTo, s.savedWritten) <= 0) return;
    s.savedWritten = upTo;
    await this.cmd.eval(ADVANCE, 1, SAVED_PREFIX + s.agreementId, upTo, String(24 * 3600 * 1000)).catch(() => {
      s.savedWritten = '0-0';
    });
  }

  private async pollSaved(): Promise<void> {
    if (this.closed || this.cmd.status !== 'ready') return;
    for (const s of this.streams.values()) {
      if (s.own.length === 0 || s.holder) continue;
      await this.readSaved(s).catch(() => {});
    }
  }

  /** As any other process: learn from the holder's persisted position which of its own updates are saved. */
  private async readSaved(s: Stream): Promise<void> {
    if (s.own.length === 0 || s.holder) return;
    const v = await this.cmd.get(SAVED_PREFIX + s.agreementId);
    if (v) this.confirmOwn(s, nextId(v));
  }

  /** Take or renew the lease; on taking it, persist what is in the stream up to the cursor. */
  private async acquire(s: Stream, catchUp: boolean): Promise<void> {
    const r = Number(await this.cmd.eval(ACQUIRE, 1, LEASE_PREFIX + s.agreementId, this.h.processId, String(this.o.leaseMs)));
    if (r === 0) {
      s.holder = false;
      return;
    }
    const wasHolder = s.holder;
    s.holder = true;
    s.leaseUntil = Date.now() + this.o.leaseMs - 200;
    if (catchUp && (!wasHolder || r === 1) && s.cursor !== '0-0') {
      // everything still in the stream up to what we have read may be unpersisted: the last holder died
      const upTo = s.cursor;
      const entries = await this.cmd.xrangeBuffer(s.key, '-', upTo);
      for (const e of entries) this.persistEntry(s, e);
    }
  }

  private async tick(): Promise<void> {
    if (this.closed || this.cmd.status !== 'ready') return;
    await Promise.all(
      [...this.streams.values()].map(async (s) => {
        if (!s.following) return;
        try {
          await this.acquire(s, true);
          if (this.isHolder(s)) {
            await this.trim(s);
            this.confirmOwn(s, this.persistedBelow(s));
            await this.writeSaved(s);
          } else {
            await this.readSaved(s);
          }
        } catch {
          /* Redis went away: the next tick tries again */
        }
      }),
    );
  }

  private async trim(s: Stream): Promise<void> {
    let min = s.cursor === '0-0' ? null : nextId(s.cursor);
    for (const id of s.pending.values()) if (min === null || compareIds(id, min) < 0) min = id;
    const byAge = `${Date.now() - this.o.retainMs}-0`;
    if (min === null || compareIds(byAge, min) < 0) min = byAge;
    await this.cmd.xtrim(s.key, 'MINID', min);
    await this.cmd.pexpire(s.key, 24 * 3600 * 1000);
  }

  private persistEntry(s: Stream, [id, fields]: Entry): void {
    const msg = decodeField(fields);
    if (!msg || msg.type !== 'update') return;
    const token = ++s.nextToken;
    s.pending.set(token, id.toString());
    this.h.onPersist(s.agreementId, msg.update, token);
  }

  private deliver(s: Stream, entry: Entry): void {
    const id = entry[0].toString();
    if (compareIds(id, s.cursor) <= 0) return;
    s.cursor = id;
    const msg = decodeField(entry[1]);
    if (!msg) {
      this.logger.warn({ agreementId: s.agreementId, id }, 'sync: undecodable stream entry');
      return;
    }
    if (msg.type === 'update' && this.isHolder(s)) {
      const token = ++s.nextToken;
      s.pending.set(token, id);
      this.h.onPersist(s.agreementId, msg.update, token);
    }
    if (msg.from === this.h.processId) return;
    if (msg.type === 'awareness' && Number(id.slice(0, id.indexOf('-'))) < Date.now() - this.o.awarenessMaxAgeMs) return;
    this.metrics?.relayMessages.inc({ direction: 'in' });
    try {
      this.h.onMessage(s.agreementId, msg);
    } catch (err) {
      this.logger.error({ err: String((err as Error)?.stack ?? err), agreementId: s.agreementId, type: msg.type }, 'sync: channel message handling failed');
    }
  }

  /** Interrupt the blocking read (a stream was added or removed). */
  private kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
    if (this.readerId !== null && this.cmd.status === 'ready') this.cmd.call('CLIENT', 'UNBLOCK', String(this.readerId)).catch(() => {});
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const list = [...this.streams.values()].filter((s) => s.following);
      if (list.length === 0 || this.reader.status !== 'ready') {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 250).unref();
        });
        continue;
      }
      try {
        const res = (await this.reader.xreadBuffer('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', ...list.map((s) => s.key), ...list.map((s) => s.cursor))) as
          | [key: Buffer, entries: Entry[]][]
          | null;
        if (!res) continue;
        for (const [key, entries] of res) {
          const s = this.streams.get(key.toString().slice(STREAM_PREFIX.length));
          if (!s || !s.following) continue;
          for (const e of entries) this.deliver(s, e);
        }
      } catch {
        if (!this.closed) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

function decodeField(fields: Buffer[]): (RelayMessage & { from: string }) | null {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i]!.toString() === 'm') {
      try {
        return decodeRelayMessage(fields[i + 1]!);
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Stream ids are `<ms>-<seq>`. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am - bm : as - bs;
}

function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}

/** The id just before `id` (null before the first possible id). */
function prevId(id: string): string | null {
  const [ms, seq] = id.split('-').map(Number) as [number, number];
  if (seq > 0) return `${ms}-${seq - 1}`;
  return ms > 0 ? `${ms - 1}-${Number.MAX_SAFE_INTEGER}` : null;
}
