/**
 * Room: relay first, integrate later. Accepted updates go out and to the hooks at once, the
 * server's Y.Doc integrates them only when read (or once the backlog is long), and the changes
 * the server applies itself (sync step 2, withDocument) are captured so only what is new goes on.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { SaveState } from './hub-contract.ts';
import { createSyncMetrics } from './metrics.ts';
import { Room, type RoomHooks } from './room.ts';
import { serverOrigin, type SyncOrigin } from './origin.ts';

const CLIENT_A: SyncOrigin = { kind: 'client', userId: 'a', connection: {} };
const CLIENT_BAD: SyncOrigin = { kind: 'client', userId: 'bad', connection: {} };
const SERVER = serverOrigin('change');

function makeRoom() {
  const seen: { update: Uint8Array; origin: unknown }[] = [];
  const integrationErrors: unknown[] = [];
  const hooks: RoomHooks = {
    onUpdate: (_room, update, origin) => seen.push({ update, origin }),
    onLocalAwareness: () => {},
    saveState: (): SaveState => 'saved',
    onIntegrationError: (_room, _err, origin) => integrationErrors.push(origin),
  };
  const room = new Room('agreement', 32 * 1024 * 1024, hooks, createSyncMetrics());
  return { room, seen, integrationErrors };
}

/** Updates a real client produces while typing `text` one character at a time. */
function typing(text: string, clientID = 7): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const ch of text) doc.getText('t').insert(doc.getText('t').length, ch);
  return { doc, updates };
}

function accept(room: Room, update: Uint8Array, origin: SyncOrigin): void {
  const decoded = Y.decodeUpdate(update);
  expect(room.isNew(decoded)).toBe(true);
  room.accept(update, origin, undefined, decoded);
}

describe('Room', () => {
  test('only updates beyond everything seen of their client are new (relayable raw)', () => {
    const { room } = makeRoom();
    const { doc, updates } = typing('abc');
    accept(room, updates[0]!, CLIENT_A);
    // the same update again, or one reaching back into what was accepted: not new
    expect(room.isNew(Y.decodeUpdate(updates[0]!))).toBe(false);
    expect(room.isNew(Y.decodeUpdate(Y.encodeStateAsUpdate(doc)))).toBe(false);
    // the next keystrokes are
    expect(room.isNew(Y.decodeUpdate(updates[1]!))).toBe(true);
    // a forged update with another content for an accepted id is not, even before integration
    const forged = new Y.Doc();
    forged.clientID = 7;
    forged.getText('t').insert(0, 'Z');
    expect(room.backlog).toBe(1);
    expect(room.isNew(Y.decodeUpdate(Y.encodeStateAsUpdate(forged)))).toBe(false);
    // after integration too
    expect(room.doc.getText('t').toString()).toBe('a');
    expect(room.isNew(Y.decodeUpdate(Y.encodeStateAsUpdate(forged)))).toBe(false);
    room.destroy();
  });

  test('accepted updates reach the hooks at once and are integrated when the document is read', () => {
    const { room, seen } = makeRoom();
    const { updates } = typing('hello');
    for (const u of updates) accept(room, u, CLIENT_A);
    expect(seen.map((s) => s.origin)).toEqual([CLIENT_A, CLIENT_A, CLIENT_A, CLIENT_A, CLIENT_A]);
    expect(room.backlog).toBe(5);
    expect(room.doc.getText('t').toString()).toBe('hello');
    expect(room.backlog).toBe(0);
    room.destroy();
  });

  test('a sync step 2 that repeats known content adds nothing; its new part is captured exactly', () => {
    const { room, seen } = makeRoom();
    const { doc, updates } = typing('abc');
    for (const u of updates) accept(room, u, CLIENT_A);
    seen.length = 0;
    // a reconnecting client sends everything it has, plus one character the server never saw
    doc.getText('t').insert(3, 'd');
    room.applyNow(Y.encodeStateAsUpdate(doc), CLIENT_A);
    expect(seen).toHaveLength(1);
    const check = new Y.Doc();
    Y.applyUpdate(check, seen[0]!.update);
    // only the new character travels on, not the whole document again
    expect(check.getText('t').toString()).toBe('');
    expect(Y.decodeUpdate(seen[0]!.update).structs.map((s) => s.id.clock)).toEqual([3]);
    room.applyNow(Y.encodeStateAsUpdate(doc), CLIENT_A);
    expect(seen).toHaveLength(1);
    expect(room.doc.getText('t').toString()).toBe('abcd');
    room.destroy();
  });

  test('server changes (withDocument) build on every accepted update and are delivered', () => {
    const { room, seen } = makeRoom();
    for (const u of typing('one').updates) accept(room, u, CLIENT_A);
    room.change((doc) => doc.getText('t').insert(3, ' two'), SERVER);
    expect(room.doc.getText('t').toString()).toBe('one two');
    const last = seen.at(-1)!;
    expect(last.origin).toBe(SERVER);
    const replica = new Y.Doc();
    for (const s of seen) Y.applyUpdate(replica, s.update);
    expect(replica.getText('t').toString()).toBe('one two');
    room.destroy();
  });

  test('a long backlog is integrated without anyone reading the document', async () => {
    const { room } = makeRoom();
    const { updates } = typing('x'.repeat(1200));
    for (const u of updates) accept(room, u, CLIENT_A);
    await new Promise((r) => setImmediate(r));
    expect(room.backlog).toBeLessThan(1000);
    room.destroy();
  });

  test('an accepted update that Yjs cannot integrate is reported with its origin and skipped; the rest integrate', () => {
    const { room, integrationErrors } = makeRoom();
    const { updates } = typing('ok');
    accept(room, updates[0]!, CLIENT_A);
    // (validation makes this impossible for clients; the room must still survive it)
    room.accept(Uint8Array.of(1, 1, 200, 1, 0, 9), CLIENT_BAD, undefined, Y.decodeUpdate(Y.encodeStateAsUpdate(new Y.Doc())));
    accept(room, updates[1]!, CLIENT_A);
    expect(room.doc.getText('t').toString()).toBe('ok');
    expect(integrationErrors).toEqual([CLIENT_BAD]);
    room.destroy();
  });
});
