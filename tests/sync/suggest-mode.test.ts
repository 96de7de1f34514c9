/**
 * Suggest mode over the real sync endpoint (issue #16): a commenter's socket may only add suggestions.
 * Real server (PostgreSQL when DATABASE_URL is set, else PGlite), real y-websocket providers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  addSection,
  getSectionBody,
  getSectionMarks,
  getSectionRichBody,
  hasSection,
  listSuggestions,
  makeSuggestionId,
  paragraphsToRich,
  renameSection,
  richPlainText,
  setSectionAgreed,
  type RichNode,
} from '@overens/model';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { docFromUpdates, loadDocument } from '../../apps/server/src/sync/persistence.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { seed, type Seeded } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

let db: TestDatabase;
let server: RunningServer;
let s: Seeded;
const clients: TestClient[] = [];

function client(agreementId: string, user: string, doc?: Y.Doc): TestClient {
  const c = connectClient(server.url, agreementId, s.users[user]!.token, { doc });
  clients.push(c);
  return c;
}

/** The first paragraph's text node of a section body, in a client's document. */
function paragraphText(doc: Y.Doc, sectionId: string): Y.XmlText {
  const p = getSectionBody(doc, sectionId).get(0) as Y.XmlElement;
  return p.get(0) as Y.XmlText;
}

async function stored<T>(agreementId: string, read: (doc: Y.Doc) => T): Promise<T> {
  const doc = docFromUpdates((await loadDocument(server.deps.db, agreementId)).updates);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** The stored body of a section (null until the flush has written the section itself). */
async function storedBody(agreementId: string, sectionId: string): Promise<RichNode | null> {
  return stored(agreementId, (d) => (hasSection(d, sectionId) ? getSectionRichBody(d, sectionId) : null));
}

async function withSection(agreementId: string, title: string, text: string): Promise<string> {
  let id = '';
  await server.deps.sync.withDocument(agreementId, (doc) => {
    id = addSection(doc, { key: null, title, body: paragraphsToRich([text]) });
  });
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startInProcess(db);
  s = await seed(server.deps.db, {
    name: `suggest-${randomBytes(4).toString('hex')}`,
    agreements: 3,
    members: { editor: 'editor', commenter: 'commenter', viewer: 'viewer' },
  });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await db?.drop();
});

describe('suggest mode', () => {
  test("a commenter's suggestion is kept; their direct edit is refused with a reason and never persisted", async () => {
    const id = s.agreementIds[0]!;
    const sectionId = await withSection(id, 'Ersättning', 'Föreningen får 100 000 kronor per år.');
    const editor = client(id, 'editor');
    const commenter = client(id, 'commenter');
    await waitFor(() => synced(editor) && synced(commenter), 'synced');
    const mode = (c: TestClient) => (c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: { mode?: string } } | undefined)?.overensServer?.mode;
    await waitFor(() => mode(commenter) === 'suggest' && mode(editor) === 'edit', 'the server tells each socket its mode');

    // A suggestion: "minst " inserted, marked with the commenter's own id.
    const suggestionId = makeSuggestionId(s.users.commenter!.id);
    paragraphText(commenter.doc, sectionId).insert('Föreningen får '.length, 'minst ', { insertion: { id: suggestionId } });
    await waitFor(() => listSuggestions(getSectionRichBody(editor.doc, sectionId)).some((x) => x.id === suggestionId), 'the editor sees the suggestion');
    expect(commenter.closes).toEqual([]);

    // A direct edit: refused, the socket closed with the reason, nothing relayed.
    paragraphText(commenter.doc, sectionId).insert(0, 'HACK ');
    await waitFor(() => commenter.closes.some((c) => c.code === 4403 && c.reason.includes('direct edits are not allowed')), 'refused with a reason');

    // A marker edit from the editor afterwards: once it is stored, anything relayed would be too.
    paragraphText(editor.doc, sectionId).insert(paragraphText(editor.doc, sectionId).length, ' [editor]');
    await waitFor(
      async () => richPlainText((await storedBody(id, sectionId)) ?? { type: 'doc' }).includes('[editor]'),
      "the editor's edit is stored",
    );
    const body = await stored(id, (d) => getSectionRichBody(d, sectionId));
    expect(richPlainText(body)).toBe('Föreningen får minst 100 000 kronor per år. [editor]');
    expect(listSuggestions(body).map((x) => [x.id, x.kind, x.text])).toEqual([[suggestionId, 'insertion', 'minst ']]);
    expect(richPlainText(getSectionRichBody(editor.doc, sectionId))).not.toContain('HACK');

    // Outside a body (a section title) and a forged author are refused as well.
    const again = client(id, 'commenter');
    await waitFor(() => synced(again), 'reconnected');
    renameSection(again.doc, sectionId, 'Ersättning (ändrad)');
    await waitFor(() => again.closes.some((c) => c.code === 4403 && c.reason.includes('only the text of sections')), 'title change refused');
    const third = client(id, 'commenter');
    await waitFor(() => synced(third), 'reconnected again');
    paragraphText(third.doc, sectionId).insert(0, 'Enligt avtal ', { insertion: { id: makeSuggestionId(s.users.editor!.id) } });
    await waitFor(() => third.closes.some((c) => c.code === 4403 && c.reason.includes('must be your own')), 'forged author refused');

    // A viewer's socket stays read-only.
    const viewer = client(id, 'viewer');
    await waitFor(() => synced(viewer) && mode(viewer) === 'read', 'viewer reads');

    const later = client(id, 'editor');
    await waitFor(() => synced(later) && richPlainText(getSectionRichBody(later.doc, sectionId)).includes('[editor]'), 'fresh editor synced');
    expect(getSectionMarks(later.doc, sectionId)).toBeDefined();
    const title = await stored(id, (d) => (d.getMap('sections').get(sectionId) as Y.Map<unknown>).get('title'));
    expect(title).toBe('Ersättning');
    expect(richPlainText(getSectionRichBody(later.doc, sectionId))).toBe('Föreningen får minst 100 000 kronor per år. [editor]');
  });

  test("a commenter's cached state with a direct edit is refused on reconnect with the reason; a fresh client suggests", async () => {
    const id = s.agreementIds[2]!;
    const sectionId = await withSection(id, 'Lokaler', 'Föreningen hyr lokalen.');
    // What a browser's IndexedDB cache could hold: the document plus an edit the server never accepted.
    // Every later edit of that client depends on it, so it is refused and closed (the web then clears its
    // cache), not silently dropped.
    const cached = new Y.Doc();
    Y.applyUpdate(cached, Y.encodeStateAsUpdate(await server.deps.sync.getDocumentState(id)));
    paragraphText(cached, sectionId).insert(0, 'CACHED ');
    const editor = client(id, 'editor');
    const stale = client(id, 'commenter', cached);
    await waitFor(() => stale.closes.some((c) => c.code === 4403 && c.reason.includes('direct edits are not allowed')), 'the cached edit is refused');
    const fresh = client(id, 'commenter');
    await waitFor(() => synced(editor) && synced(fresh), 'synced');
    const suggestionId = makeSuggestionId(s.users.commenter!.id);
    paragraphText(fresh.doc, sectionId).insert(paragraphText(fresh.doc, sectionId).length, ' och förrådet', { insertion: { id: suggestionId } });
    await waitFor(() => listSuggestions(getSectionRichBody(editor.doc, sectionId)).some((x) => x.id === suggestionId), 'the suggestion arrives');
    await waitFor(async () => listSuggestions((await storedBody(id, sectionId)) ?? { type: 'doc' }).length === 1, 'the suggestion is stored');
    expect(await stored(id, (d) => richPlainText(getSectionRichBody(d, sectionId)))).toBe('Föreningen hyr lokalen. och förrådet');
    expect(fresh.closes).toEqual([]);
  });

  test('a section with an open suggestion cannot be marked agreed: the server withdraws the mark', async () => {
    const id = s.agreementIds[1]!;
    const withSuggestion = await withSection(id, 'Mål', 'Fler elever klarar skolan.');
    const without = await withSection(id, 'Uppföljning', 'Uppföljning sker varje år.');
    const editor = client(id, 'editor');
    const commenter = client(id, 'commenter');
    await waitFor(() => synced(editor) && synced(commenter), 'synced');
    paragraphText(commenter.doc, withSuggestion).insert('Fler elever '.length, 'i årskurs 9 ', { insertion: { id: makeSuggestionId(s.users.commenter!.id) } });
    await waitFor(() => listSuggestions(getSectionRichBody(editor.doc, withSuggestion)).length === 1, 'the editor sees the suggestion');

    const partyId = Object.keys(getSectionMarks(editor.doc, withSuggestion).agreedBy)[0] ?? (await partyOf(id));
    const mark = { partyId, userId: s.users.editor!.id, userName: 'editor', at: new Date().toISOString() };
    setSectionAgreed(editor.doc, withSuggestion, partyId, mark);
    setSectionAgreed(editor.doc, without, partyId, mark);
    await waitFor(() => Object.keys(getSectionMarks(editor.doc, withSuggestion).agreedBy).length === 0, 'the mark on the section with a suggestion is withdrawn');
    await waitFor(
      async () =>
        stored(id, (d) => hasSection(d, without) && hasSection(d, withSuggestion) && Object.keys(getSectionMarks(d, withSuggestion).agreedBy).length === 0 && !!getSectionMarks(d, without).agreedBy[partyId]),
      'stored: withdrawn there, kept on the other section',
    );
    expect(getSectionMarks(editor.doc, without).agreedBy[partyId]).toBeDefined();
  });
});

async function partyOf(agreementId: string): Promise<string> {
  const { agreementMembers } = await import('../../apps/server/src/db/schema/index.ts');
  const { eq } = await import('drizzle-orm');
  const [row] = await server.deps.db.select({ partyId: agreementMembers.partyId }).from(agreementMembers).where(eq(agreementMembers.agreementId, agreementId)).limit(1);
  return row!.partyId;
}
