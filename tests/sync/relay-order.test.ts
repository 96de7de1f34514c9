/**
 * The other sockets get a client's messages in the order it sent them. A browser sends a keystroke's
 * update and right after it the awareness update of its caret; if the caret went out first, the other
 * editors would draw it at a position their document does not have yet. Real server, raw sockets (to
 * see the frames in wire order).
 */
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { encodeAwareness, encodeAwarenessEntries, encodeUpdate } from '../../apps/server/src/sync/protocol.ts';
import { cookieWebSocket, waitFor } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { seed, type Seeded } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

let db: TestDatabase;
let server: RunningServer;
let s: Seeded;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startInProcess(db);
  s = await seed(server.deps.db, { name: `relay-order-${randomBytes(4).toString('hex')}`, agreements: 1, members: { a: 'editor', b: 'editor' }, initialText: 'Start.' });
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await server?.close();
  await db?.drop();
});

/** What a frame the server sent is: 'update' (sync update), 'awareness:<client ids>', or another sync/auth message. */
function describeFrame(data: Uint8Array): string {
  const d = decoding.createDecoder(data);
  const type = decoding.readVarUint(d);
  if (type === 0) return decoding.readVarUint(d) === 2 ? 'update' : 'sync';
  if (type !== 1) return `type ${type}`;
  const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
  const ids: number[] = [];
  for (let n = decoding.readVarUint(inner); n > 0; n--) {
    ids.push(decoding.readVarUint(inner));
    decoding.readVarUint(inner);
    decoding.readVarString(inner);
  }
  return `awareness:${ids.join(',')}`;
}

async function open(user: string): Promise<{ ws: WebSocket; frames: string[] }> {
  const Ws = cookieWebSocket(s.users[user]!.token);
  const ws = new Ws(server.url.replace(/^http/, 'ws') + '/sync/' + s.agreementIds[0]!);
  sockets.push(ws);
  const frames: string[] = [];
  ws.on('message', (data: Buffer) => frames.push(describeFrame(new Uint8Array(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames };
}



describe('relay order', () => {
  test("a keystroke and the caret awareness sent right after it reach the other sockets in that order", async () => {
    const a = await open('a');
    const b = await open('b');
    // both have their greeting (sync step 1 and the server's status)
    await waitFor(() => a.frames.includes('awareness:0') && b.frames.includes('awareness:0'), 'greetings');

    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let round = 1; round <= 5; round++) {
      b.frames.length = 0;
      doc.getText('text').insert(0, 'x');
      // one TCP write holding both messages, as a browser's two sends usually arrive: one read on the server
      const raw = (a.ws as unknown as { _socket: import('node:net').Socket })._socket;
      raw.cork();
      a.ws.send(encodeUpdate(updates.at(-1)!));
      a.ws.send(awarenessMessage(doc.clientID, round, { cursor: { anchor: round, head: round } }));
      raw.uncork();
      const caret = `awareness:${doc.clientID}`;
      await waitFor(() => b.frames.includes('update') && b.frames.includes(caret), `round ${round} relayed`);
      const relayed = b.frames.filter((f) => f === 'update' || f === caret);
      expect(relayed).toEqual(['update', caret]);
    }
  });
});

/** A y-protocols awareness message with one entry (any client id, any clock), framed as the server frames its own. */
function awarenessMessage(clientID: number, clock: number, state: unknown): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries([{ clientID, clock, state }]));
}
