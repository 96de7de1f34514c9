import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.ts';
import { createEventBus } from '../../events/bus.ts';
import type { SyncHub } from '../hub-contract.ts';
import type { SyncOrigin } from '../origin.ts';
import { createCheckpointsExtension } from './checkpoints.ts';

/**
 * The checkpoint extension on a hub stand-in, with fake timers: a change only records its time (no
 * timer set or cleared per keystroke); one timer per agreement re-arms itself while editing goes on,
 * and the checkpoint is attempted once editing has been quiet for idleMs. (The checkpoint saved
 * through a real server is in apps/server/test/versions.test.ts.)
 */
describe('checkpoints extension', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  function setup(options: { idleMs: number; minIntervalMs: number }) {
    const attempts: string[] = [];
    const sync = {
      // The checkpoint starts by reading the document: count the attempts, then stop there.
      async getDocumentState(agreementId: string) {
        attempts.push(agreementId);
        throw new Error('stop here');
      },
    } as unknown as SyncHub;
    const events = createEventBus();
    const ext = createCheckpointsExtension({ db: null as unknown as Db, sync, events }, options);
    const change = (agreementId: string, origin: object = { kind: 'client', userId: 'u', connection: {} }) =>
      ext.onChange!({ agreementId, update: new Uint8Array(), origin: origin as SyncOrigin });
    return { ext, attempts, change, events };
  }

  it('costs no timer per change and checkpoints once after idleMs of quiet', async () => {
    vi.useFakeTimers();
    const h = setup({ idleMs: 200, minIntervalMs: 0 });
    try {
      const set = vi.spyOn(globalThis, 'setTimeout');
      const clear = vi.spyOn(globalThis, 'clearTimeout');
      for (let i = 0; i < 1000; i++) h.change('a1');
      expect(set).toHaveBeenCalledTimes(1);
      expect(clear).not.toHaveBeenCalled();
      expect(h.ext.pending()).toBe(1);

      // Editing goes on every 100 ms for a second: no checkpoint while it does.
      for (let t = 0; t < 10; t++) {
        await vi.advanceTimersByTimeAsync(100);
        h.change('a1');
      }
      expect(h.attempts).toEqual([]);
      // The one timer re-armed itself when it fired early (a few times), instead of 1010 set + clear.
      expect(set.mock.calls.length).toBeLessThanOrEqual(12);
      // Quiet: the checkpoint comes idleMs after the last change, not before.
      await vi.advanceTimersByTimeAsync(199);
      expect(h.attempts).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.attempts).toEqual(['a1']);
      expect(h.ext.pending()).toBe(0);
    } finally {
      await h.ext.stop();
      await h.events.close();
    }
  });

  it('restores do not schedule a checkpoint; onDestroy (engine close) drops the waiting ones', async () => {
    vi.useFakeTimers();
    const h = setup({ idleMs: 50, minIntervalMs: 0 });
    h.change('r1', { kind: 'server', reason: 'restore', userId: 'u', versionId: 'v' });
    expect(h.ext.pending()).toBe(0);
    h.change('a2');
    h.change('a3');
    expect(h.ext.pending()).toBe(2);
    await h.ext.onDestroy!();
    expect(h.ext.pending()).toBe(0);
    h.change('a2');
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.attempts).toEqual([]);
    await h.events.close();
  });

  it('a failed checkpoint does not hold back the next one by minIntervalMs', async () => {
    vi.useFakeTimers();
    const h = setup({ idleMs: 50, minIntervalMs: 60_000 });
    try {
      h.change('a1');
      await vi.advanceTimersByTimeAsync(50);
      expect(h.attempts).toEqual(['a1']); // failed ('stop here')
      h.change('a1');
      await vi.advanceTimersByTimeAsync(50);
      expect(h.attempts).toEqual(['a1', 'a1']);
    } finally {
      await h.ext.stop();
      await h.events.close();
    }
  });
});
