/**
 * "An edit to an agreed section resets it and shows who changed it", enforced by the server: a client
 * that does not reset the marks itself (a plain y-websocket client) edits an agreed section; the server
 * withdraws the agreements and records the editor as lastResetBy. Edits to other sections leave marks alone.
 *
 * The guard batches: client changes are collected per agreement and checked with one withDocument per
 * interval (reading the document forces the sync engine to bring its copy up to date), tested below on
 * a hub stand-in over a real Y.Doc that counts withDocument calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  createInitialDocumentState,
  getSectionBody,
  getSectionMarks,
  listSections,
  setSectionAgreed,
  STANDARD_TEMPLATE,
  STANDARD_TEMPLATE_ID,
} from '@overens/model';
import { AGREED_RESET_ORIGIN, type AgreedResetDeps } from '../src/sections/agreed-reset.ts';
import { createAgreedGuardExtension, type AgreedGuardOptions } from '../src/sync/extensions/agreed-guard.ts';
import type { DocumentChangedListener, SyncHub } from '../src/sync/hub-contract.ts';
import type { SyncOrigin } from '../src/sync/origin.ts';
import type { Logger } from '../src/logger.ts';
import { setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { createTestDatabase, type TestDatabase } from './support/index.ts';

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

/**
 * A stand-in for the sync hub over one real Y.Doc: client edits are made on a replica and applied with
 * origin {kind:'client', userId}, listeners hear every change with its origin, withDocument is counted.
 */
function hubOver(agreementId: string) {
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    createInitialDocumentState({
      template: STANDARD_TEMPLATE,
      templateId: STANDARD_TEMPLATE_ID,
      templateVersion: 1,
      parties: [
        { id: 'org-ngo', name: 'Föreningen', kind: 'ideburen', orgNumber: '802480-1234' },
        { id: 'org-kommun', name: 'Kommunen', kind: 'kommun', orgNumber: '212000-1124', municipalityCode: '1280' },
      ],
    }),
  );
  const listeners = new Set<DocumentChangedListener>();
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    // Only the stand-in's own origins (typed by the test's callers) reach the doc.
    for (const l of listeners) l(agreementId, update, origin as SyncOrigin);
  });
  const calls = { withDocument: 0, withDocumentAfterStop: 0 };
  let stopped = false;
  let failing = false;
  const hub = {
    async withDocument(id: string, fn: (d: Y.Doc) => void, origin?: unknown) {
      expect(id).toBe(agreementId);
      calls.withDocument++;
      if (stopped) calls.withDocumentAfterStop++;
      if (failing) throw new Error('database down');
      await Promise.resolve();
      doc.transact(() => fn(doc), origin);
    },
    onDocumentChanged(listener: DocumentChangedListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as SyncHub;
  /** A client edit: a paragraph appended to a section's body by `userId`. */
  const type = (userId: string, sectionId: string, text: string) => {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const body = getSectionBody(replica, sectionId);
    const para = new Y.XmlElement('paragraph');
    para.insert(0, [new Y.XmlText(text)]);
    const sv = Y.encodeStateVector(doc);
    body.insert(body.length, [para]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica, sv), { kind: 'client', userId });
    replica.destroy();
  };
  /** A client marks a section agreed for a party. */
  const agree = (userId: string, sectionId: string, partyId: string) => {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(doc);
    setSectionAgreed(replica, sectionId, partyId, { partyId, userId, userName: 'x', at: new Date().toISOString() });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica, sv), { kind: 'client', userId });
    replica.destroy();
  };
  return {
    doc,
    hub,
    calls,
    type,
    agree,
    sections: () => listSections(doc).map((s) => s.id),
    agreedBy: (sectionId: string) => Object.keys(getSectionMarks(doc, sectionId).agreedBy),
    markAgreed: (sectionId: string) =>
      doc.transact(() => setSectionAgreed(doc, sectionId, 'org-ngo', { partyId: 'org-ngo', userId: C, userName: 'x', at: new Date().toISOString() }), 'setup'),
    stopHub: () => (stopped = true),
    fail: (on: boolean) => (failing = on),
  };
}

/** The guard extension, fed the stand-in hub's changes as the engine's onChange chain feeds it. */
function startGuard(deps: AgreedResetDeps, options: AgreedGuardOptions) {
  const ext = createAgreedGuardExtension(deps, options);
  const off = deps.sync.onDocumentChanged((agreementId, update, origin) => ext.onChange!({ agreementId, update, origin }));
  return {
    idle: () => ext.idle(),
    async stop() {
      off();
      await ext.stop();
    },
  };
}

function recordingLogger() {
  const warnings: string[] = [];
  const logger = { warn: (_o: unknown, msg: string) => warnings.push(msg), info() {}, debug() {}, error() {} } as unknown as Logger;
  return { logger, warnings };
}

// User ids are uuids (the guard looks their names up; these users do not exist: names stay empty).
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

describe('agreed-section guard batches the changes it checks', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database?.close();
  });
  const agreementId = '00000000-0000-4000-8000-000000000001';

  it('a burst of edits while nothing is agreed costs one withDocument, not one per edit', async () => {
    const h = hubOver(agreementId);
    const guard = startGuard({ db: database.db, sync: h.hub }, { intervalMs: 40 });
    try {
      const [first, second] = h.sections();
      for (let i = 0; i < 30; i++) h.type(i % 2 ? A : B, i % 3 ? first! : second!, `tecken ${i}`);
      expect(h.calls.withDocument).toBe(0); // nothing read per keystroke
      await guard.idle();
      expect(h.calls.withDocument).toBe(1);
    } finally {
      await guard.stop();
    }
  });

  it('resets every agreed section the batch edited, naming the last editor of each, in one check', async () => {
    const h = hubOver(agreementId);
    const [x, y, z] = h.sections();
    for (const id of [x!, y!, z!]) h.markAgreed(id);
    const guard = startGuard({ db: database.db, sync: h.hub }, { intervalMs: 40 });
    try {
      h.type(A, y!, 'A skriver i Y');
      h.type(A, x!, 'A skriver i X');
      h.type(B, y!, 'B skriver i Y, sist');
      await guard.idle();
      // One read for the check, one write for the resets.
      expect(h.calls.withDocument).toBe(2);
      expect(h.agreedBy(x!)).toEqual([]);
      expect(h.agreedBy(y!)).toEqual([]);
      expect(getSectionMarks(h.doc, x!).lastResetBy).toMatchObject({ userId: A });
      expect(getSectionMarks(h.doc, y!).lastResetBy).toMatchObject({ userId: B });
      // Untouched: still agreed, no reset recorded.
      expect(h.agreedBy(z!)).toEqual(['org-ngo']);
      expect(getSectionMarks(h.doc, z!).lastResetBy).toBeNull();
      // The reset itself (origin agreed-reset) is not checked again.
      expect(h.calls.withDocument).toBe(2);
    } finally {
      await guard.stop();
    }
  });

  it('an edit made before a section was agreed, in the same batch, does not withdraw that agreement', async () => {
    const h = hubOver(agreementId);
    const [x, y] = h.sections();
    h.markAgreed(y!);
    const guard = startGuard({ db: database.db, sync: h.hub }, { intervalMs: 40 });
    try {
      h.type(A, x!, 'A skriver i X');
      h.agree(B, x!, 'org-kommun'); // then B agrees to X as it now reads
      await guard.idle();
      expect(h.agreedBy(x!)).toEqual(['org-kommun']);
      expect(getSectionMarks(h.doc, x!).lastResetBy).toBeNull();
      // An edit after the agreement, in the next batch, does withdraw it.
      h.type(A, x!, 'A skriver igen');
      await guard.idle();
      expect(h.agreedBy(x!)).toEqual([]);
      expect(getSectionMarks(h.doc, x!).lastResetBy).toMatchObject({ userId: A });
    } finally {
      await guard.stop();
    }
  });

  it('checks again for edits that arrive during a check, and never before the interval', async () => {
    const h = hubOver(agreementId);
    const [x] = h.sections();
    const guard = startGuard({ db: database.db, sync: h.hub }, { intervalMs: 30 });
    try {
      h.type(A, x!, 'ett');
      await guard.idle();
      expect(h.calls.withDocument).toBe(1);
      h.markAgreed(x!);
      h.type(B, x!, 'två');
      h.type(B, x!, 'tre');
      await guard.idle();
      expect(h.calls.withDocument).toBe(3); // check + reset
      expect(getSectionMarks(h.doc, x!).lastResetBy).toMatchObject({ userId: B });
    } finally {
      await guard.stop();
    }
  });

  it('stop() drops collected changes: no withDocument after it', async () => {
    const h = hubOver(agreementId);
    const [x] = h.sections();
    h.markAgreed(x!);
    const guard = startGuard({ db: database.db, sync: h.hub }, { intervalMs: 20 });
    h.type(A, x!, 'precis före stopp');
    await guard.stop();
    h.stopHub();
    h.type(A, x!, 'efter stopp');
    await new Promise((r) => setTimeout(r, 60));
    expect(h.calls.withDocument).toBe(0);
    expect(h.agreedBy(x!)).toEqual(['org-ngo']);
  });

  it('stop() waits for a check in progress', async () => {
    const h = hubOver(agreementId);
    const [x] = h.sections();
    const guard = startGuard({ db: database.db, sync: h.hub }, { intervalMs: 1 });
    h.type(A, x!, 'text');
    await new Promise((r) => setTimeout(r, 10));
    await guard.stop();
    h.stopHub();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.calls.withDocumentAfterStop).toBe(0);
  });

  it('a failing check is logged, not thrown, and later edits are checked again', async () => {
    const h = hubOver(agreementId);
    const [x] = h.sections();
    h.markAgreed(x!);
    const { logger, warnings } = recordingLogger();
    const guard = startGuard({ db: database.db, sync: h.hub, logger }, { intervalMs: 10 });
    try {
      h.fail(true);
      h.type(A, x!, 'medan databasen är nere');
      await guard.idle();
      expect(warnings).toContain('agreed-section reset check failed');
      h.fail(false);
      h.type(A, x!, 'igen');
      await guard.idle();
      expect(h.agreedBy(x!)).toEqual([]);
    } finally {
      await guard.stop();
    }
  });

  it('ignores changes that are not client edits', async () => {
    const h = hubOver(agreementId);
    const [x] = h.sections();
    const guard = startGuard({ db: database.db, sync: h.hub }, { intervalMs: 10 });
    try {
      h.markAgreed(x!);
      await h.hub.withDocument(agreementId, (doc) => getSectionBody(doc, x!).insert(0, [new Y.XmlElement('paragraph')]), AGREED_RESET_ORIGIN);
      await new Promise((r) => setTimeout(r, 30));
      await guard.idle();
      expect(h.calls.withDocument).toBe(1); // only the call above
      expect(h.agreedBy(x!)).toEqual(['org-ngo']);
    } finally {
      await guard.stop();
    }
  });
});
