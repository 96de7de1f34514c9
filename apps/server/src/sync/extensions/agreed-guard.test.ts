import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { addSection, getSectionBody, paragraphsToRich } from '@overens/model';
import type { Db } from '../../db/client.ts';
import { AGREED_RESET_ORIGIN } from '../../sections/agreed-reset.ts';
import type { SyncHub } from '../hub-contract.ts';
import { createSyncMetrics } from '../metrics.ts';
import { serverOrigin, toSyncOrigin, type SyncOrigin } from '../origin.ts';
import { Room } from '../room.ts';
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

describe('agreed-guard extension on a real room', () => {
  test('once a check found no section agreed, typing is not checked again until a change may set a map key', async () => {
    const reads: unknown[] = [];
    const clientOrigin = { kind: 'client', userId: 'u1', connection: {} } as unknown as SyncOrigin;
    let ext!: ReturnType<typeof createAgreedGuardExtension>;
    const room = new Room('a1', 32 * 1024 * 1024, {
      onUpdate: (r, update, origin) => ext.onChange!({ agreementId: 'a1', update, origin, document: r }),
      onLocalAwareness: () => {},
      saveState: () => 'saved',
      onIntegrationError: () => {},
    }, createSyncMetrics());
    const sync = {
      async withDocument(_id: string, fn: (d: Y.Doc) => void, origin?: unknown) {
        reads.push(origin);
        room.change(fn, toSyncOrigin(origin));
      },
    } as unknown as SyncHub;
    ext = createAgreedGuardExtension({ db: null as unknown as Db, sync }, { intervalMs: 1 });
    // a client that has the room's document and edits it
    const client = new Y.Doc();
    const sectionId = addSection(client, { key: null, title: 'Lokaler', body: paragraphsToRich(['Föreningen hyr lokalen.']) });
    const send = (edit: () => void) => {
      const sv = Y.encodeStateVector(client);
      edit();
      const update = Y.encodeStateAsUpdate(client, sv);
      const decoded = Y.decodeUpdate(update);
      if (room.isNew(decoded)) room.accept(update, clientOrigin, undefined, decoded);
      else room.applyNow(update, clientOrigin);
    };
    const text = () => (getSectionBody(client, sectionId).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    try {
      Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(client)); // as loaded from the database
      send(() => text().insert(0, 'a'));
      await ext.idle();
      expect(reads).toHaveLength(1); // nothing agreed: remembered
      for (let i = 0; i < 30; i++) send(() => text().insert(0, 'b'));
      send(() => text().delete(0, 3));
      await new Promise((r) => setTimeout(r, 10));
      await ext.idle();
      expect(reads).toHaveLength(1); // typing and deleting cannot make a section agreed
      // a new paragraph with an attribute sets a map key: checked again
      send(() => getSectionBody(client, sectionId).insert(1, [new Y.XmlElement('paragraph')]));
      send(() => (getSectionBody(client, sectionId).get(1) as Y.XmlElement).setAttribute('align', 'left'));
      await new Promise((r) => setTimeout(r, 10));
      await ext.idle();
      expect(reads).toHaveLength(2);
    } finally {
      await ext.stop();
      room.destroy();
    }
  });
});
