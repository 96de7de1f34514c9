/**
 * Presence that cannot be forged, against a real server with real y-websocket clients: a socket may
 * only write the awareness client ids it introduced, and the server stamps the user's real id, name
 * and party onto every relayed state.
 */
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { encodeAwareness, encodeAwarenessEntries, encodeUpdate } from '../../apps/server/src/sync/protocol.ts';
import { cookieWebSocket, connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { seed, type Seeded } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

let db: TestDatabase;
let server: RunningServer;
let s: Seeded;
const clients: TestClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startInProcess(db);
  s = await seed(server.deps.db, { name: `presence-${randomBytes(4).toString('hex')}`, agreements: 3, members: { editor: 'editor', other: 'editor', viewer: 'viewer' }, initialText: 'Start.' });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await db?.drop();
});

function client(agreementId: string, user: string, awareness?: Record<string, unknown>): TestClient {
  const c = connectClient(server.url, agreementId, s.users[user]!.token, { awareness });
  clients.push(c);
  return c;
}

type User = { name?: string; userId?: string; partyId?: string; color?: string };
const userOf = (seenBy: TestClient, of: TestClient) => (seenBy.provider.awareness.getStates().get(of.doc.clientID) as { user?: User } | undefined)?.user;


describe('presence', () => {
  test('a client lying about who it is is relayed with its real name, id and party', async () => {
    const id = s.agreementIds[0]!;
    const liar = client(id, 'editor', { user: { name: 'The Mayor', userId: s.users.other!.id, partyId: 'someone-else', color: '#1d70b8' }, sectionId: 'syfte' });
    const watcher = client(id, 'other');
    await waitFor(() => synced(liar) && synced(watcher), 'synced');
    await waitFor(() => userOf(watcher, liar) !== undefined, 'watcher sees the liar');
    const u = userOf(watcher, liar)!;
    expect(u.name).toBe('editor');
    expect(u.userId).toBe(s.users.editor!.id);
    expect(u.partyId).not.toBe('someone-else');
    expect(u.partyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(u.color).toBe('#1d70b8'); // a plain colour is kept (the web app colours carets by party)
    // the client's other fields are its own
    expect((watcher.provider.awareness.getStates().get(liar.doc.clientID) as { sectionId?: string }).sectionId).toBe('syfte');
  });

  test("a viewer that sends awareness for an editor's client id is closed (4403); the editor's presence is unchanged for the others", async () => {
    const id = s.agreementIds[1]!;
    const editor = client(id, 'editor', { user: { name: 'editor' } });
    const watcher = client(id, 'other');
    await waitFor(() => synced(editor) && synced(watcher), 'synced');
    await waitFor(() => userOf(watcher, editor)?.name === 'editor', 'watcher sees the editor');
    const editorClock = editor.provider.awareness.meta.get(editor.doc.clientID)!.clock;

    const Ws = cookieWebSocket(s.users.viewer!.token);
    const viewer = new Ws(server.url.replace(/^http/, 'ws') + '/sync/' + id);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => viewer.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise<void>((resolve, reject) => {
      viewer.once('open', () => resolve());
      viewer.once('error', reject);
    });
    viewer.send(awarenessMessage(editor.doc.clientID, editorClock + 10, { user: { name: 'HACKED', color: '#000000' }, sectionId: 'ekonomi' }));
    expect(await closed).toEqual({ code: 4403, reason: 'awareness for another client' });

    // the editor, still connected, changes its own presence: it still may, and the watcher sees the
    // editor's real state, never the viewer's
    editor.provider.awareness.setLocalStateField('sectionId', 'syfte');
    await waitFor(() => (watcher.provider.awareness.getStates().get(editor.doc.clientID) as { sectionId?: string } | undefined)?.sectionId === 'syfte', 'editor presence update');
    expect(userOf(watcher, editor)?.name).toBe('editor');
    expect(editor.closes).toEqual([]);
    const late = client(id, 'other');
    await waitFor(() => synced(late) && userOf(late, editor) !== undefined, 'late client sees the editor');
    expect(userOf(late, editor)?.name).toBe('editor');
  });

  test('a renewal (the same state with a new clock) reaches the others with its stamp, alone or with the next update; nobody else may renew an id', async () => {
    const id = s.agreementIds[2]!;
    const seen: { clientID: number; clock: number; state: { user?: User; cursor?: number } | null }[] = [];
    const open = async (user: string, onFrame?: (data: Uint8Array) => void) => {
      const Ws = cookieWebSocket(s.users[user]!.token);
      const ws: WebSocket = new Ws(server.url.replace(/^http/, 'ws') + '/sync/' + id);
      if (onFrame) ws.on('message', (data: Buffer) => onFrame(new Uint8Array(data)));
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      return ws;
    };
    const watcher = await open('other', (data) => {
      const d = decoding.createDecoder(data);
      if (decoding.readVarUint(d) !== 1) return;
      const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
      for (let n = decoding.readVarUint(inner); n > 0; n--) {
        const clientID = decoding.readVarUint(inner);
        const clock = decoding.readVarUint(inner);
        seen.push({ clientID, clock, state: JSON.parse(decoding.readVarString(inner)) });
      }
    });
    const editor = await open('editor');
    const doc = new Y.Doc();
    const me = doc.clientID;
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const state = { user: { name: 'The Mayor' }, cursor: 7 };
    const heard = (clock: number) => seen.find((e) => e.clientID === me && e.clock === clock);
    try {
      editor.send(awarenessMessage(me, 1, state));
      await waitFor(() => heard(1) !== undefined, 'the state');
      expect(heard(1)!.state?.user?.name).toBe('editor');
      // a renewal on its own is relayed after a short wait
      editor.send(awarenessMessage(me, 2, state));
      await waitFor(() => heard(2) !== undefined, 'the renewal, alone');
      expect(heard(2)!.state).toEqual(heard(1)!.state);
      // a renewal and a keystroke: both arrive
      editor.send(awarenessMessage(me, 3, state));
      doc.getText('text').insert(0, 'x');
      editor.send(encodeUpdate(updates.at(-1)!));
      await waitFor(() => heard(3) !== undefined, 'the renewal, with an update');
      expect(heard(3)!.state).toEqual(heard(1)!.state);
      // the same bytes from another user's socket are a forgery, renewal or not
      const Ws = cookieWebSocket(s.users.viewer!.token);
      const viewer: WebSocket = new Ws(server.url.replace(/^http/, 'ws') + '/sync/' + id);
      const closed = new Promise<number>((resolve) => viewer.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve) => viewer.once('open', () => resolve()));
      viewer.send(awarenessMessage(me, 4, { ...state, user: { name: 'editor', userId: s.users.editor!.id, partyId: heard(1)!.state!.user!.partyId } }));
      viewer.send(awarenessMessage(me, 4, state));
      expect(await closed).toBe(4403);
      editor.send(awarenessMessage(me, 5, state));
      await waitFor(() => heard(5) !== undefined, 'the owner renews again');
      expect(heard(4)).toBeUndefined();
    } finally {
      editor.terminate();
      watcher.terminate();
    }
  }, 30_000);
});

/** A y-protocols awareness message with one entry (any client id, any clock), framed as the server frames its own. */
function awarenessMessage(clientID: number, clock: number, state: unknown): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries([{ clientID, clock, state }]));
}
