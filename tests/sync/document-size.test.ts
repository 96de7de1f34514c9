/**
 * The document size limit counts the document, not every message ever received: 20,000 keystrokes
 * are ~500 KB of update messages but a ~20 KB document, so they fit a 200 KB limit.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { seed, type Seeded } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

let db: TestDatabase;
let server: RunningServer;
let s: Seeded;
const clients: TestClient[] = [];
const LIMIT = 200_000;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startInProcess(db, { env: { OVERENS_SYNC_MAX_DOCUMENT_BYTES: String(LIMIT) } });
  s = await seed(server.deps.db, { name: `docsize-${randomBytes(4).toString('hex')}`, agreements: 1, members: { a: 'editor', b: 'editor' }, initialText: '' });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await db?.drop();
  delete process.env.OVERENS_SYNC_MAX_DOCUMENT_BYTES;
});

describe('document size limit', () => {
  test('many small edits whose messages add up past the limit, in a document well under it, are all accepted', async () => {
    const id = s.agreementIds[0]!;
    const a = connectClient(server.url, id, s.users.a!.token);
    const b = connectClient(server.url, id, s.users.b!.token);
    clients.push(a, b);
    await waitFor(() => synced(a) && synced(b), 'synced');
    const n = 20_000;
    let messageBytes = 0;
    a.doc.on('update', (u: Uint8Array) => (messageBytes += u.byteLength));
    for (let i = 0; i < n; i++) {
      a.text.insert(a.text.length, String.fromCharCode(97 + (i % 26)));
      if (i % 2000 === 1999) await new Promise((r) => setTimeout(r, 10));
    }
    expect(messageBytes).toBeGreaterThan(LIMIT);
    await waitFor(() => b.text.length === n || a.closes.length > 0, 'all edits relayed');
    expect(a.closes).toEqual([]);
    expect(b.text.toString()).toBe(a.text.toString());
  });
});
