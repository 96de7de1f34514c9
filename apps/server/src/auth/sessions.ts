import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema/index.ts';
import { hashToken, newToken } from './tokens.ts';

export const SESSION_COOKIE = 'overens_session';

/** Sliding sessions are extended at most this often (saves a write per request). */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface ResolvedSession {
  sessionId: string;
  user: SessionUser;
  expiresAt: Date;
  /** Set when a sliding session was extended and the cookie should be re-sent. */
  extended: boolean;
}

export async function createSession(
  db: Db,
  userId: string,
  ttlMs: number,
  userAgent?: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.insert(sessions).values({
    id: hashToken(token),
    userId,
    expiresAt,
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return { token, expiresAt };
}

export async function resolveSession(
  db: Db,
  token: string,
  opts: { ttlMs: number; sliding: boolean },
): Promise<ResolvedSession | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const id = hashToken(token);
  const rows = await db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      user: { id: users.id, email: users.email, name: users.name },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const now = Date.now();
  if (row.expiresAt.getTime() <= now) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let expiresAt = row.expiresAt;
  let extended = false;
  if (opts.sliding && now - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    expiresAt = new Date(now + opts.ttlMs);
    await db.update(sessions).set({ lastSeenAt: new Date(now), expiresAt }).where(eq(sessions.id, id));
    extended = true;
  }
  return { sessionId: row.sessionId, user: row.user, expiresAt, extended };
}

export async function revokeSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

export async function revokeAllSessions(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Housekeeping: drop expired sessions (called periodically by the server). */
export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

/** True when the request reached us over https (directly or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (proto) return proto === 'https';
  return new URL(c.req.url).protocol === 'https:';
}

export function setSessionCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    expires: expiresAt,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

/**
 * A random per-browser token set at each successful sign-in: a browser that has signed in to an account
 * before is exempt from that account's sign-in delay (see LoginThrottle), so strangers' failed guesses
 * cannot keep its owner out. It grants nothing by itself.
 */
export const DEVICE_COOKIE = 'overens_device';

export function deviceToken(c: Context): string | undefined {
  const value = getCookie(c, DEVICE_COOKIE);
  return value && /^[A-Za-z0-9_-]{20,64}$/.test(value) ? value : undefined;
}

/** The browser's device token (kept when it has a valid one), its cookie renewed for `maxAgeSeconds`. */
export function setDeviceCookie(c: Context, maxAgeSeconds: number): string {
  const token = deviceToken(c) ?? randomBytes(24).toString('base64url');
  setCookie(c, DEVICE_COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: isHttps(c), path: '/api/auth', maxAge: maxAgeSeconds });
  return token;
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isHttps(c) });
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

