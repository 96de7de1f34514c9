/**
 * Batches each agreement's updates into at most one database transaction per flush interval
 * (default 500 ms), whatever the typing rate. On failure the batch stays in memory, the document
 * is 'unsaved', and the flush is retried with exponential backoff until the database returns.
 */
import * as Y from 'yjs';
import type { SaveState } from './hub-contract.ts';
import { appendUpdate, compact, type SyncDb } from './persistence.ts';
import type { Logger } from './logger.ts';
import type { SyncMetrics } from './metrics.ts';

export interface FlushSchedulerOptions {
  db: SyncDb;
  intervalMs: number;
  /** Compact when the tail grows beyond this many rows or bytes. */
  compactRows: number;
  compactBytes: number;
  maxBackoffMs: number;
  logger: Logger;
  metrics: SyncMetrics;
  onStateChange(agreementId: string, state: SaveState): void;
  /** Called after a successful flush with the highest sequence number it covered. */
  onFlushed(agreementId: string, seq: number): void;
  onDbStatus(up: boolean): void;
}

interface Entry {
  pending: Uint8Array[];
  pendingBytes: number;
  pendingSeq: number;
  inFlight: Promise<void> | null;
  timer: NodeJS.Timeout | null;
  lastStart: number;
  failures: number;
  state: SaveState;
  tailRows: number;
  tailBytes: number;
  lastSavedAt: Date | null;
}

export class FlushScheduler {
  private entries = new Map<string, Entry>();
  private closed = false;
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
    e.pendingBytes += update.byteLength;
    if (seq > e.pendingSeq) e.pendingSeq = seq;
    if (e.state === 'saved') this.setState(agreementId, e, 'saving');
    this.schedule(agreementId, e);
  }

  state(agreementId: string): SaveState {
    return this.entries.get(agreementId)?.state ?? 'saved';
  }

  pendingBytes(agreementId?: string): number {
    if (agreementId !== undefined) return this.entries.get(agreementId)?.pendingBytes ?? 0;
    let n = 0;
    for (const e of this.entries.values()) n += e.pendingBytes;
    return n;
  }

  lastSavedAt(agreementId: string): Date | null {
    return this.entries.get(agreementId)?.lastSavedAt ?? null;
  }

  hasPending(agreementId: string): boolean {
    const e = this.entries.get(agreementId);
    return !!e && (e.pending.length > 0 || e.inFlight !== null);
  }

  /** Flush now (ignoring the interval) until nothing is pending; resolves false if the DB failed. */
  async flushNow(agreementId: string): Promise<boolean> {
    const e = this.entries.get(agreementId);
    if (!e) return true;
    if (e.timer) {
      clearTimeout(e.timer);
      e.timer = null;
    }
    if (e.inFlight) await e.inFlight;
    if (e.pending.length === 0) return true;
    await this.run(agreementId, e);
    return e.pending.length === 0;
  }

  /** Drop bookkeeping for an unloaded document (only when nothing is pending). */
  forget(agreementId: string): void {
    const e = this.entries.get(agreementId);
    if (e && e.pending.length === 0 && !e.inFlight) {
      if (e.timer) clearTimeout(e.timer);
      this.entries.delete(agreementId);
    }
  }

  /** Graceful shutdown: flush everything, retrying a few times. */
  async close(deadlineMs = 10_000): Promise<boolean> {
    this.closed = true;
    const until = Date.now() + deadlineMs;
    for (;;) {
      const ids = [...this.entries.keys()].filter((id) => this.hasPending(id));
      if (ids.length === 0) return true;
      await Promise.all(ids.map((id) => this.flushNow(id)));
      if (ids.every((id) => !this.hasPending(id))) return true;
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
      e = {
        pending: [],
        pendingBytes: 0,
        pendingSeq: 0,
        inFlight: null,
        timer: null,
        lastStart: 0,
        failures: 0,
        state: 'saved',
        tailRows: 0,
        tailBytes: 0,
        lastSavedAt: null,
      };
      this.entries.set(agreementId, e);
    }
    return e;
  }

  private schedule(agreementId: string, e: Entry): void {
    if (e.timer || e.inFlight || this.closed) return;
    const backoff = e.failures > 0 ? Math.min(this.o.intervalMs * 2 ** e.failures, this.o.maxBackoffMs) : this.o.intervalMs;
    const due = Math.max(0, e.lastStart + backoff - Date.now());
    e.timer = setTimeout(() => {
      e.timer = null;
      void this.run(agreementId, e);
    }, due);
  }

  private run(agreementId: string, e: Entry): Promise<void> {
    if (e.inFlight) return e.inFlight;
    if (e.pending.length === 0) return Promise.resolve();
    const batch = e.pending;
    const batchBytes = e.pendingBytes;
    const seq = e.pendingSeq;
    e.pending = [];
    e.pendingBytes = 0;
    e.lastStart = Date.now();
    const started = process.hrtime.bigint();
    const p = (async () => {
      let merged: Uint8Array;
      try {
        merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
      } catch (err) {
        // cannot happen for validated updates; never lose them: store individually
        this.o.logger.error({ err, agreementId }, 'sync: merging updates failed, storing them one by one');
        merged = batch[0]!;
        e.pending.unshift(...batch.slice(1));
      }
      const compactNow = e.tailRows + 1 >= this.o.compactRows || e.tailBytes + merged.byteLength >= this.o.compactBytes;
      try {
        await this.o.db.transaction(async (tx) => {
          await appendUpdate(tx, agreementId, merged);
          if (compactNow) await compact(tx, agreementId);
        });
        if (compactNow) {
          e.tailRows = 0;
          e.tailBytes = 0;
          this.o.metrics.compactions.inc();
        } else {
          e.tailRows++;
          e.tailBytes += merged.byteLength;
        }
        e.failures = 0;
        e.lastSavedAt = new Date();
        this.o.metrics.flushes.inc({ result: 'ok' });
        this.o.metrics.flushedBytes.inc(merged.byteLength);
        this.o.metrics.flushDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
        if (!this.dbUp) {
          this.dbUp = true;
          this.o.logger.info({ agreementId }, 'sync: database reachable again, flushing resumed');
          this.o.onDbStatus(true);
        }
        this.o.onFlushed(agreementId, seq);
      } catch (err) {
        // keep the batch, in front of what arrived meanwhile
        e.pending.unshift(...batch);
        e.pendingBytes += batchBytes;
        if (seq > e.pendingSeq) e.pendingSeq = seq;
        e.failures++;
        this.o.metrics.flushes.inc({ result: 'error' });
        if (this.dbUp || e.failures === 1) {
          this.o.logger.warn({ err: String((err as Error)?.message ?? err), agreementId, failures: e.failures, pendingBytes: e.pendingBytes }, 'sync: flush failed, will retry');
        }
        if (this.dbUp) {
          this.dbUp = false;
          this.o.onDbStatus(false);
        }
      } finally {
        e.inFlight = null;
      }
      if (e.pending.length > 0) {
        this.setState(agreementId, e, e.failures > 0 ? 'unsaved' : 'saving');
        if (!this.closed) this.schedule(agreementId, e);
      } else {
        this.setState(agreementId, e, 'saved');
      }
    })();
    e.inFlight = p;
    return p;
  }

  private setState(agreementId: string, e: Entry, state: SaveState): void {
    if (e.state === state) return;
    e.state = state;
    this.o.onStateChange(agreementId, state);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
