import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addSection, getSectionBody, paragraphsToRich } from '@overens/model';
import type { Db } from '../../db/client.ts';
import { AGREED_RESET_ORIGIN } from '../../sections/agreed-reset.ts';
import type { SyncHub } from '../hub-contract.ts';
import { serverOrigin, type SyncOrigin } from '../origin.ts';
import { createAgreedGuardExtension } from './agreed-guard.ts';

/**
 * The guard's scheduling on the engine's onChange hook (the resets themselves, on a real server and on
 * a stand-in with a database, are in apps/server/test/agreed-reset.test.ts). Nothing here is agreed,
 * so a check reads the document once and never reaches the database.
 */
function setup(intervalMs: number) {
  const doc = new Y.Doc();
  const sectionId = addSection(doc, { key: null, title: 'Lokaler', body: paragraphsToRich(['Föreningen hyr lokalen.']) });
  const reads: unknown[] = [];
  const sync = {
    async withDocument(_id: string, fn: (d: Y.Doc) => void, origin?: unknown) {
      reads.push(origin);
      doc.transact(() => fn(doc), origin);
    },
  } as unknown as SyncHub;
  const ext = createAgreedGuardExtension({ db: null as unknown as Db, sync }, { intervalMs });
  const edit = (origin: SyncOrigin) => {
    const sv = Y.encodeStateVector(doc);
    getSectionBody(doc, sectionId).insert(0, [new Y.XmlElement('paragraph')]);
    ext.onChange!({ agreementId: 'a1', update: Y.encodeStateAsUpdate(doc, sv), origin });
  };
  const client = { kind: 'client', userId: 'u1', connection: {} } as unknown as SyncOrigin;
  return { ext, reads, edit, client };
}

describe('agreed-guard extension', () => {
  test('a burst of client changes is checked once per interval, under its own origin', async () => {
    const h = setup(20);
    try {
      for (let i = 0; i < 50; i++) h.edit(h.client);
      expect(h.reads).toEqual([]); // nothing per keystroke
      await h.ext.idle();
      expect(h.reads).toEqual([AGREED_RESET_ORIGIN]);
    } finally {
      await h.ext.stop();
    }
  });

  test("the server's own changes are not checked", async () => {
    const h = setup(1);
    try {
      h.edit(serverOrigin('import'));
      h.edit(AGREED_RESET_ORIGIN);
      await new Promise((r) => setTimeout(r, 20));
      await h.ext.idle();
      expect(h.reads).toEqual([]);
    } finally {
      await h.ext.stop();
    }
  });

  test('onDestroy (engine close) drops what is collected; later changes are ignored', async () => {
    const h = setup(20);
    h.edit(h.client);
    await h.ext.onDestroy!();
    h.edit(h.client);
    await new Promise((r) => setTimeout(r, 60));
    expect(h.reads).toEqual([]);
  });
});
