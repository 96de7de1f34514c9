/**
 * The one per-document debounce/throttle of the sync engine's extensions (approval watcher,
 * agreed-section guard, …), in the manner of Hocuspocus' util/debounce: work about one document
 * is collected while edits keep coming and done in batches, never two at once for one document,
 * at most one batch per interval.
 *
 *   const b = new PerDocumentBatcher<string>({ delayMs: 0, minIntervalMs: 1000, run: (id, users) => check(id, users) });
 *   b.add(agreementId, userId);   // per keystroke: a push and at most one timer
 *
 * - `delayMs`: how long the first item of a batch waits (0 = run at the end of this turn: the first
 *   change after a quiet spell is handled at once; > 0 = debounce from the first item).
 * - `minIntervalMs`: two runs of one document start at least this far apart (throttle).
 * - `quietMs`: a run waits until nothing was added for this long (trailing debounce: "once editing
 *   stops"); adding does not touch the timer, which re-arms itself for the rest when it fires early.
 * - `retryAfterMs`: a run that throws gives its items back and is retried after this (default: the
 *   items are dropped and the error reported).
 * - `throttleFailures`: whether a run that threw counts for `minIntervalMs` (default true).
 * - `unref`: the timers do not keep the process alive.
 */
export interface PerDocumentBatcherOptions<T> {
  delayMs: number;
  minIntervalMs: number;
  quietMs?: number;
  retryAfterMs?: number;
  throttleFailures?: boolean;
  unref?: boolean;
  run(documentId: string, items: T[]): Promise<void>;
  onError?(documentId: string, err: unknown, willRetry: boolean): void;
}

interface Slot<T> {
  items: T[];
  /** something was added since the last run started */
  dirty: boolean;
  firstAt: number;
  lastAddAt: number;
  lastStart: number;
  timer: ReturnType<typeof setTimeout> | null;
  running: Promise<void> | null;
  retryAt: number;
}

export class PerDocumentBatcher<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private stopped = false;

  constructor(private readonly o: PerDocumentBatcherOptions<T>) {}

  /** Collect items for a document (none: just make sure a run happens). */
  add(documentId: string, ...items: T[]): void {
    if (this.stopped) return;
    let s = this.slots.get(documentId);
    if (!s) this.slots.set(documentId, (s = { items: [], dirty: false, firstAt: 0, lastAddAt: 0, lastStart: -Infinity, timer: null, running: null, retryAt: 0 }));
    const now = Date.now();
    if (!s.dirty) s.firstAt = now;
    s.lastAddAt = now;
    s.dirty = true;
    for (const i of items) s.items.push(i);
    if (!s.timer && !s.running) this.schedule(documentId, s);
  }

  /** Whether this document has work collected, scheduled or running. */
  has(documentId: string): boolean {
    return this.slots.has(documentId);
  }

  /** Documents with work collected, scheduled or running. */
  get size(): number {
    return this.slots.size;
  }

  /** Resolves once no document has work left (runs and their follow-ups finished). */
  async idle(): Promise<void> {
    while (this.slots.size > 0) {
      const running = [...this.slots.values()].map((s) => s.running).filter((p): p is Promise<void> => p !== null);
      await (running.length > 0 ? Promise.all(running) : new Promise((r) => setTimeout(r, 5)));
    }
  }

  /**
   * Take no more items. What is collected is dropped, or with `drain` run once more at once (no
   * retries after that); resolves once the runs in progress are done.
   */
  async stop(opts: { drain?: boolean } = {}): Promise<void> {
    this.stopped = true;
    for (const [id, s] of this.slots) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
      if (opts.drain && s.dirty && !s.running) {
        this.run(id, s, true);
        continue;
      }
      if (!opts.drain) {
        s.items = [];
        s.dirty = false;
      }
      if (!s.running) this.slots.delete(id);
    }
    await this.idle();
    if (opts.drain) {
      // collected during a run that was in progress
      for (const [id, s] of this.slots) if (s.dirty && !s.running) this.run(id, s, true);
      await this.idle();
    }
  }

  private schedule(documentId: string, s: Slot<T>): void {
    const due = Math.max(s.firstAt + this.o.delayMs, s.lastStart + this.o.minIntervalMs, s.retryAt, s.lastAddAt + (this.o.quietMs ?? 0));
    s.timer = setTimeout(() => this.due(documentId, s), Math.max(0, due - Date.now()));
    if (this.o.unref) s.timer.unref?.();
  }

  /** The timer fired: run, unless something was added within the quiet period (then wait for the rest). */
  private due(documentId: string, s: Slot<T>): void {
    if (!this.stopped && this.o.quietMs && Date.now() - s.lastAddAt < this.o.quietMs) return this.schedule(documentId, s);
    this.run(documentId, s);
  }

  private run(documentId: string, s: Slot<T>, draining = false): void {
    s.timer = null;
    if (this.stopped && !draining) {
      this.slots.delete(documentId);
      return;
    }
    const items = s.items;
    s.items = [];
    s.dirty = false;
    const previousStart = s.lastStart;
    const startedAt = (s.lastStart = Date.now());
    s.retryAt = 0;
    s.running = (async () => {
      try {
        await this.o.run(documentId, items);
      } catch (err) {
        const retry = this.o.retryAfterMs !== undefined && !this.stopped;
        this.o.onError?.(documentId, err, retry);
        if (this.o.throttleFailures === false && s.lastStart === startedAt) s.lastStart = previousStart;
        if (retry) {
          s.items = items.concat(s.items);
          if (!s.dirty) s.firstAt = Date.now();
          s.dirty = true;
          s.retryAt = Date.now() + this.o.retryAfterMs!;
        }
      }
    })().finally(() => {
      s.running = null;
      if (!this.stopped && s.dirty) this.schedule(documentId, s);
      else if (this.slots.get(documentId) === s) this.slots.delete(documentId);
    });
  }
}
