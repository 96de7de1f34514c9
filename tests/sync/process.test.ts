/**
 * Restart and crash: the server runs as a child process (tests/sync/support/server-process.ts,
 * the real startServer). Clients are real WebsocketProviders that keep their documents across
 * the outage and reconnect on their own.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { connectClient, synced, waitFor, type TestClient } from './support/client.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { countChar, persistedText } from './support/inspect.ts';
import { describeSeed, type SeedSpec } from './support/seed.ts';
import { spawnServer, type ChildServer } from './support/server.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function track(c: TestClient): TestClient {
  cleanups.push(() => c.destroy());
  return c;
}
function trackServer(s: ChildServer): ChildServer {
  cleanups.push(() => s.stop('SIGKILL'));
  return s;
}

const EDITORS = ['e1', 'e2', 'e3', 'e4', 'e5'];
const MARKS = ['A', 'B', 'C', 'D', 'E'];

function spec(name: string): SeedSpec {
  return { name: `${name}-${randomBytes(4).toString('hex')}`, agreements: 1, members: Object.fromEntries(EDITORS.map((e) => [e, 'editor'])), initialText: '' };
}

describe('server process lifecycle', () => {
  test('restart: stop the server gracefully, start it again, a new client sees everything', async () => {
    const db = await createTestDatabase({ onDisk: true });
    cleanups.push(() => db.drop());
    const sp = spec('restart');
    const seeded = describeSeed(sp);
    const id = seeded.agreementIds[0]!;
    let server = trackServer(await spawnServer(db, sp));
    const a = track(connectClient(server.url, id, seeded.users.e1!.token));
    await waitFor(() => synced(a), 'client synced');
    a.text.insert(0, 'typed just before the restart');
    // stop right away: the edit is still in the flush batch, graceful shutdown must write it
    await waitFor(() => a.provider.wsconnected && a.doc.getText('text').length > 0, 'edit local');
    await new Promise((r) => setTimeout(r, 50)); // let the frame leave this process
    expect(await server.stop('SIGTERM')).toBe(0);
    a.provider.disconnect();
    expect(await persistedText(db, id)).toBe('typed just before the restart');

    server = trackServer(await spawnServer(db, sp, { port: server.port }));
    const b = track(connectClient(server.url, id, seeded.users.e2!.token));
    await waitFor(() => synced(b) && b.text.length > 0, 'new client synced');
    expect(b.text.toString()).toBe('typed just before the restart');
    await server.stop('SIGTERM');
  });

  test('crash: SIGKILL while 5 clients type, restart, clients reconnect — no character is lost', async () => {
    const db = await createTestDatabase({ onDisk: true });
    cleanups.push(() => db.drop());
    const sp = spec('crash');
    const seeded = describeSeed(sp);
    const id = seeded.agreementIds[0]!;
    let server = trackServer(await spawnServer(db, sp));
    const port = server.port;
    const clients = EDITORS.map((e) => track(connectClient(server.url, id, seeded.users[e]!.token)));
    await waitFor(() => clients.every(synced), 'clients synced');

    const PER_CLIENT = 150;
    const typed = clients.map(() => 0);
    let killed = false;
    let restarted: Promise<ChildServer> | null = null;
    // every client types one character every few ms at a random position
    const typing = clients.map(async (c, i) => {
      for (let n = 0; n < PER_CLIENT; n++) {
        c.text.insert(Math.floor(Math.random() * (c.text.length + 1)), MARKS[i]!);
        typed[i]!++;
        await new Promise((r) => setTimeout(r, 4 + Math.random() * 8));
        if (!killed && i === 0 && n === 60) {
          killed = true;
          server.child.kill('SIGKILL');
          restarted = server.exited.then(() => spawnServer(db, sp, { port }));
        }
      }
    });
    await Promise.all(typing);
    expect(killed).toBe(true);
    server = trackServer(await restarted!);
    const total = PER_CLIENT * clients.length;
    await waitFor(() => clients.every((c) => synced(c) && c.text.length === total), 'all clients reconnected and converged', 90_000);
    const live = clients[0]!.text.toString();
    expect(clients.every((c) => c.text.toString() === live)).toBe(true);

    // persist and read back from the database
    for (const c of clients) c.provider.disconnect();
    expect(await server.stop('SIGTERM')).toBe(0);
    const stored = await persistedText(db, id);
    let lost = 0;
    MARKS.forEach((m, i) => {
      const n = countChar(stored, m);
      lost += Math.max(0, typed[i]! - n);
      expect(n, `client ${m} typed ${typed[i]} characters`).toBe(typed[i]);
    });
    console.info(`[crash test] typed ${total} characters in 5 clients, SIGKILL during typing; lost edits: ${lost}`);
    expect(lost).toBe(0);
    expect(stored).toBe(live);
  });
});
