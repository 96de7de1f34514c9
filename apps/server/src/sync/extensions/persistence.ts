/**
 * Persistence as an extension: a document is filled from the database when it loads (snapshot +
 * tail, and its lock state), changes that entered here are queued for the batched flush
 * (flush-scheduler.ts: one transaction per interval for all agreements), a document is flushed
 * before it unloads, and its save state is what the flush says.
 *
 * With the cluster channel (cluster.ts) the channel takes the changes instead: it publishes them and
 * the agreement's lease holder hands what it reads back here (`enqueue`), so each update is
 * persisted by exactly one process.
 */
import type { SaveState } from '../hub-contract.ts';
import type { DocumentContext, EngineApi, Extension, LoadContext, SaveStateView } from '../core/extension.ts';
import { FlushScheduler } from '../flush-scheduler.ts';
import type { Logger } from '../logger.ts';
import type { SyncMetrics } from '../metrics.ts';
import { loadDocument, type SyncDb } from '../persistence.ts';
import type { SyncOrigin } from '../origin.ts';

export interface PersistenceOptions {
  db: SyncDb;
  /** Whether the agreement is locked (read at load). */
  isLocked(agreementId: string): Promise<boolean>;
  logger: Logger;
  metrics: SyncMetrics;
  flushIntervalMs?: number;
  compactRows?: number;
  compactBytes?: number;
}

/** The sockets are told 'saving' only when updates have waited this long (see README: coarse on purpose). */
export const SAVING_AFTER_MS = 2000;

export class PersistenceExtension implements Extension {
  readonly name = 'persistence';
  /** first: a document is filled from the database before the channel adds what is in flight */
  readonly priority = 1000;
  private readonly flusher: FlushScheduler;
  private engine: EngineApi | null = null;
  /** false once the cluster channel persists changes (through its lease holder) */
  private ownsChanges = true;

  constructor(private readonly o: PersistenceOptions) {
    this.flusher = new FlushScheduler({
      db: o.db,
      intervalMs: o.flushIntervalMs ?? 500,
      compactRows: o.compactRows ?? 200,
      compactBytes: o.compactBytes ?? 1024 * 1024,
      maxBackoffMs: 10_000,
      timeoutMs: 10_000,
      logger: o.logger,
      metrics: o.metrics,
      onStateChange: (agreementId) => this.engine?.saveStateChanged(agreementId),
      onFlushed: (agreementId, seq) => this.engine?.stored({ agreementId, seq }),
      onDbStatus: (up) => o.logger.warn({ db: up ? 'up' : 'down' }, 'sync: database status changed'),
    });
  }

  onConfigure(engine: EngineApi): void {
    this.engine = engine;
  }

  /** The cluster channel persists changes from now on (they come back through `enqueue`). */
  handChangesToChannel(): void {
    this.ownsChanges = false;
  }

  async onLoadDocument({ agreementId, document }: LoadContext): Promise<void> {
    const [loaded, locked] = await Promise.all([loadDocument(this.o.db, agreementId), this.o.isLocked(agreementId)]);
    document.load(loaded.updates, (err, index) =>
      this.o.logger.error({ agreementId, index, err: String((err as Error)?.message ?? err) }, 'sync: skipped a stored update that could not be applied'),
    );
    document.locked = locked;
    this.flusher.track(agreementId, loaded.tailCount, loaded.tailBytes);
  }

  onChange({ agreementId, update, origin }: { agreementId: string; update: Uint8Array; origin: SyncOrigin }): void {
    // a peer's change is persisted by the stream's lease holder (or was by the peer)
    if (this.ownsChanges && origin.kind !== 'peer') this.flusher.enqueue(agreementId, update);
  }

  saveState(agreementId: string, view: SaveStateView): SaveState {
    const s = this.flusher.state(agreementId);
    if (view === 'exact' || s === 'unsaved') return s;
    const since = this.flusher.pendingSince(agreementId);
    return since !== null && since < Date.now() - SAVING_AFTER_MS ? 'saving' : 'saved';
  }

  /** Flush before the document goes (database down: it stays in memory and is retried later). */
  beforeUnload({ agreementId }: DocumentContext): Promise<boolean> {
    return this.flusher.flushNow(agreementId);
  }

  onUnload({ agreementId }: DocumentContext): void {
    this.flusher.forget(agreementId);
  }

  /** Queue an update for the batched flush; `token` comes back in onStore's `seq` once it is in the database. */
  enqueue(agreementId: string, update: Uint8Array, token?: number): void {
    this.flusher.enqueue(agreementId, update, token);
  }

  flushNow(agreementId: string): Promise<boolean> {
    return this.flusher.flushNow(agreementId);
  }

  hasPending(agreementId: string): boolean {
    return this.flusher.hasPending(agreementId);
  }

  pendingBytes(agreementId?: string): number {
    return this.flusher.pendingBytes(agreementId);
  }

  lastSavedAt(agreementId: string): Date | null {
    return this.flusher.lastSavedAt(agreementId);
  }

  get dbUp(): boolean {
    return this.flusher.dbUp;
  }

  /** Flush everything (retrying up to 10 s); false if something could not be written. */
  close(): Promise<boolean> {
    return this.flusher.close();
  }
}
