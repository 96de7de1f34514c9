import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../db/client.ts';
import { openMigratedDatabase } from '../../db/migrate.ts';
import { silentLogger } from '../logger.ts';
import { createSyncMetrics } from '../metrics.ts';
import { docFromUpdates, loadDocument } from '../persistence.ts';
import { Room } from '../room.ts';
import { seed } from '../../../../../tests/sync/support/seed.ts';
import { PersistenceExtension } from './persistence.ts';

let handle: DatabaseHandle;
let agreementId: string;
beforeAll(async () => {
  handle = await openMigratedDatabase({ databaseUrl: null, dataDir: null, logger: silentLogger } as never);
  const s = await seed(handle.db, { name: 'persistence-extension', agreements: 1, members: { e: 'editor' }, initialText: 'Start.' });
  agreementId = s.agreementIds[0]!;
});
afterAll(async () => {
  await handle?.close();
});

const newRoom = () =>
  new Room(agreementId, 1 << 20, { onUpdate: () => {}, onLocalAwareness: () => {}, saveState: () => 'saved', onIntegrationError: () => {} }, createSyncMetrics());

describe('PersistenceExtension', () => {
  test('fills a document from the database, queues changes made here, flushes them before an unload, and reports the save state', async () => {
    const stored: number[] = [];
    const p = new PersistenceExtension({ db: handle.db, isLocked: async () => true, logger: silentLogger, metrics: createSyncMetrics(), flushIntervalMs: 60_000 });
    p.onConfigure({ saveStateChanged: () => {}, stored: ({ seq }: { seq: number }) => void stored.push(seq) } as never);
    const room = newRoom();
    await p.onLoadDocument({ agreementId, document: room, doc: room.doc });
    expect(room.doc.getText('text').toString()).toBe('Start.');
    expect(room.locked).toBe(true);

    const edit = docFromUpdates([Y.encodeStateAsUpdate(room.doc)]);
    const sv = Y.encodeStateVector(edit);
    edit.getText('text').insert(6, ' more');
    const update = Y.encodeStateAsUpdate(edit, sv);
    p.onChange({ agreementId, update, origin: { kind: 'peer', processId: 'x', state: false } });
    expect(p.hasPending(agreementId)).toBe(false); // a peer's change is persisted where it entered
    p.onChange({ agreementId, update, origin: { kind: 'client', userId: 'u', connection: {} } });
    expect(p.saveState(agreementId, 'exact')).toBe('saving');
    expect(p.saveState(agreementId, 'coarse')).toBe('saved'); // not yet 2 s old
    expect(await p.beforeUnload({ agreementId })).toBe(true);
    expect(p.saveState(agreementId, 'exact')).toBe('saved');
    expect(docFromUpdates((await loadDocument(handle.db, agreementId)).updates).getText('text').toString()).toBe('Start. more');
    expect(stored.length).toBe(1);
    p.onUnload({ agreementId });
    await p.close();
    room.destroy();
  });

  test('with the cluster channel it no longer persists changes itself (the lease holder hands them back)', async () => {
    const p = new PersistenceExtension({ db: handle.db, isLocked: async () => false, logger: silentLogger, metrics: createSyncMetrics(), flushIntervalMs: 60_000 });
    p.handChangesToChannel();
    p.onChange({ agreementId, update: new Uint8Array([0, 0]), origin: { kind: 'client', userId: 'u', connection: {} } });
    expect(p.hasPending(agreementId)).toBe(false);
    p.enqueue(agreementId, new Uint8Array([0, 0]), 1);
    expect(p.hasPending(agreementId)).toBe(true);
    p.onUnload({ agreementId });
    await p.close();
  });
});
