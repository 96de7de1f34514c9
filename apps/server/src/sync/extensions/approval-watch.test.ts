import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../db/client.ts';
import { openMigratedDatabase } from '../../db/migrate.ts';
import { approvalsCreated } from '../../approvals/watcher.ts';
import { createEventBus, type EventBus } from '../../events/bus.ts';
import type { SyncHub } from '../hub-contract.ts';
import { silentLogger } from '../logger.ts';
import type { SyncOrigin } from '../origin.ts';
import { seed } from '../../../../../tests/sync/support/seed.ts';
import { createApprovalWatchExtension } from './approval-watch.ts';

/**
 * The approval watcher's scheduling on the engine's onChange hook, on a real (PGlite) database with an
 * agreement without approvals, so a check is the approvals query and nothing else (voiding itself, on
 * real servers, is in apps/server/test/approvals.test.ts).
 */
let handle: DatabaseHandle;
let agreementId: string;
let events: EventBus;
beforeAll(async () => {
  handle = await openMigratedDatabase({ databaseUrl: null, dataDir: null, logger: silentLogger } as never);
  agreementId = (await seed(handle.db, { name: 'approval-watch-extension', agreements: 1, members: { e: 'editor' } })).agreementIds[0]!;
  events = createEventBus();
});
afterAll(async () => {
  await events?.close();
  await handle?.close();
});

const sync = {} as SyncHub; // never read: the agreement has no approvals
const client = (userId: string) => ({ kind: 'client', userId, connection: {} }) as unknown as SyncOrigin;
const change = (ext: ReturnType<typeof createApprovalWatchExtension>, userId = 'u1') => ext.onChange!({ agreementId, update: new Uint8Array(), origin: client(userId) });

describe('approval-watch extension', () => {
  test('the first change is checked at once, later ones hit the "no active approvals" cache until an approval is created here', async () => {
    const ext = createApprovalWatchExtension({ db: handle.db, sync, events }, { minIntervalMs: 0, noApprovalsTtlMs: 600_000 });
    try {
      change(ext);
      await ext.idle();
      expect(ext.stats().queries).toBe(1);
      for (let i = 0; i < 100; i++) change(ext);
      await ext.idle();
      expect(ext.stats()).toMatchObject({ queries: 1, cacheHits: 100 });
      // approve() in this process: the changes let through on the cached answer are checked again
      approvalsCreated(events, agreementId);
      await ext.idle();
      expect(ext.stats()).toMatchObject({ queries: 2, invalidations: 1 });
    } finally {
      await ext.stop();
    }
  });

  test('while changes go on, one query every half TTL renews the cached answers of the agreements in use (no query per agreement)', async () => {
    const ttl = 600_000;
    const ext = createApprovalWatchExtension({ db: handle.db, sync, events }, { minIntervalMs: 0, noApprovalsTtlMs: ttl });
    try {
      change(ext);
      await ext.idle();
      expect(ext.stats().queries).toBe(1);
      await ext.renewCache(Date.now() + ttl / 4); // the answer is not half-way out yet: nothing to renew
      expect(ext.stats().renewals).toBe(0);
      change(ext);
      const soon = Date.now() + (ttl * 3) / 4; // within the last half of the answer's life, the agreement in use
      await ext.renewCache(soon);
      expect(ext.stats().renewals).toBe(1);
      // renewed from `soon` on: still trusted past the first answer's end
      await ext.renewCache(soon + ttl / 4);
      expect(ext.stats().renewals).toBe(1);
      for (let i = 0; i < 10; i++) change(ext);
      await ext.idle();
      expect(ext.stats()).toMatchObject({ queries: 1, renewals: 1 });
      // an agreement nobody changed for a whole TTL is left to run out
      await ext.renewCache(soon + ttl + ttl / 2);
      expect(ext.stats().renewals).toBe(1);
    } finally {
      await ext.stop();
    }
  });

  test('onDestroy (engine close) still checks the changes collected so far once, then takes no more', async () => {
    const ext = createApprovalWatchExtension({ db: handle.db, sync, events }, { minIntervalMs: 600_000, noApprovalsTtlMs: 0 });
    change(ext);
    await ext.idle(); // checked at once
    change(ext, 'u2'); // throttled: waits for the interval
    expect(ext.stats().queries).toBe(1);
    await ext.onDestroy!();
    expect(ext.stats().queries).toBe(2);
    change(ext);
    await new Promise((r) => setTimeout(r, 20));
    expect(ext.stats().queries).toBe(2);
  });
});
