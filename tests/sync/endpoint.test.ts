/**
 * The sync endpoint against a real server (PostgreSQL when DATABASE_URL is set, else PGlite) with
 * real y-websocket WebsocketProvider clients.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { docFromUpdates, loadDocument } from '../../apps/server/src/sync/persistence.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { connectClient, synced, tryUpgrade, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { seed, type Seeded } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

let db: TestDatabase;
let server: RunningServer;
let s: Seeded;
const clients: TestClient[] = [];

function client(agreementId: string, user: string, awareness?: Record<string, unknown>): TestClient {
  const u = s.users[user]!;
  const c = connectClient(server.url, agreementId, u.token, { awareness });
  clients.push(c);
  return c;
}

async function dbText(agreementId: string): Promise<string> {
  const loaded = await loadDocument(server.deps.db, agreementId);
  const doc = docFromUpdates(loaded.updates);
  const t = doc.getText('text').toString();
  doc.destroy();
  return t;
}

async function waitSaved(agreementId: string): Promise<void> {
  await waitFor(() => {
    const st = server.deps.sync.documentStatus(agreementId);
    return st.state === 'saved' && st.pendingBytes === 0;
  }, 'document saved');
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startInProcess(db);
  s = await seed(server.deps.db, {
    name: `endpoint-${randomBytes(4).toString('hex')}`,
    agreements: 3,
    members: { e1: 'editor', e2: 'editor', e3: 'editor', e4: 'editor', e5: 'editor', e6: 'editor', commenter: 'commenter', viewer: 'viewer' },
    initialText: 'Start.',
  });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await db?.drop();
});

describe('sync endpoint', () => {
  test('five clients editing concurrently converge; a sixth joining later receives everything; the database has it', async () => {
    const id = s.agreementIds[0]!;
    const five = ['e1', 'e2', 'e3', 'e4', 'e5'].map((u) => client(id, u));
    await waitFor(() => five.every(synced), 'five clients synced');
    expect(five.every((c) => c.text.toString() === 'Start.')).toBe(true);
    // concurrent edits: every client inserts at random positions, interleaved
    const perClient = 40;
    for (let round = 0; round < perClient; round++) {
      five.forEach((c, i) => {
        const t = c.text;
        t.insert(Math.floor(Math.random() * (t.length + 1)), String.fromCharCode(49 + i));
      });
      if (round % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }
    const expectedLength = 'Start.'.length + 5 * perClient;
    await waitFor(() => five.every((c) => c.text.length === expectedLength), 'all edits everywhere');
    const final = five[0]!.text.toString();
    expect(five.map((c) => c.text.toString())).toEqual(five.map(() => final));
    for (let i = 0; i < 5; i++) expect(final.split(String.fromCharCode(49 + i)).length - 1).toBe(perClient);

    const late = client(id, 'e6');
    await waitFor(() => synced(late) && late.text.length === expectedLength, 'late client synced');
    expect(late.text.toString()).toBe(final);

    await waitSaved(id);
    expect(await dbText(id)).toBe(final);

    // the save status route (members only)
    const res = await fetch(`${server.url}/api/agreements/${id}/sync-status`, { headers: { cookie: `overens_session=${s.users.e1!.token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ agreementId: id, state: 'saved', loaded: true, pendingBytes: 0, database: 'up' });
    const outsider = await fetch(`${server.url}/api/agreements/${id}/sync-status`, { headers: { cookie: `overens_session=${s.outsider.token}` } });
    expect(outsider.status).toBe(404);
  });

  test("a viewer's and a commenter's edits never reach others or the database; their presence does", async () => {
    const id = s.agreementIds[1]!;
    const editor = client(id, 'e1', { user: { name: 'e1' } });
    const viewer = client(id, 'viewer', { user: { name: 'viewer' } });
    const commenter = client(id, 'commenter', { user: { name: 'commenter' } });
    await waitFor(() => [editor, viewer, commenter].every(synced), 'synced');

    // presence: the editor sees both read-only users, and they see the editor
    const names = (c: TestClient) => [...c.provider.awareness.getStates().values()].map((st) => (st as { user?: { name: string } }).user?.name).filter(Boolean);
    await waitFor(() => ['viewer', 'commenter'].every((n) => names(editor).includes(n)), 'editor sees viewer and commenter presence');
    await waitFor(() => names(viewer).includes('e1') && names(commenter).includes('commenter'), 'read-only users see presence');

    // the server peer tells them they are read-only
    const serverState = (c: TestClient) => c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: { readOnly: boolean; role: string } } | undefined;
    await waitFor(() => serverState(viewer)?.overensServer?.readOnly === true && serverState(commenter)?.overensServer?.readOnly === true, 'read-only notice');
    expect(serverState(editor)?.overensServer?.readOnly).toBe(false);

    viewer.text.insert(0, 'VIEWER-EDIT ');
    commenter.text.insert(0, 'COMMENTER-EDIT ');
    // a marker edit from the editor afterwards: once it arrives everywhere, anything relayed would have too
    editor.text.insert(editor.text.length, ' [editor]');
    await waitFor(() => viewer.text.toString().includes('[editor]'), 'editor change reaches read-only users');
    // a commenter's socket is in suggest mode (issue #16): a direct edit closes it (suggest-mode.test.ts)
    await waitFor(() => commenter.closes.some((c) => c.code === 4403), "the commenter's direct edit is refused");
    // a fresh editor connection: the server state is what others get
    const other = client(id, 'e2');
    await waitFor(() => synced(other) && other.text.toString().includes('[editor]'), 'second editor synced');
    for (const c of [editor, other]) {
      expect(c.text.toString()).not.toContain('VIEWER-EDIT');
      expect(c.text.toString()).not.toContain('COMMENTER-EDIT');
    }
    // reconnecting read-only clients push their local change as sync step 2: still dropped
    viewer.provider.disconnect();
    viewer.provider.connect();
    await waitFor(() => synced(viewer), 'viewer reconnected');
    editor.text.insert(editor.text.length, ' [again]');
    await waitFor(() => other.text.toString().includes('[again]') && viewer.text.toString().includes('[again]'), 'marker 2');
    expect(other.text.toString()).not.toContain('VIEWER-EDIT');

    await waitSaved(id);
    const stored = await dbText(id);
    expect(stored).toBe('Start. [editor] [again]');
    expect(stored).not.toContain('VIEWER');
  });

  test('changing a role or removing a member through the API reaches the live socket', async () => {
    const id = s.agreementIds[2]!;
    const owner = client(id, 'e1');
    const member = client(id, 'e4');
    await waitFor(() => synced(owner) && synced(member), 'synced');
    const state = (c: TestClient) => (c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: { readOnly: boolean; role: string } } | undefined)?.overensServer;
    await waitFor(() => state(member)?.readOnly === false, 'member is an editor');
    const headers = { cookie: `overens_session=${s.users.e1!.token}`, origin: server.url, 'content-type': 'application/json' };
    const patch = await fetch(`${server.url}/api/agreements/${id}/members/${s.users.e4!.id}`, { method: 'PATCH', headers, body: JSON.stringify({ role: 'viewer' }) });
    expect(patch.status).toBe(200);
    await waitFor(() => state(member)?.readOnly === true && state(member)?.role === 'viewer', 'demoted member is read-only');
    member.text.insert(0, 'AFTER-DEMOTION ');
    owner.text.insert(0, '*');
    await waitFor(() => member.text.toString().includes('*'), 'owner edit arrives');
    const del = await fetch(`${server.url}/api/agreements/${id}/members/${s.users.e4!.id}`, { method: 'DELETE', headers });
    expect(del.status).toBe(204);
    await waitFor(() => member.closes.some((c) => c.code === 4403), 'removed member disconnected');
    expect(owner.text.toString()).not.toContain('AFTER-DEMOTION');
  });

  test('logged-out, non-member and foreign-origin upgrades are refused before the protocol starts', async () => {
    const id = s.agreementIds[2]!;
    const host = new URL(server.url).host;
    expect((await tryUpgrade(server.url, id, {})).status).toBe(401);
    expect((await tryUpgrade(server.url, id, { cookie: 'overens_session=not-a-real-session-token-xxxxxxxx' })).status).toBe(401);
    expect((await tryUpgrade(server.url, id, { cookie: `overens_session=${s.outsider.token}` })).status).toBe(404);
    // an agreement that does not exist looks the same as one you are not a member of
    expect((await tryUpgrade(server.url, '00000000-0000-4000-8000-000000000000', { cookie: `overens_session=${s.users.e1!.token}` })).status).toBe(404);
    expect((await tryUpgrade(server.url, id, { cookie: `overens_session=${s.users.e1!.token}`, origin: 'https://evil.example' })).status).toBe(403);
    expect((await tryUpgrade(server.url, id, { cookie: `overens_session=${s.users.e1!.token}`, origin: `http://${host}` })).status).toBe(101);
    expect((await tryUpgrade(server.url, id, { cookie: `overens_session=${s.users.viewer!.token}` })).status).toBe(101);
  });
});

// keep the import used for type-only Y in editors
void Y;
