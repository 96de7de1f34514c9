/**
 * "An edit to an agreed section resets it and shows who changed it", enforced by the server: a client
 * that does not reset the marks itself (a plain y-websocket client) edits an agreed section; the server
 * withdraws the agreements and records the editor as lastResetBy. Edits to other sections leave marks alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { getSectionBody, getSectionMarks, listSections, setSectionAgreed } from '@overens/model';
import { setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

function connect(server: TestServer, session: Session, agreementId: string) {
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: session.cookie, origin: server.url } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, agreementId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return { doc, provider, synced };
}

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
}

describe.each(drivers)('agreed sections reset on edit, on the server (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  beforeAll(async () => {
    server = await startServerOn(driver);
    p = await setUpTwoParties(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('withdraws every party’s agreement when an editor changes the section text, and records who', async () => {
    const live = () => server.deps.sync.getDocumentState(p.agreementId);
    const [first, second] = listSections(await live());
    const mark = (partyId: string) => ({ partyId, userId: p.ngo.userId, userName: 'x', at: new Date().toISOString() });
    await server.deps.sync.withDocument(p.agreementId, (doc) => {
      for (const s of [first!, second!]) {
        setSectionAgreed(doc, s.id, p.ngoOrgId, mark(p.ngoOrgId));
        setSectionAgreed(doc, s.id, p.kommunOrgId, mark(p.kommunOrgId));
      }
    });

    const client = connect(server, p.kommun, p.agreementId);
    await client.synced;
    try {
      // A plain client: it edits the first section's body and does nothing about the marks.
      const body = getSectionBody(client.doc, first!.id);
      const para = new Y.XmlElement('paragraph');
      para.insert(0, [new Y.XmlText('Kommunen ändrar texten.')]);
      body.insert(body.length, [para]);

      await until(async () => Object.keys(getSectionMarks(await live(), first!.id).agreedBy).length === 0);
      const marks = getSectionMarks(await live(), first!.id);
      expect(marks.lastResetBy).toMatchObject({ userId: p.kommun.userId, userName: 'Kalle Kommun', partyId: p.kommunOrgId });
      // The other agreed section was not touched: still agreed by both.
      expect(Object.keys(getSectionMarks(await live(), second!.id).agreedBy).sort()).toEqual([p.kommunOrgId, p.ngoOrgId].sort());
      // And the client sees the reset too.
      await until(() => Object.keys(getSectionMarks(client.doc, first!.id).agreedBy).length === 0);
    } finally {
      client.provider.destroy();
      client.doc.destroy();
    }
  });
});
