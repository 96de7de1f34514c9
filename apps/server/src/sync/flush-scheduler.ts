/**
 * Persists updates in batches. Every flush interval (default 500 ms) ONE database transaction
 * appends one merged row per agreement with pending updates (and compacts those whose log grew),
 * so an agreement never sees more than one transaction per interval whatever the typing rate, and
 * the database sees ~2 transactions/s in total however many agreements are active.
 *
 * On failure the batches stay in memory, documents are 'unsaved', and the flush is retried with
 * exponential backoff; after a failed multi-agreement transaction the next attempts go one
 * agreement at a time, so one bad agreement (e.g. deleted meanwhile) cannot block the others.
 */
import type { SaveState } from './hub-contract.ts';
import { appendUpdates, compact, type SyncDb, type SyncTx } from './persistence.ts';
import { UpdateQueue } from './update-queue.ts';
import type { Logger } from './logger.ts';
import type { SyncMetrics } from './metrics.ts';

export interface FlushSchedulerOptions {
  db: SyncDb;
  intervalMs: number;
  /** Compact when the tail grows beyond this many rows or bytes. */
  compactRows: number;
  compactBytes: number;
  maxBackoffMs: number;
  /** A flush transaction taking longer than this counts as failed (and is retried). */
  timeoutMs: number;
  logger: Logger;
  metrics: SyncMetrics;
  onStateChange(agreementId: string, state: SaveState): void;
  /** Called after a successful flush with the highest sequence number it covered. */
  onFlushed(agreementId: string, seq: number): void;
  onDbStatus(up: boolean): void;
}

interface Entry {
  id: string;
  /** merged as they arrive (see update-queue.ts): constant work per update, however long the burst */
  pending: UpdateQueue;
  pendingSeq: number;
  /** Bytes taken into the transaction in flight (still not persisted). */
  inFlightBytes: number;
  /** When the oldest not-yet-persisted update arrived (null = nothing waiting). */
  pendingSince: number | null;
  inFlight: Promise<void> | null;
  state: SaveState;
  tailRows: number;
  tailBytes: number;
  lastSavedAt: Date | null;
}

interface Batch {
  e: Entry;
  /** normally one merged update (several only if merging failed) */
  rows: Uint8Array[];
  /** original updates and their bytes (what goes back into the queue if the flush fails) */
  count: number;
  bytes: number;
  seq: number;
  compact: boolean;
}

export class FlushScheduler {
  private entries = new Map<string, Entry>();
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastStart = 0;
  private failures = 0;
  /** after a failed multi-agreement transaction: one transaction per agreement until one succeeds */
  private isolate = false;
  dbUp = true;

  constructor(private readonly o: FlushSchedulerOptions) {}

  /** Tail size known at load time (decides when to compact). */
  track(agreementId: string, tailRows: number, tailBytes: number): void {
    const e = this.entry(agreementId);
    e.tailRows = tailRows;
    e.tailBytes = tailBytes;
  }

  enqueue(agreementId: string, update: Uint8Array, seq = 0): void {
    const e = this.entry(agreementId);
    e.pending.push(update);
    if (seq > e.pendingSeq) e.pendingSeq = seq;
    e.pendingSince ??= Date.now();
    if (e.state === 'saved') this.setState(e, 'saving');
    this.schedule();
  }

  state(agreementId: string): SaveState {
    return this.entries.get(agreementId)?.state ?? 'saved';
  }

  pendingBytes(agreementId?: string): number {
    if (agreementId !== undefined) {
      const e = this.entries.get(agreementId);
      return e ? e.pending.bytes + e.inFlightBytes : 0;
    }
    let n = 0;
    for (const e of this.entries.values()) n += e.pending.bytes + e.inFlightBytes;
    return n;
  }

  pendingSince(agreementId: string): number | null {
    return this.entries.get(agreementId)?.pendingSince ?? null;
  }

  lastSavedAt(agreementId: string): Date | null {
    return this.entries.get(agreementId)?.lastSavedAt ?? null;
  }

  hasPending(agreementId: string): boolean {
    const e = this.entries.get(agreementId);
    return !!e && (e.pending.length > 0 || e.inFlight !== null);
  }

  /** Flush this agreement now (ignoring the interval); resolves false if the DB failed. */
  async flushNow(agreementId: string): Promise<boolean> {
    const e = this.entries.get(agreementId);
    if (!e) return true;
    if (e.inFlight) await e.inFlight;
    if (e.pending.length === 0) return true;
    await this.runBatches([this.take(e)]);
    return e.pending.length === 0;
  }

  /** Drop bookkeeping for an unloaded document (only when nothing is pending). */
  forget(agreementId: string): void {
    const e = this.entries.get(agreementId);
    if (e && e.pending.length === 0 && !e.inFlight) this.entries.delete(agreementId);
  }

  /** Graceful shutdown: flush everything, retrying for a while. */
  async close(deadlineMs = 10_000): Promise<boolean> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const until = Date.now() + deadlineMs;
    for (;;) {
      if (this.running) await this.running;
      const ids = [...this.entries.values()].filter((e) => e.pending.length > 0 || e.inFlight);
      if (ids.length === 0) return true;
      await this.flushAll();
      if ([...this.entries.values()].every((e) => e.pending.length === 0 && !e.inFlight)) return true;
      if (Date.now() > until) {
        this.o.logger.error({ pendingBytes: this.pendingBytes(), agreements: ids.length }, 'sync: shutdown with unsaved updates');
        return false;
      }
      await sleep(200);
    }
  }

  private entry(agreementId: string): Entry {
    let e = this.entries.get(agreementId);
    if (!e) {
      const id = agreementId;
      const pending = new UpdateQueue((err) => this.o.logger.error({ err: String(err), agreementId: id }, 'sync: merging updates failed, storing them one by one'));
      e = { id: agreementId, pending, pendingSeq: 0, inFlightBytes: 0, pendingSince: null, inFlight: null, state: 'saved', tailRows: 0, tailBytes: 0, lastSavedAt: null };
      this.entries.set(agreementId, e);
    }
    return e;
  }

  private schedule(): void {
    if (this.timer || this.running || this.closed) return;
    const backoff = this.failures > 0 ? Math.min(this.o.intervalMs * 2 ** this.failures, this.o.maxBackoffMs) : this.o.intervalMs;
    const due = Math.max(0, this.lastStart + backoff - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flushAll();
    }, due);
  }

  private flushAll(): Promise<void> {
    if (this.running) return this.running;
    const batches: Batch[] = [];
    for (const e of this.entries.values()) if (e.pending.length > 0 && !e.inFlight) batches.push(this.take(e));
    if (batches.length === 0) return Promise.resolve();
    this.lastStart = Date.now();
    const p = this.runBatches(batches).finally(() => {
      this.running = null;
      if ([...this.entries.values()].some((e) => e.pending.length > 0)) this.schedule();
    });
    this.running = p;
    return p;
  }

  private take(e: Entry): Batch {
    const count = e.pending.count;
    const bytes = e.pending.bytes;
    const rows = e.pending.take();
    const rowBytes = rows.reduce((n, u) => n + u.byteLength, 0);
    const b: Batch = { e, rows, count, bytes, seq: e.pendingSeq, compact: false };
    b.compact = e.tailRows + rows.length >= this.o.compactRows || e.tailBytes + rowBytes >= this.o.compactBytes;
    return b;
  }

  private async runBatches(batches: Batch[]): Promise<void> {
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    for (const b of batches) {
      b.e.inFlight = all;
      b.e.inFlightBytes = b.bytes;
    }
    try {
      if (batches.length === 1 || !this.isolate) {
        const ok = await this.transaction(batches);
        if (!ok && batches.length > 1) this.isolate = true;
      } else {
        for (const b of batches) await this.transaction([b]);
      }
    } finally {
      for (const b of batches) {
        b.e.inFlight = null;
        b.e.inFlightBytes = 0;
      }
      resolveAll();
    }
    if (!this.closed && [...this.entries.values()].some((e) => e.pending.length > 0)) this.schedule();
  }

  /** One transaction for these batches; true on success. */
  private async transaction(batches: Batch[]): Promise<boolean> {
    const started = process.hrtime.bigint();
    try {
      const txp = this.o.db.transaction(async (tx: SyncTx) => {
        await appendUpdates(tx, batches.flatMap((b) => b.rows.map((update) => ({ agreementId: b.e.id, update }))));
        for (const b of batches) if (b.compact) await compact(tx, b.e.id);
      });
      // a connection that dies mid-transaction can leave the driver's promise pending forever:
      // give up after a while and retry (if it did commit after all, the duplicate row is a no-op for Yjs)
      txp.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          txp,
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`flush transaction did not finish within ${this.o.timeoutMs} ms`)), this.o.timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    } catch (err) {
      const fkGone = (err as { code?: string; cause?: { code?: string } })?.code === '23503' || (err as { cause?: { code?: string } })?.cause?.code === '23503';
      if (fkGone && batches.length === 1) {
        // the agreement was deleted while its document was open: nothing left to save it to
        this.o.logger.warn({ agreementId: batches[0]!.e.id }, 'sync: agreement no longer exists; dropping its unsaved updates');
        this.succeeded(batches[0]!, false);
        return true;
      }
      this.failed(batches, err);
      return false;
    }
    this.o.metrics.flushDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    this.o.metrics.flushes.inc({ result: 'ok' });
    this.failures = 0;
    this.isolate = false;
    if (!this.dbUp) {
      this.dbUp = true;
      this.o.logger.info({}, 'sync: database reachable again, flushing resumed');
      this.o.onDbStatus(true);
    }
    for (const b of batches) this.succeeded(b, true);
    return true;
  }

  private succeeded(b: Batch, stored: boolean): void {
    const e = b.e;
    e.inFlightBytes = 0;
    if (stored) {
      const rowBytes = b.rows.reduce((n, u) => n + u.byteLength, 0);
      this.o.metrics.flushedBytes.inc(rowBytes);
      this.o.metrics.flushedDocuments.inc();
      if (b.compact) {
        e.tailRows = 0;
        e.tailBytes = 0;
        this.o.metrics.compactions.inc();
      } else {
        e.tailRows += b.rows.length;
        e.tailBytes += rowBytes;
      }
    }
    e.lastSavedAt = new Date();
    e.pendingSince = e.pending.length > 0 ? Date.now() : null;
    this.setState(e, e.pending.length > 0 ? 'saving' : 'saved');
    this.o.onFlushed(e.id, b.seq);
  }

  private failed(batches: Batch[], err: unknown): void {
    this.failures++;
    this.o.metrics.flushes.inc({ result: 'error' });
    for (const b of batches) {
      const e = b.e;
      e.inFlightBytes = 0;
      // keep the batch with what arrived meanwhile (merges commute: order does not matter)
      e.pending.requeue(b.rows, b.bytes, b.count);
      if (b.seq > e.pendingSeq) e.pendingSeq = b.seq;
      this.setState(e, 'unsaved');
    }
    if (this.dbUp || this.failures === 1) {
      this.o.logger.warn({ err: String((err as Error)?.message ?? err), agreements: batches.length, failures: this.failures, pendingBytes: this.pendingBytes() }, 'sync: flush failed, will retry');
    }
    if (this.dbUp) {
      this.dbUp = false;
      this.o.onDbStatus(false);
    }
  }

  private setState(e: Entry, state: SaveState): void {
    if (e.state === state) return;
    e.state = state;
    this.o.onStateChange(e.id, state);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
