import { describe, expect, test } from 'vitest';
import type { Authorization, EngineApi } from '../core/extension.ts';
import { silentLogger } from '../logger.ts';
import { createSyncMetrics } from '../metrics.ts';
import type { ClientOrigin } from '../origin.ts';
import type { SyncDb } from '../persistence.ts';
import type { Relay, RelayHandlers, RelayMessage } from '../relay.ts';
import { ClusterExtension } from './cluster.ts';
import type { PersistenceExtension } from './persistence.ts';

/** The channel's transport in memory: Redis "up" or "down", what was published, what the stream calls. */
function fakeRelay() {
  const r = {
    up: true,
    handlers: null as RelayHandlers | null,
    published: [] as { id: string; msg: RelayMessage }[],
    calls: [] as string[],
    unsaved: null as number | null,
    relay(): Relay {
      return {
        open: async (id) => void r.calls.push(`open:${id}`),
        close: async (id) => void r.calls.push(`close:${id}`),
        release: async (id) => void r.calls.push(`release:${id}`),
        publish: async (id, msg) => {
          if (!r.up) throw new Error('redis is not connected');
          r.published.push({ id, msg });
        },
        persisted: (id, token) => void r.calls.push(`persisted:${id}:${token}`),
        unsavedSince: () => r.unsaved,
        status: () => (r.up ? 'up' : 'down'),
        shutdown: async () => {},
      };
    },
  };
  return r;
}

function fakePersistence(flushOk = true) {
  const p = {
    enqueued: [] as { id: string; update: Uint8Array; token?: number }[],
    pending: false,
    handedOver: false,
    handChangesToChannel: () => void (p.handedOver = true),
    enqueue: (id: string, update: Uint8Array, token?: number) => void p.enqueued.push({ id, update, token }),
    hasPending: () => p.pending,
    flushNow: async () => flushOk,
  };
  return p;
}

function fakeEngine(rights: Map<string, Authorization | null>) {
  const e = {
    locks: [] as boolean[],
    applied: [] as Map<string, Authorization | null>[],
    rechecked: [] as string[],
    api: null as unknown as EngineApi,
  };
  e.api = {
    processId: 'me',
    logger: silentLogger,
    metrics: createSyncMetrics(),
    document: () => undefined,
    documents: () => [],
    authorize: async (userId) => rights.get(userId) ?? null,
    isLocked: async () => false,
    applyLock: (_id, locked) => void e.locks.push(locked),
    recheckMembership: async (_id, userId) => void e.rechecked.push(userId),
    applyRights: (_id, r) => void e.applied.push(new Map(r)),
    saveStateChanged: () => {},
    stored: () => {},
  };
  return e;
}

function setUp(rights: Map<string, Authorization | null>, flushOk = true) {
  const relay = fakeRelay();
  const persistence = fakePersistence(flushOk);
  const engine = fakeEngine(rights);
  const cluster = new ClusterExtension((h) => {
    relay.handlers = h;
    return relay.relay();
  }, persistence as unknown as PersistenceExtension, {} as SyncDb);
  cluster.onConfigure(engine.api);
  return { relay, persistence, engine, cluster };
}

const client = (userId: string): ClientOrigin => ({ kind: 'client', userId, connection: {} });
const tick = () => new Promise((r) => setImmediate(r));

describe('ClusterExtension', () => {
  test('takes over persistence: changes go into the stream, and what the lease holder reads is persisted with its token', async () => {
    const { relay, persistence, cluster } = setUp(new Map());
    expect(persistence.handedOver).toBe(true);
    cluster.onChange({ agreementId: 'a', update: new Uint8Array([1]), origin: client('u') });
    cluster.onChange({ agreementId: 'a', update: new Uint8Array([2]), origin: { kind: 'peer', processId: 'other', state: false } });
    await tick();
    expect(relay.published).toEqual([{ id: 'a', msg: { type: 'update', update: new Uint8Array([1]) } }]);
    relay.handlers!.onPersist('a', new Uint8Array([3]), 7);
    expect(persistence.enqueued).toEqual([{ id: 'a', update: new Uint8Array([3]), token: 7 }]);
    cluster.onStore({ agreementId: 'a', seq: 7 });
    expect(relay.calls).toContain('persisted:a:7');
  });

  test('Redis down: a client change is held (saving, kept loaded) until the database confirms its sender may still write; a removed sender’s is dropped', async () => {
    const rights = new Map<string, Authorization | null>([['editor', { role: 'editor', partyId: 'p' }], ['removed', null]]);
    const { relay, persistence, engine, cluster } = setUp(rights);
    relay.up = false;
    cluster.onChange({ agreementId: 'a', update: new Uint8Array([1]), origin: client('editor') });
    cluster.onChange({ agreementId: 'a', update: new Uint8Array([2]), origin: client('removed') });
    await tick();
    expect(cluster.saveState('a', 'exact')).toBe('saving');
    expect(cluster.shouldUnload({ agreementId: 'a' })).toBe(false);
    expect(cluster.heldBytes()).toBe(2);
    await cluster.settle(); // the review the timer runs every second
    expect(persistence.enqueued.map((e) => [...e.update])).toEqual([[1]]);
    expect(engine.applied[0]!.get('removed')).toBeNull();
    expect(cluster.heldBytes()).toBe(0);
    expect(cluster.saveState('a', 'exact')).toBe('saved');
  });

  test("the stream's control messages reach the engine; an update the holder has not persisted is 'saving'", async () => {
    const { relay, engine, cluster } = setUp(new Map());
    relay.handlers!.onMessage('a', { type: 'lock', locked: true, from: 'other' });
    relay.handlers!.onMessage('a', { type: 'membership', userId: 'u', from: 'other' });
    expect(engine.locks).toEqual([true]);
    expect(engine.rechecked).toEqual(['u']);
    relay.unsaved = Date.now();
    expect(cluster.saveState('a', 'exact')).toBe('saving');
    expect(cluster.saveState('a', 'coarse')).toBe('saved'); // the sockets see 'saving' only after 2 s
    relay.unsaved = Date.now() - 5000;
    expect(cluster.saveState('a', 'coarse')).toBe('saving');
  });

  test('unload: stops following, persists what the stream still held, releases the lease; a failed flush follows the stream again and keeps the document', async () => {
    const ok = setUp(new Map());
    expect(await ok.cluster.beforeUnload({ agreementId: 'a' })).toBe(true);
    expect(ok.relay.calls).toEqual(['close:a', 'release:a']);

    const failing = setUp(new Map(), false);
    failing.persistence.pending = true;
    expect(await failing.cluster.beforeUnload({ agreementId: 'a' })).toBe(false);
    expect(failing.relay.calls).toEqual(['close:a', 'open:a']);
  });
});
