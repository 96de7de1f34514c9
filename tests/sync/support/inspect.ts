/** Read what is persisted, directly from the database (after the servers stopped or in parallel). */
import * as Y from 'yjs';
import { openDatabase } from '../../../apps/server/src/db/client.ts';
import { documentUpdates } from '../../../apps/server/src/db/schema/documents.ts';
import { docFromUpdates, loadDocument } from '../../../apps/server/src/sync/persistence.ts';
import type { TestDatabase } from './db.ts';
import { eq } from 'drizzle-orm';

export async function withDb<T>(db: TestDatabase, fn: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ databaseUrl: db.url, dataDir: db.dataDir });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

/** The document as the database has it (snapshot + tail). */
export async function persistedText(db: TestDatabase, agreementId: string): Promise<string> {
  return withDb(db, async (h) => {
    const loaded = await loadDocument(h.db, agreementId);
    const doc = docFromUpdates(loaded.updates);
    const t = doc.getText('text').toString();
    doc.destroy();
    return t;
  });
}

/** Inserted characters summed over every update-log row (duplicated rows would count twice). */
export async function insertedCharsInLog(db: TestDatabase, agreementId: string): Promise<{ rows: number; chars: number }> {
  return withDb(db, async (h) => {
    const rows = await h.db.select({ update: documentUpdates.update }).from(documentUpdates).where(eq(documentUpdates.agreementId, agreementId));
    let chars = 0;
    for (const r of rows) {
      for (const s of Y.decodeUpdate(r.update).structs) {
        if (s instanceof Y.Item && s.content instanceof Y.ContentString) chars += s.length;
      }
    }
    return { rows: rows.length, chars };
  });
}

export function countChar(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
