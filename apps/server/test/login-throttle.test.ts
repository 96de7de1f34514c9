/**
 * Failed-login throttling that a stranger cannot turn into a lock-out, on real servers: sources are
 * simulated with OVERENS_TRUST_PROXY and X-Forwarded-For. Limits hold across two processes sharing
 * Redis. Every source address is random so counters left in Redis by earlier runs never interfere.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTestDatabase, registerUser, startTestServer, type TestDatabase, type TestServer, type TestUser } from './support/index.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const randomSource = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

function loginFrom(server: TestServer, source: string, email: string, password: string) {
  return api(server.url, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': source } });
}

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return (await res.json()) as { type: string; code?: string; status: number; detail: string; messages?: { sv: string; en: string } };
}

describe('login throttling per account and source', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ trustProxy: true, loginMaxPerAccount: 5, loginMaxPerIp: 30, loginAccountDelayAfter: 20 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('six wrong passwords from one source do not stop the right password from another', async () => {
    const u = await registerUser(s.url);
    const attacker = randomSource();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await loginFrom(s, attacker, u.email, 'wrong password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // The attacker's source is throttled for this account, the right password included…
    const blocked = await loginFrom(s, attacker, u.email, u.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const p = await problem(blocked);
    expect(p.code).toBe('login-throttled');
    expect(p.type).toBe('/problems/login-throttled');
    expect(p.detail).toMatch(/Wait \d+ seconds/);
    expect(p.messages?.sv).toMatch(/Vänta \d+ sekunder/);
    // …while the real user, elsewhere, signs in (e-mail in other case and spacing: the same account).
    const real = await loginFrom(s, randomSource(), `  ${u.email.toUpperCase()} `, u.password);
    expect(real.status).toBe(200);
  });

  it('one source is limited across accounts (per IP, as before)', async () => {
    const t = await startTestServer({ database: s.database, trustProxy: true, loginMaxPerAccount: 100, loginMaxPerIp: 4 });
    try {
      const source = randomSource();
      const u = await registerUser(t.url);
      for (let i = 0; i < 4; i++) expect((await loginFrom(t, source, `nobody-${i}-${u.email}`, 'wrong password')).status).toBe(401);
      const blocked = await loginFrom(t, source, u.email, u.password);
      expect(blocked.status).toBe(429);
      expect((await problem(blocked)).code).toBe('login-throttled-network');
      expect((await loginFrom(t, randomSource(), u.email, u.password)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('an account failing from many sources is slowed down with a growing delay, never locked', async () => {
    const t = await startTestServer({ database: s.database, trustProxy: true, loginMaxPerAccount: 5, loginAccountDelayAfter: 3, loginMaxDelaySeconds: 60 });
    try {
      const u = await registerUser(t.url);
      for (let i = 0; i < 4; i++) expect((await loginFrom(t, randomSource(), u.email, 'wrong password')).status).toBe(401);
      // The 4th failure (one past the allowance) makes the next attempt, from anywhere, wait.
      const first = await loginFrom(t, randomSource(), u.email, u.password);
      expect(first.status).toBe(429);
      const firstWait = Number(first.headers.get('retry-after'));
      expect(firstWait).toBeGreaterThanOrEqual(1);
      expect((await problem(first)).code).toBe('login-slowed');
      // After the wait, one more failure makes the next wait longer.
      await new Promise((r) => setTimeout(r, firstWait * 1000 + 50));
      expect((await loginFrom(t, randomSource(), u.email, 'wrong password')).status).toBe(401);
      const second = await loginFrom(t, randomSource(), u.email, u.password);
      expect(second.status).toBe(429);
      const secondWait = Number(second.headers.get('retry-after'));
      expect(secondWait).toBeGreaterThan(firstWait);
      // And after that wait the right password works: a delay, not a wall.
      await new Promise((r) => setTimeout(r, secondWait * 1000 + 50));
      expect((await loginFrom(t, randomSource(), u.email, u.password)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('parallel guesses cannot all pass the check before a failure is counted', async () => {
    const u = await registerUser(s.url);
    const attacker = randomSource();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => loginFrom(s, attacker, u.email, 'wrong password').then((r) => r.status)));
    // Each attempt reserves its point before the password is verified: exactly the allowance gets through.
    expect(statuses.filter((x) => x === 401)).toHaveLength(5);
    expect(statuses.filter((x) => x === 429)).toHaveLength(15);
  });

  it("X-Forwarded-For's leftmost entry (the client's word) cannot frame another source", async () => {
    const u = await registerUser(s.url);
    const victim = randomSource();
    const attacker = randomSource();
    // Behind a proxy that appends: "<what the client sent>, <the address the proxy saw>".
    for (let i = 0; i < 6; i++) await loginFrom(s, `${victim}, ${attacker}`, u.email, 'wrong password');
    expect((await loginFrom(s, victim, u.email, u.password)).status).toBe(200);
    expect((await loginFrom(s, attacker, u.email, u.password)).status).toBe(429);
  });

  it("a browser that signed in before is not held up by strangers' failures on the account", async () => {
    const t = await startTestServer({ database: s.database, trustProxy: true, loginMaxPerAccount: 5, loginAccountDelayAfter: 2, loginMaxDelaySeconds: 60 });
    try {
      const u = await registerUser(t.url);
      const home = randomSource();
      const first = await loginFrom(t, home, u.email, u.password);
      expect(first.status).toBe(200);
      const device = first.headers.getSetCookie().find((c) => c.startsWith('overens_device='))?.split(';')[0];
      expect(device).toMatch(/^overens_device=[\w-]{20,}$/);
      // Strangers fail from many sources until the account's delay applies…
      for (let i = 0; i < 6; i++) await loginFrom(t, randomSource(), u.email, 'wrong password');
      const stranger = await loginFrom(t, randomSource(), u.email, u.password);
      expect(stranger.status).toBe(429);
      expect((await problem(stranger)).code).toBe('login-slowed');
      // …but the owner's browser signs in at once, from home or elsewhere.
      const owner = await api(t.url, 'POST', '/api/auth/login', {
        body: { email: u.email, password: u.password },
        headers: { 'x-forwarded-for': randomSource(), cookie: device! },
      });
      expect(owner.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('registrations are limited per source', async () => {
    const t = await startTestServer({ database: s.database, trustProxy: true, registerMaxPerHour: 2 });
    try {
      const source = randomSource();
      const register = (from: string, n: number) =>
        api(t.url, 'POST', '/api/auth/register', {
          body: { email: `reg-${n}-${randomInt(1e9)}@test.overens.se`, password: 'a long enough password', name: 'R' },
          headers: { 'x-forwarded-for': from },
        });
      expect((await register(source, 1)).status).toBe(201);
      expect((await register(source, 2)).status).toBe(201);
      const third = await register(source, 3);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await problem(third)).code).toBe('registration-throttled');
      expect((await register(randomSource(), 4)).status).toBe(201);
    } finally {
      await t.close();
    }
  });
});

describe('login throttling across two processes sharing Redis', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let u: TestUser;
  beforeAll(async () => {
    database = await createTestDatabase();
    const opts = { database, redisUrl: REDIS_URL, trustProxy: true, loginMaxPerAccount: 5, loginMaxPerIp: 30 };
    a = await startTestServer(opts);
    b = await startTestServer(opts);
    u = await registerUser(a.url);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
  });

  it('failures counted on A throttle the same source on B; another source still signs in on B', async () => {
    const source = randomSource();
    // Alternate the processes: each sees only some of the failures unless the counts are shared.
    for (let i = 0; i < 5; i++) expect((await loginFrom(i % 2 === 0 ? a : b, source, u.email, 'wrong password')).status).toBe(401);
    const onB = await loginFrom(b, source, u.email, u.password);
    expect(onB.status).toBe(429);
    expect((await problem(onB)).code).toBe('login-throttled');
    const onA = await loginFrom(a, source, u.email, u.password);
    expect(onA.status).toBe(429);
    expect((await loginFrom(b, randomSource(), u.email, u.password)).status).toBe(200);
  });
});
