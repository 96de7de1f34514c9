/**
 * Write modes on a real server with real y-websocket clients (issue #16's contract with the sync
 * engine): editors 'edit', commenters 'suggest', viewers and locked agreements 'read', decided by the
 * policy and pushed to the socket when the role or the lock changes. A suggest-mode update goes
 * through beforeUpdate (with the document before it, the mode, the user and the party) and is refused
 * — clean close with a reason, never stored — unless an extension declares it validates suggest mode.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../apps/server/src/server.ts';
import { type Extension, SUGGEST_MODE_UNCHECKED } from '../../apps/server/src/sync/core/extension.ts';
import { SERVER_AWARENESS_ID } from '../../apps/server/src/sync/connection.ts';
import { docFromUpdates, loadDocument } from '../../apps/server/src/sync/persistence.ts';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { seed, setRole } from './support/seed.ts';
import { TEST_SYNC_ENV } from './support/server.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

type ServerState = { readOnly: boolean; mode: string; role: string; locked: boolean };
const serverState = (c: TestClient) => (c.provider.awareness.getStates().get(SERVER_AWARENESS_ID) as { overensServer?: ServerState } | undefined)?.overensServer;

async function start(extensions: Extension[]) {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  Object.assign(process.env, TEST_SYNC_ENV);
  const server: RunningServer = await startServer(
    { port: 0, host: '127.0.0.1', databaseUrl: db.url, dataDir: db.dataDir, redisUrl: null, logLevel: 'error', shutdownTimeoutMs: 2000 },
    // the bare core: the app's suggestions extension would validate (and refuse) these updates itself
    { syncOptions: { extensions }, appSyncExtensions: false },
  );
  cleanups.push(() => server.close());
  const s = await seed(server.deps.db, {
    name: `mode-${randomBytes(4).toString('hex')}`,
    agreements: 1,
    members: { editor: 'editor', commenter: 'commenter', viewer: 'viewer' },
    initialText: 'Start.',
  });
  const id = s.agreementIds[0]!;
  const open = (user: string) => {
    const c = connectClient(server.url, id, s.users[user]!.token);
    cleanups.push(() => c.destroy());
    return c;
  };
  const stored = async () => docFromUpdates((await loadDocument(server.deps.db, id)).updates).getText('text').toString();
  return { server, s, id, open, stored };
}

describe('write modes', () => {
  test('without a suggestion validator a commenter is in suggest mode and its edit is refused with a reason, never stored', async () => {
    const { open, stored } = await start([]);
    const editor = open('editor');
    const commenter = open('commenter');
    const viewer = open('viewer');
    await waitFor(() => [editor, commenter, viewer].every(synced), 'synced');
    await waitFor(() => serverState(commenter)?.mode === 'suggest' && serverState(viewer)?.mode === 'read' && serverState(editor)?.mode === 'edit', 'modes pushed');
    // plain edits are not accepted from a suggester: the current editor UI stays read-only for it
    expect(serverState(commenter)?.readOnly).toBe(true);
    expect(serverState(editor)?.readOnly).toBe(false);
    // connecting (a sync step 2 with nothing new) is not refused
    expect(commenter.closes).toEqual([]);

    commenter.text.insert(0, 'COMMENTER ');
    await waitFor(() => commenter.closes.some((c) => c.code === SUGGEST_MODE_UNCHECKED.code && c.reason === SUGGEST_MODE_UNCHECKED.reason), 'refused with the reason');
    editor.text.insert(editor.text.length, ' [editor]');
    await waitFor(async () => (await stored()) === 'Start. [editor]', "the editor's edit is stored");
    expect(editor.text.toString()).toBe('Start. [editor]');
  });

  test('with a validator, suggest-mode updates go through beforeUpdate (document before, mode, user, party); modes follow role and lock', async () => {
    const seen: { mode: string; userId: string; partyId: string; before: string }[] = [];
    const validator: Extension = {
      name: 'test-suggestions',
      validatesSuggestMode: true,
      beforeUpdate: ({ mode, userId, partyId, doc, update }) => {
        seen.push({ mode, userId, partyId, before: doc.getText('text').toString() });
        if (mode === 'suggest' && !Buffer.from(update).includes('SUGGEST')) return { code: 4403, reason: 'only suggestions' };
      },
    };
    const { server, s, id, open, stored } = await start([validator]);
    const editor = open('editor');
    const commenter = open('commenter');
    await waitFor(() => synced(editor) && synced(commenter) && serverState(commenter)?.mode === 'suggest', 'synced');

    commenter.text.insert(commenter.text.length, ' SUGGEST');
    await waitFor(() => editor.text.toString() === 'Start. SUGGEST', "the commenter's suggestion reaches the editor");
    await waitFor(async () => (await stored()) === 'Start. SUGGEST', 'and is stored');
    const mine = seen.filter((x) => x.mode === 'suggest');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ userId: s.users.commenter!.id, before: 'Start.' });
    expect(mine[0]!.partyId).toMatch(/[0-9a-f-]{36}/);
    editor.text.insert(0, '>');
    await waitFor(() => seen.some((x) => x.mode === 'edit' && x.userId === s.users.editor!.id && x.before === 'Start. SUGGEST'), "the editor's update is seen in edit mode");

    // the lock makes everyone read; unlocking gives the modes back
    await server.deps.sync.setLocked(id, true);
    await waitFor(() => serverState(commenter)?.mode === 'read' && serverState(editor)?.mode === 'read', 'locked: read');
    await server.deps.sync.setLocked(id, false);
    await waitFor(() => serverState(commenter)?.mode === 'suggest' && serverState(editor)?.mode === 'edit', 'unlocked');
    // a role change reaches the live socket
    await setRole(server.deps.db, id, s.users.commenter!.id, 'viewer');
    await server.deps.sync.membershipChanged(id, s.users.commenter!.id);
    await waitFor(() => serverState(commenter)?.mode === 'read', 'demoted to viewer: read');
    await setRole(server.deps.db, id, s.users.commenter!.id, 'editor');
    await server.deps.sync.membershipChanged(id, s.users.commenter!.id);
    await waitFor(() => serverState(commenter)?.mode === 'edit', 'promoted to editor: edit');

    // a plain edit from a suggester is refused by the validator, and goes nowhere
    await setRole(server.deps.db, id, s.users.commenter!.id, 'commenter');
    await server.deps.sync.membershipChanged(id, s.users.commenter!.id);
    await waitFor(() => serverState(commenter)?.mode === 'suggest', 'back to suggest');
    commenter.text.insert(0, 'PLAIN ');
    await waitFor(() => commenter.closes.some((c) => c.code === 4403 && c.reason === 'only suggestions'), 'plain edit refused');
    editor.text.insert(editor.text.length, '!');
    await waitFor(async () => (await stored()) === '>Start. SUGGEST!', 'only the accepted edits are stored');
    expect(editor.text.toString()).toBe('>Start. SUGGEST!');
  });
});
