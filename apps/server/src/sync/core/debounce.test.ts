import { describe, expect, test } from 'vitest';
import { PerDocumentBatcher } from './debounce.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));

function recorder(opts: { delayMs: number; minIntervalMs: number; retryAfterMs?: number; fail?: (n: number) => boolean }) {
  const runs: { id: string; items: number[] }[] = [];
  let active = 0;
  let maxActive = 0;
  let release: (() => void) | null = null;
  const b = new PerDocumentBatcher<number>({
    ...opts,
    run: async (id, items) => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs.push({ id, items });
      await new Promise<void>((r) => (release = r));
      active--;
      if (opts.fail?.(runs.length)) throw new Error('down');
    },
  });
  return { b, runs, maxActive: () => maxActive, release: () => release?.() };
}

describe('PerDocumentBatcher', () => {
  test('a burst while a run is in progress becomes one follow-up run; runs of one document never overlap', async () => {
    const r = recorder({ delayMs: 0, minIntervalMs: 0 });
    r.b.add('a', 1);
    await tick();
    expect(r.runs).toEqual([{ id: 'a', items: [1] }]);
    for (let i = 2; i <= 1000; i++) r.b.add('a', i);
    r.release();
    while (r.runs.length < 2) await tick();
    expect(r.runs[1]!.items).toHaveLength(999);
    r.release();
    await r.b.idle();
    expect(r.runs).toHaveLength(2);
    expect(r.maxActive()).toBe(1);
    expect(r.b.size).toBe(0);
  });

  test('documents are batched independently; add() without items still makes a run happen', async () => {
    const r = recorder({ delayMs: 0, minIntervalMs: 0 });
    r.b.add('a');
    await tick();
    r.release();
    await tick();
    r.b.add('b', 7);
    while (r.runs.length < 2) await tick();
    r.release();
    await r.b.idle();
    expect(r.runs).toEqual([
      { id: 'a', items: [] },
      { id: 'b', items: [7] },
    ]);
  });

  test('with a delay, items collected until it passes run together', async () => {
    const r = recorder({ delayMs: 30, minIntervalMs: 30 });
    for (let i = 0; i < 50; i++) r.b.add('a', i);
    expect(r.runs).toHaveLength(0);
    while (r.runs.length < 1) await tick();
    r.release();
    await r.b.idle();
    expect(r.runs).toEqual([{ id: 'a', items: [...Array(50).keys()] }]);
  });

  test('a failed run gives its items back and is retried; stop() drops what is collected', async () => {
    const r = recorder({ delayMs: 0, minIntervalMs: 0, retryAfterMs: 10, fail: (n) => n === 1 });
    r.b.add('a', 1, 2);
    await tick();
    r.release();
    while (r.runs.length < 2) await tick();
    expect(r.runs[1]!.items).toEqual([1, 2]);
    r.release();
    await r.b.idle();
    r.b.add('a', 3);
    const stopped = r.b.stop();
    r.release();
    await stopped;
    r.b.add('a', 4);
    expect(r.b.size).toBe(0);
  });
});
