/**
 * A client that keeps asking for the document without reading the answers is cut off: each sync step 1
 * (a few bytes) makes the server send the whole document diff, and those replies must not pile up in the
 * server's memory without bound.
 */
import { randomBytes } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../../apps/server/src/server.ts';
import { cookieWebSocket, waitFor } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { seed, type Seeded } from './support/seed.ts';
import { startInProcess } from './support/server.ts';

let db: TestDatabase;
let server: RunningServer;
let s: Seeded;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startInProcess(db);
  // ~1 MB document: 40 unread replies are 40 MB, past the 16 MiB slow-consumer limit.
  s = await seed(server.deps.db, { name: `slow-${randomBytes(4).toString('hex')}`, agreements: 1, members: { viewer: 'viewer' }, initialText: 'x'.repeat(1_000_000) });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

function syncStep1(): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // messageSync
  encoding.writeVarUint(e, 0); // syncStep1
  encoding.writeVarUint8Array(e, new Uint8Array([0])); // empty state vector: "send me everything"
  return encoding.toUint8Array(e);
}

async function connections(): Promise<number> {
  const res = await fetch(`${server.url}/api/health`);
  return ((await res.json()) as { sync: { connections: number } }).sync.connections;
}

test('a socket that requests the document over and over without reading is closed', async () => {
  const Ws = cookieWebSocket(s.users.viewer!.token);
  const ws = new Ws(`${server.url.replace(/^http/, 'ws')}/sync/${s.agreementIds[0]}`) as unknown as WebSocket;
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  await waitFor(async () => (await connections()) === 1, 'the connection to register');
  // Stop reading: the server's replies can only queue up on its side.
  (ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
  for (let i = 0; i < 60; i++) ws.send(syncStep1());
  await waitFor(async () => (await connections()) === 0, 'the server to cut off the slow consumer', 60_000);
  expect(await connections()).toBe(0);
  ws.terminate();
});
