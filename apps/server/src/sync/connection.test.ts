/**
 * Connection: the server peer's awareness state (client id 0) is renewed before clients drop it
 * (30 s), preferably inside a fan-out write that goes to the socket anyway.
 */
import { describe, expect, test } from 'vitest';
import type { WebSocket } from 'ws';
import { Connection, SERVER_AWARENESS_ID } from './connection.ts';
import { createSyncMetrics } from './metrics.ts';
import { decodeClientMessage, encodeUpdate, frameBinary } from './protocol.ts';
import type { Room } from './room.ts';
import type { Logger } from './logger.ts';

/** The payloads of the unmasked server frames in one write (all short here: 2-byte headers). */
function payloads(write: Buffer): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < write.length; ) {
    const len = write[i + 1]!;
    out.push(write.subarray(i + 2, i + 2 + len));
    i += 2 + len;
  }
  return out;
}

/** The server peer's clocks carried by one write. */
function serverClocks(write: Buffer): number[] {
  return payloads(write).flatMap((p) => {
    const m = decodeClientMessage(p);
    return m.type === 'awareness' ? m.entries.filter((e) => e.clientID === SERVER_AWARENESS_ID).map((e) => e.clock) : [];
  });
}

function connection() {
  const writes: Buffer[] = [];
  const ws = { readyState: 1, bufferedAmount: 0, _socket: { writableLength: 0, write: (b: Buffer) => writes.push(b) } } as unknown as WebSocket;
  const room = { locked: false, saveState: () => 'saved' } as unknown as Room;
  const logger = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
  const c = new Connection(ws, room, { userId: 'u', name: 'U', role: 'editor', partyId: 'p', ip: '127.0.0.1' }, logger, createSyncMetrics(), 1 << 24);
  return { c, writes };
}

describe('Connection: the server peer state renewal', () => {
  const update = frameBinary(encodeUpdate(Uint8Array.of(0, 0)));

  test('rides in a fan-out write once half-way to its renewal, else the fan-out write goes alone', () => {
    const { c, writes } = connection();
    c.sendServerState(true, 0);
    expect(serverClocks(writes[0]!)).toEqual([1]);
    c.writeFanOut(update, 5_000);
    expect(writes[1]).toBe(update);
    c.writeFanOut(update, 10_000);
    expect(payloads(writes[2]!)).toHaveLength(2);
    expect(serverClocks(writes[2]!)).toEqual([2]);
    // renewed by that write: the heartbeat's own renewal is not due 20 s after the first
    c.renewServerStateIfOlder(20_000, 20_000);
    expect(writes).toHaveLength(3);
  });

  test('a socket that gets no fan-out writes is renewed by the heartbeat once 20 s passed', () => {
    const { c, writes } = connection();
    c.sendServerState(true, 0);
    c.renewServerStateIfOlder(20_000, 19_999);
    expect(writes).toHaveLength(1);
    c.renewServerStateIfOlder(20_000, 20_000);
    expect(serverClocks(writes[1]!)).toEqual([2]);
  });
});
