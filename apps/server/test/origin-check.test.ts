/**
 * With OVERENS_PUBLIC_URL (or OVERENS_ALLOWED_ORIGINS) set, the websocket handshake and the CSRF
 * check accept exactly those origins: an Origin that merely matches the Host header the client sent
 * (as after DNS rebinding, or through a proxy that passes Host on) is refused. Without either setting
 * the request's own host is still the rule.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, registerUser, startTestServer, type TestDatabase, type TestServer } from './support/index.ts';

const PUBLIC = 'https://overens.exempel.se';
const AGREEMENT = '00000000-0000-4000-8000-000000000000';

/** A websocket handshake on /sync/…; the HTTP status the server answers with (101 on success). */
function handshake(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: `/sync/${AGREEMENT}`,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Origin checks against the configured public origin', () => {
  let database: TestDatabase;
  let configured: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    configured = await startTestServer({ database, publicUrl: PUBLIC, allowedOrigins: [PUBLIC, 'https://extra.exempel.se'] });
    plain = await startTestServer({ database });
  });
  afterAll(async () => {
    await configured?.close();
    await plain?.close();
    await database?.close();
  });

  it('websocket: the configured origins pass (401: on to the session check), the Host-matching origin is refused (403)', async () => {
    const own = `http://127.0.0.1:${configured.port}`;
    expect(await handshake(configured.port, { origin: own })).toBe(403);
    // Rebinding: attacker's name, pointed at this server, so Origin and Host agree.
    expect(await handshake(configured.port, { origin: 'http://evil.example', host: 'evil.example' })).toBe(403);
    expect(await handshake(configured.port, { origin: PUBLIC })).toBe(401);
    expect(await handshake(configured.port, { origin: 'https://extra.exempel.se' })).toBe(401);
    expect(await handshake(configured.port, { origin: 'HTTPS://OVERENS.EXEMPEL.SE:443' })).toBe(401);
    expect(await handshake(configured.port, { origin: 'https://overens.exempel.se.evil.example' })).toBe(403);
    expect(await handshake(configured.port, { origin: 'null' })).toBe(403);
  });

  it('websocket without configuration: the request’s own host, as before', async () => {
    expect(await handshake(plain.port, { origin: `http://127.0.0.1:${plain.port}` })).toBe(401);
    expect(await handshake(plain.port, { origin: 'https://evil.example' })).toBe(403);
  });

  it('CSRF: a session request from the Host-matching origin is refused when a public origin is configured', async () => {
    // Registration is a state-changing request: from the server's own address it is refused…
    const refused = await api(configured.url, 'POST', '/api/auth/register', { body: { email: 'a@test.overens.se', password: 'a long enough password', name: 'A' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain(PUBLIC);
    // …and accepted from the public origin.
    const ok = await api(configured.url, 'POST', '/api/auth/register', {
      body: { email: `pub-${Date.now()}@test.overens.se`, password: 'a long enough password', name: 'P' },
      origin: PUBLIC,
    });
    expect(ok.status).toBe(201);
    const cookie = ok.headers.getSetCookie()[0]!.split(';')[0]!;
    const org = { name: 'Förening', kind: 'ideburen', orgNumber: '802002-4280' };
    expect((await api(configured.url, 'POST', '/api/organisations', { cookie, body: org, origin: `http://127.0.0.1:${configured.port}` })).status).toBe(403);
    expect((await api(configured.url, 'POST', '/api/organisations', { cookie, body: org, origin: PUBLIC })).status).toBe(201);
    // Without configuration the own host is still fine.
    expect((await registerUser(plain.url)).cookie).toBeTruthy();
  });
});
