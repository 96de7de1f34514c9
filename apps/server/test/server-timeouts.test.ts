/**
 * Slow clients cannot hold sockets: a raw TCP client trickles a request body (or its headers) one byte
 * at a time and the server cuts it; an idle keep-alive socket is closed. The timeouts are configured
 * to a few seconds here; the defaults are checked to cut a trickled body within 30 s.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { serverTimeouts } from '../src/server.ts';
import { startTestServer, type TestServer } from './support/index.ts';

/** Connects, writes `head`, then one byte of `trickle` every `everyMs`; resolves with what the server sent once it closes the socket. */
function trickle(port: number, head: string, trickle: string, everyMs: number, giveUpMs: number): Promise<{ closed: boolean; received: string; sentBytes: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closed, received, sentBytes: sent });
    };
    // A bound so that a server that never cuts fails the test instead of hanging it.
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent < trickle.length && !socket.destroyed) socket.write(trickle[sent++]!);
      }, everyMs);
    });
  });
}

describe('Node server timeouts against slow clients', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ requestTimeoutMs: 2000, headersTimeoutMs: 1000, keepAliveTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a body trickled one byte at a time is cut (408) before it is complete', async () => {
    const body = JSON.stringify({ email: 'slow@test.overens.se', password: 'x'.repeat(200) });
    const head =
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const r = await trickle(s.port, head, body, 250, 20_000);
    expect(r.closed).toBe(true);
    expect(r.sentBytes).toBeLessThan(body.length);
    expect(r.received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('headers trickled one byte at a time are cut', async () => {
    const head = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const r = await trickle(s.port, '', head, 250, 20_000);
    expect(r.closed).toBe(true);
    expect(r.sentBytes).toBeLessThan(head.length);
  });

  it('an idle keep-alive socket is closed after a request', async () => {
    const head = `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: keep-alive\r\n\r\n`;
    const r = await trickle(s.port, head, '', 1000, 20_000);
    expect(r.closed).toBe(true);
    expect(r.received).toMatch(/^HTTP\/1\.1 200/);
  });

  it('by default a trickled body is cut within 30 s (request timeout plus the check interval)', () => {
    const t = serverTimeouts(loadConfig({}));
    expect(t.requestTimeout + t.connectionsCheckingInterval).toBeLessThanOrEqual(30_000);
    expect(t.headersTimeout).toBeLessThanOrEqual(t.requestTimeout);
    const custom = serverTimeouts(loadConfig({ OVERENS_REQUEST_TIMEOUT_MS: '60000', OVERENS_HEADERS_TIMEOUT_MS: '5000', OVERENS_KEEP_ALIVE_TIMEOUT_MS: '65000' }));
    expect(custom).toMatchObject({ requestTimeout: 60_000, headersTimeout: 5000, keepAliveTimeout: 65_000 });
  });
});
