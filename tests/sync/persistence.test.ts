/**
 * Persistence on the real database: initial state exactly once, snapshot + tail load, compaction
 * under the snapshot row lock (two compactions of the same agreement at once lose nothing).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { eq } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../../apps/server/src/db/client.ts';
import { migrateDatabase } from '../../apps/server/src/db/migrate.ts';
import { documentSnapshots, documentUpdates } from '../../apps/server/src/db/schema/documents.ts';
import { appendUpdate, appendUpdates, compact, docFromUpdates, loadDocument, storeInitialState } from '../../apps/server/src/sync/persistence.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { initialState, seed } from './support/seed.ts';

let tdb: TestDatabase;
let h: DatabaseHandle;
let h2: DatabaseHandle | null = null;

beforeAll(async () => {
  tdb = await createTestDatabase();
  h = await openDatabase({ databaseUrl: tdb.url, dataDir: null });
  await migrateDatabase(h);
  if (tdb.url) h2 = await openDatabase({ databaseUrl: tdb.url });
});
afterAll(async () => {
  await h2?.close();
  await h?.close();
  await tdb?.drop();
});

function textOf(updates: Uint8Array[]): string {
  const d = docFromUpdates(updates);
  const t = d.getText('text').toString();
  d.destroy();
  return t;
}

describe(`persistence (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  test('initial state is stored exactly once; load = snapshot + tail; compaction folds the tail', async () => {
    const s = await seed(h.db, { name: `persist-${randomBytes(4).toString('hex')}`, agreements: 1, members: { e: 'editor' }, initialText: 'Initial.' });
    const id = s.agreementIds[0]!;
    await expect(h.db.transaction((tx) => storeInitialState(tx, id, initialState('again')))).rejects.toThrow();

    const doc = docFromUpdates((await loadDocument(h.db, id)).updates);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 10; i++) doc.getText('text').insert(doc.getText('text').length, ` ${i}`);
    for (const u of updates) await appendUpdate(h.db, id, u);
    const loaded = await loadDocument(h.db, id);
    expect(loaded.hasSnapshot).toBe(true);
    expect(loaded.tailCount).toBe(10);
    expect(textOf(loaded.updates)).toBe(doc.getText('text').toString());

    const result = await h.db.transaction((tx) => compact(tx, id));
    expect(result.mergedRows).toBe(10);
    const after = await loadDocument(h.db, id);
    expect(after.tailCount).toBe(0);
    expect(textOf(after.updates)).toBe('Initial. 0 1 2 3 4 5 6 7 8 9');
    const [snap] = await h.db.select({ generation: documentSnapshots.generation }).from(documentSnapshots).where(eq(documentSnapshots.agreementId, id));
    expect(snap!.generation).toBe(1);
  });

  test('two compactions of the same agreement at once (two connections) lose nothing', async () => {
    const s = await seed(h.db, { name: `persist2-${randomBytes(4).toString('hex')}`, agreements: 1, members: { e: 'editor' }, initialText: '' });
    const id = s.agreementIds[0]!;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await loadDocument(h.db, id)).updates[0]!);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 40; i++) doc.getText('text').insert(0, String.fromCharCode(65 + (i % 26)));
    for (const u of updates.slice(0, 20)) await appendUpdate(h.db, id, u);
    const other = h2 ?? h; // PGlite has one connection: the lock is then trivially uncontended
    // compactions race while more rows are appended
    await Promise.all([
      h.db.transaction((tx) => compact(tx, id)),
      other.db.transaction((tx) => compact(tx, id)),
      (async () => {
        for (const u of updates.slice(20)) await appendUpdate(other.db, id, u);
      })(),
    ]);
    await h.db.transaction((tx) => compact(tx, id));
    const rows = await h.db.select({ id: documentUpdates.id }).from(documentUpdates).where(eq(documentUpdates.agreementId, id));
    expect(rows.length).toBe(0);
    expect(textOf((await loadDocument(h.db, id)).updates)).toBe(doc.getText('text').toString());
  });

  test('one flush INSERT stores the batches of several agreements byte for byte, in order; a bad stored row does not block loading', async () => {
    const s = await seed(h.db, { name: `persist3-${randomBytes(4).toString('hex')}`, agreements: 3, members: { e: 'editor' }, initialText: '' });
    const [a, b, c] = s.agreementIds as [string, string, string];
    const docs = new Map<string, { doc: Y.Doc; updates: Uint8Array[] }>();
    for (const id of [a, b, c]) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await loadDocument(h.db, id)).updates[0]!);
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      docs.set(id, { doc, updates });
    }
    // sizes from a few bytes to beyond 64 KiB; plain Uint8Arrays as well as Buffers
    docs.get(a)!.doc.getText('text').insert(0, 'å');
    docs.get(b)!.doc.getText('text').insert(0, 'x'.repeat(70_000));
    docs.get(c)!.doc.getText('text').insert(0, 'first');
    docs.get(c)!.doc.getText('text').insert(5, ' second');
    const rows = [
      { agreementId: a, update: new Uint8Array(docs.get(a)!.updates[0]!) },
      { agreementId: c, update: Buffer.from(docs.get(c)!.updates[0]!) },
      { agreementId: b, update: docs.get(b)!.updates[0]! },
      { agreementId: c, update: docs.get(c)!.updates[1]! },
    ];
    await appendUpdates(h.db, rows);
    for (const id of [a, b, c]) {
      const stored = await h.db.select({ update: documentUpdates.update }).from(documentUpdates).where(eq(documentUpdates.agreementId, id)).orderBy(documentUpdates.id);
      const expected = rows.filter((r) => r.agreementId === id).map((r) => Buffer.from(r.update).toString('hex'));
      expect(stored.map((r) => Buffer.from(r.update).toString('hex'))).toEqual(expected);
      expect(textOf((await loadDocument(h.db, id)).updates)).toBe(docs.get(id)!.doc.getText('text').toString());
    }
    await appendUpdates(h.db, []); // nothing to do, no error

    // a row Yjs cannot apply (e.g. written by hand) is skipped with a report, the rest still loads
    await appendUpdate(h.db, c, Uint8Array.of(1, 1, 200, 1, 0, 9));
    const bad: number[] = [];
    const loaded = await loadDocument(h.db, c);
    const doc = docFromUpdates(loaded.updates, new Y.Doc(), (_err, index) => bad.push(index));
    expect(doc.getText('text').toString()).toBe('first second');
    expect(bad).toEqual([loaded.updates.length - 1]);
  });
});
