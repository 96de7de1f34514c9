import { describe, expect, test } from 'vitest';
import { silentLogger } from '../logger.ts';
import { createSyncMetrics } from '../metrics.ts';
import { Room } from '../room.ts';
import { type Extension, ExtensionChain } from './extension.ts';
import { DocumentRegistry } from './registry.ts';

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

function registry(extensions: Extension[]) {
  const metrics = createSyncMetrics();
  const room = (id: string) =>
    new Room(id, 1 << 20, { onUpdate: () => {}, onLocalAwareness: () => {}, saveState: () => 'saved', onIntegrationError: () => {} }, metrics);
  return new DocumentRegistry({ chain: new ExtensionChain(extensions, silentLogger), create: room, idleUnloadMs: 10, logger: silentLogger, metrics });
}

describe('DocumentRegistry', () => {
  test('one load per agreement at a time: filled by onLoadDocument before anyone sees it, then onLoad', async () => {
    const calls: string[] = [];
    const r = registry([
      {
        name: 'fill',
        onLoadDocument: async ({ document }) => {
          calls.push('fill');
          await new Promise((res) => setTimeout(res, 5));
          document.locked = true;
        },
        onLoad: ({ document }) => void calls.push(`loaded:${document.locked}`),
      },
    ]);
    const [a, b] = await Promise.all([r.get('x'), r.get('x')]);
    expect(a).toBe(b);
    expect(calls).toEqual(['fill', 'loaded:true']);
    expect(r.peek('x')).toBe(a);
  });

  test('a failing onLoadDocument fails the load and registers nothing', async () => {
    const r = registry([{ name: 'db', onLoadDocument: () => Promise.reject(new Error('database down')) }]);
    await expect(r.get('x')).rejects.toThrow('database down');
    expect(r.peek('x')).toBeUndefined();
  });

  test('one unload rule: an extension holding something keeps the idle document, beforeUnload can keep it, then it goes and onUnload runs', async () => {
    let holding = true;
    let flushOk = false;
    const calls: string[] = [];
    const r = registry([
      {
        name: 'store',
        shouldUnload: () => !holding,
        beforeUnload: () => {
          calls.push(`flush:${flushOk}`);
          return flushOk;
        },
        onUnload: ({ agreementId }) => void calls.push(`unload:${agreementId}`),
      },
    ]);
    const room = await r.get('x');
    r.scheduleIdle(room);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.peek('x')).toBe(room); // still holding: not even tried
    expect(calls).toEqual([]);
    holding = false;
    await until(() => calls.includes('flush:false'));
    expect(r.peek('x')).toBe(room); // the flush failed: kept, tried again later
    flushOk = true;
    await until(() => calls.includes('unload:x'));
    expect(r.peek('x')).toBeUndefined();
    const again = await r.get('x');
    expect(again).not.toBe(room);
  });

  test('a document with a socket is not unloaded', async () => {
    const r = registry([]);
    const room = await r.get('x');
    room.conns.add({} as never);
    r.scheduleIdle(room);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.peek('x')).toBe(room);
  });
});
