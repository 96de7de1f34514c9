import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../src/db/schema/index.ts';
import { hashToken } from '../src/auth/tokens.ts';
import {
  api,
  createTestApp,
  createTestDatabase,
  login,
  registerUser,
  sessionCookie,
  startTestServer,
  testDrivers,
  uniqueEmail,
  uniqueOrgNumber,
  type TestApp,
  type TestServer,
} from './support/index.ts';

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return (await res.json()) as { type: string; title: string; status: number; detail: string; errors?: { field: string; message: string }[] };
}

describe.each(testDrivers())('accounts (%s)', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase({ driver }), loginMaxPerAccount: 3, loginMaxPerIp: 8 });
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.close();
  });

  it('register → 201 with the session cookie; me answers who I am', async () => {
    const email = uniqueEmail();
    const res = await api(t, 'POST', '/api/auth/register', { body: { email: `  ${email.toUpperCase()} `, password: 'a long enough password', name: ' Anna Andersson ' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; email: string; name: string };
    expect(body).toMatchObject({ email, name: 'Anna Andersson' });
    const cookie = sessionCookie(res);
    expect(cookie).toBeTruthy();
    const me = await api(t, 'GET', '/api/me', { cookie });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ id: body.id, email, name: 'Anna Andersson' });
  });

  it('me without a session → 401 problem', async () => {
    const res = await api(t, 'GET', '/api/me');
    expect(res.status).toBe(401);
    expect((await problem(res)).status).toBe(401);
    const bogus = await api(t, 'GET', '/api/me', { cookie: 'overens_session=not-a-real-session-token-at-all' });
    expect(bogus.status).toBe(401);
  });

  it('login → 200 with a new session; logout revokes it server-side', async () => {
    const u = await registerUser(t);
    const cookie = await login(t, u.email, u.password);
    expect(cookie).not.toBe(u.cookie);
    expect((await api(t, 'GET', '/api/me', { cookie })).status).toBe(200);
    const out = await api(t, 'POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join(';')).toMatch(/overens_session=;/);
    // The old cookie no longer works even if the browser kept it.
    expect((await api(t, 'GET', '/api/me', { cookie })).status).toBe(401);
    // The registration session is independent and still valid.
    expect((await api(t, 'GET', '/api/me', { cookie: u.cookie })).status).toBe(200);
  });

  it('an expired session is refused and deleted', async () => {
    const u = await registerUser(t);
    const token = u.cookie.split('=')[1]!;
    await t.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, hashToken(token)));
    expect((await api(t, 'GET', '/api/me', { cookie: u.cookie })).status).toBe(401);
    const left = await t.db.select().from(sessions).where(eq(sessions.id, hashToken(token)));
    expect(left).toHaveLength(0);
  });

  it('sliding sessions: use extends the expiry and re-sends the cookie', async () => {
    const u = await registerUser(t);
    const id = hashToken(u.cookie.split('=')[1]!);
    const soon = new Date(Date.now() + 60_000);
    await t.db.update(sessions).set({ expiresAt: soon, lastSeenAt: new Date(Date.now() - 3600_000) }).where(eq(sessions.id, id));
    const res = await api(t, 'GET', '/api/me', { cookie: u.cookie });
    expect(res.status).toBe(200);
    expect(sessionCookie(res)).toBe(u.cookie);
    const [row] = await t.db.select().from(sessions).where(eq(sessions.id, id));
    expect(row!.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 3600_000);
  });

  it('fixed sessions (OVERENS_SESSION_SLIDING=0) keep their expiry', async () => {
    const fixed = await createTestApp({ database: t.database, sessionSliding: false });
    try {
      const u = await registerUser(fixed);
      const id = hashToken(u.cookie.split('=')[1]!);
      const soon = new Date(Date.now() + 60_000);
      await t.db.update(sessions).set({ expiresAt: soon, lastSeenAt: new Date(Date.now() - 3600_000) }).where(eq(sessions.id, id));
      const res = await api(fixed, 'GET', '/api/me', { cookie: u.cookie });
      expect(res.status).toBe(200);
      expect(sessionCookie(res)).toBeNull();
      const [row] = await t.db.select().from(sessions).where(eq(sessions.id, id));
      expect(row!.expiresAt.getTime()).toBe(soon.getTime());
    } finally {
      await fixed.close();
    }
  });

  it('the session token is stored only as a hash', async () => {
    const u = await registerUser(t);
    const token = u.cookie.split('=')[1]!;
    expect(await t.db.select().from(sessions).where(eq(sessions.id, token))).toHaveLength(0);
    expect(await t.db.select().from(sessions).where(eq(sessions.id, hashToken(token)))).toHaveLength(1);
  });

  it('duplicate e-mail → 409 naming email (case-insensitive)', async () => {
    const u = await registerUser(t);
    const res = await api(t, 'POST', '/api/auth/register', { body: { email: u.email.toUpperCase(), password: 'another long password', name: 'X' } });
    expect(res.status).toBe(409);
    const p = await problem(res);
    expect(p.errors?.[0]?.field).toBe('email');
    expect(p.errors?.[0]?.message).toMatch(/sign in/);
  });

  it('wrong password → 401 naming password; unknown account answers the same', async () => {
    const u = await registerUser(t);
    const wrong = await api(t, 'POST', '/api/auth/login', { body: { email: u.email, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    const p = await problem(wrong);
    expect(p.errors?.[0]?.field).toBe('password');
    const unknown = await api(t, 'POST', '/api/auth/login', { body: { email: uniqueEmail(), password: 'whatever password' } });
    expect(unknown.status).toBe(401);
    expect((await problem(unknown)).detail).toBe(p.detail);
  });

  it('bad register input: each field named with the fix', async () => {
    const cases: [unknown, string][] = [
      [{ password: 'long enough password', name: 'A' }, 'email'],
      [{ email: 'not-an-email', password: 'long enough password', name: 'A' }, 'email'],
      [{ email: uniqueEmail(), password: 'short', name: 'A' }, 'password'],
      [{ email: uniqueEmail(), password: 12345678901, name: 'A' }, 'password'],
      [{ email: uniqueEmail(), password: 'long enough password', name: '   ' }, 'name'],
      [{ email: uniqueEmail(), password: 'long enough password' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await api(t, 'POST', '/api/auth/register', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const p = await problem(res);
      expect(p.errors?.map((e) => e.field)).toContain(field);
      expect(p.errors?.every((e) => e.message.length > 5)).toBe(true);
    }
  });

  it('text the database cannot store (NUL character) → 400, not 500', async () => {
    const res = await api(t, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: 'long enough password', name: 'A\u0000B' } });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.[0]?.field).toBe('body');
  });

  it('validation messages say what to send', async () => {
    const res = await api(t, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: 12345678901, extra: 1 } });
    const p = await problem(res);
    const byField = Object.fromEntries(p.errors!.map((e) => [e.field, e.message]));
    expect(byField.password).toBe('must be text (a JSON string), not number');
    expect(byField.name).toMatch(/full name/);
    const typed = await api(t, 'POST', '/api/organisations', { cookie: (await registerUser(t)).cookie, body: { name: 'X', kind: 'ideburen', orgNumber: '802002-4280', municipalityCode: 180 } });
    const q = await problem(typed);
    expect(q.errors?.find((e) => e.field === 'municipalityCode')?.message).toMatch(/string of digits/);
  });

  it('malformed JSON → 400 naming body; wrong content type → 415; oversized body → 413', async () => {
    const bad = await api(t, 'POST', '/api/auth/register', { body: '{"email": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).errors?.[0]?.field).toBe('body');
    const text = await api(t, 'POST', '/api/auth/register', { body: 'email=a', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect((await problem(text)).errors?.[0]?.field).toBe('body');
    const huge = await api(t, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail(), password: 'long enough password', name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect((await problem(huge)).errors?.[0]?.field).toBe('body');
  });

  it('failed logins are throttled per account from one source (429 with Retry-After), the right password included', async () => {
    const u = await registerUser(t);
    for (let i = 0; i < 3; i++) {
      expect((await api(t, 'POST', '/api/auth/login', { body: { email: u.email, password: 'wrong password' } })).status).toBe(401);
    }
    const blocked = await api(t, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await problem(blocked)).detail).toMatch(/Wait \d+ seconds/);
  });

  it('failed logins are throttled per IP across accounts', async () => {
    const t2 = await createTestApp({ database: t.database, loginMaxPerAccount: 100, loginMaxPerIp: 4 });
    try {
      for (let i = 0; i < 4; i++) {
        const r = await api(t2, 'POST', '/api/auth/login', { body: { email: uniqueEmail(), password: 'wrong password' } });
        expect(r.status).toBe(401);
      }
      const u = await registerUser(t2);
      const blocked = await api(t2, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
      expect(blocked.status).toBe(429);
      expect((await problem(blocked)).detail).toMatch(/network/);
    } finally {
      await t2.close();
    }
  });
});

describe('cookies and CSRF on a real server', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the session cookie is HttpOnly, SameSite=Lax, Path=/, and Secure only over https', async () => {
    const res = await api(s.url, 'POST', '/api/auth/register', { body: { email: uniqueEmail(), password: 'a long enough password', name: 'C' } });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('overens_session='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/Secure/i);
    const viaProxy = await api(s.url, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail(), password: 'a long enough password', name: 'C' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.headers.getSetCookie().find((c) => c.startsWith('overens_session='))).toMatch(/Secure/i);
  });

  it('state-changing cookie requests need a matching Origin', async () => {
    const u = await registerUser(s.url);
    const body = { name: 'Förening', kind: 'ideburen', orgNumber: '802002-4280' };
    const evil = await api(s.url, 'POST', '/api/organisations', { cookie: u.cookie, body, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await problem(evil)).detail).toMatch(/Origin/);
    const none = await api(s.url, 'POST', '/api/organisations', { cookie: u.cookie, body, origin: null });
    expect(none.status).toBe(403);
    const viaReferer = await api(s.url, 'POST', '/api/organisations', { cookie: u.cookie, body, origin: null, headers: { referer: `${s.url}/#/organisations` } });
    expect(viaReferer.status).toBe(201);
    const ok = await api(s.url, 'POST', '/api/organisations', { cookie: u.cookie, body: { ...body, orgNumber: uniqueOrgNumber() }, origin: `http://127.0.0.1:${s.port}` });
    expect(ok.status).toBe(201);
    // Reads are not affected.
    expect((await api(s.url, 'GET', '/api/organisations', { cookie: u.cookie, origin: 'https://evil.example' })).status).toBe(200);
  });

  it('login from a foreign origin is refused (login CSRF)', async () => {
    const u = await registerUser(s.url);
    const res = await api(s.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password }, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });
});
