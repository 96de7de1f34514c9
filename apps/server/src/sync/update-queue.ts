/**
 * Updates waiting to be persisted, merged as they arrive so the cost per update stays constant.
 *
 * Why: `Y.mergeUpdates` re-sorts all its inputs for every run of structs it writes, so merging n
 * updates at once costs O(n²) — 50,000 keystrokes queued behind one flush took ~50 s of blocked
 * event loop. Here every FAN_IN updates are merged into one, every FAN_IN of those into one, and so
 * on (a counter with carries) up to TOP_LEVEL: each update takes part in one merge per level,
 * every merge has at most FAN_IN inputs, and `take()` merges at most 2·FAN_IN. Work per update is
 * amortised constant and no single step is larger than a few FAN_IN-input merges. Merges of
 * FAN_IN^TOP_LEVEL updates (~4,096 keystrokes, ~40 KiB) are not merged further but stored as rows
 * of their own, so applying any one stored row (compaction, load) is a bounded step too.
 *
 * Yjs merges commute, so the order of the queue does not change the result.
 */
import * as Y from 'yjs';

/** Inputs per merge: small enough that one merge is ~0.3 ms, large enough that levels stay few. */
export const FAN_IN = 64;
/** Level whose merges are final (each becomes its own row). */
const TOP_LEVEL = 2;

export class UpdateQueue {
  /** levels[i] holds merges of FAN_IN^i original updates each (fewer than FAN_IN per level). */
  private levels: Uint8Array[][] = emptyLevels();
  /** Updates that could not be merged (cannot happen for validated updates): stored one by one. */
  private unmergeable: Uint8Array[] = [];
  /** Original updates queued (not merges). */
  count = 0;
  /** Bytes of the original updates queued. */
  bytes = 0;

  constructor(private readonly onMergeError: (err: unknown) => void = () => {}) {}

  push(update: Uint8Array): void {
    this.count++;
    this.bytes += update.byteLength;
    this.levels[0]!.push(update);
    for (let i = 0; i < TOP_LEVEL && this.levels[i]!.length >= FAN_IN; i++) {
      const group = this.levels[i]!;
      this.levels[i] = [];
      const merged = this.merge(group);
      if (merged === null) continue;
      this.levels[i + 1]!.push(merged);
    }
  }

  /** Put rows taken earlier back (a failed flush), as rows of their own: they are not merged again. */
  requeue(rows: Uint8Array[], bytes: number, count: number): void {
    this.count += count;
    this.bytes += bytes;
    this.levels[TOP_LEVEL]!.push(...rows);
  }

  /** Everything queued as rows to store: the top level's merges plus one merge of the rest; empties the queue. */
  take(): Uint8Array[] {
    const all: Uint8Array[] = [];
    for (let i = 0; i < TOP_LEVEL; i++) all.push(...this.levels[i]!);
    const out = [...this.unmergeable, ...this.levels[TOP_LEVEL]!];
    this.levels = emptyLevels();
    this.unmergeable = [];
    this.count = 0;
    this.bytes = 0;
    if (all.length > 0) {
      const merged = this.merge(all);
      if (merged !== null) out.push(merged);
      else out.push(...this.unmergeable.splice(0));
    }
    return out;
  }

  get length(): number {
    return this.count;
  }

  private merge(group: Uint8Array[]): Uint8Array | null {
    if (group.length === 1) return group[0]!;
    try {
      return Y.mergeUpdates(group);
    } catch (err) {
      this.onMergeError(err);
      this.unmergeable.push(...group);
      return null;
    }
  }
}

function emptyLevels(): Uint8Array[][] {
  return Array.from({ length: TOP_LEVEL + 1 }, () => []);
}
