/**
 * A document stored before the link rule existed may hold a link the rule refuses. Opening it cleans
 * the link as a server change (persisted and sent to the clients), so no editor keeps re-sending it —
 * and no stored document keeps it.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { appendUpdate, docFromUpdates, loadDocument } from '../../apps/server/src/sync/persistence.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { seed, type Seeded } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

let db: TestDatabase;
let server: RunningServer;
let s: Seeded;
let client: TestClient | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startInProcess(db);
  s = await seed(server.deps.db, { name: `sweep-${randomBytes(4).toString('hex')}`, agreements: 1, members: { editor: 'editor' }, initialText: 'Start. ' });
  // An old write straight into the log, as before the rule: one refused link and one allowed.
  const old = docFromUpdates((await loadDocument(server.deps.db, s.agreementIds[0]!)).updates);
  const before = Y.encodeStateVector(old);
  old.getText('text').insert(7, 'klicka', { link: { href: 'javascript:alert(1)' } });
  old.getText('text').insert(13, ' och ');
  old.getText('text').insert(18, 'kommunen', { link: { href: 'https://kommun.se' } });
  await appendUpdate(server.deps.db, s.agreementIds[0]!, Y.encodeStateAsUpdate(old, before));
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
  await db?.drop();
});

const links = (t: Y.Text) =>
  (t.toDelta() as Array<{ insert: string; attributes?: { link?: { href: string } } }>).filter((op) => op.attributes?.link).map((op) => op.attributes!.link!.href);

test('opening a stored document removes the links the rule refuses, keeping their text and the allowed ones', async () => {
  client = connectClient(server.url, s.agreementIds[0]!, s.users.editor!.token);
  await waitFor(() => synced(client!), 'the client to sync');
  await waitFor(() => client!.text.toString() === 'Start. klicka och kommunen' && links(client!.text).length === 1, 'the cleaned document at the client');
  expect(links(client.text)).toEqual(['https://kommun.se']);
  // …and in the database, once flushed.
  await waitFor(async () => {
    const loaded = await loadDocument(server.deps.db, s.agreementIds[0]!);
    const doc = docFromUpdates(loaded.updates);
    const stored = links(doc.getText('text'));
    doc.destroy();
    return stored.length === 1 && stored[0] === 'https://kommun.se';
  }, 'the cleaned document in the database');
});
