import { createRoute, z } from '@hono/zod-openapi';
import { loginRequestSchema, registerRequestSchema } from '@overens/model/requests';
import { eq } from 'drizzle-orm';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords.ts';
import {
  clearSessionCookie,
  createSession,
  deviceToken,
  revokeSession,
  sessionToken,
  setDeviceCookie,
  setSessionCookie,
} from '../auth/sessions.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { users } from '../db/schema/index.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser } from '../http/openapi.ts';
import { ApiError, conflict } from '../http/problem.ts';
import { clientIp, KNOWN_DEVICE_SECONDS } from '../http/rate-limit.ts';

export const UserSchema = z
  .object({ id: z.uuid(), email: z.string(), name: z.string() })
  .openapi('User');

// The rules live in @overens/model/requests: the web's sign-in and registration forms check the same.
const RegisterSchema = registerRequestSchema.openapi('RegisterRequest');
const LoginSchema = loginRequestSchema.openapi('LoginRequest');

export const authRoutes = createRouter();

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/register',
    tags: ['auth'],
    summary: 'Create an account and sign in (sets the overens_session cookie)',
    request: { body: jsonBody(RegisterSchema) },
    responses: { 201: jsonContent(UserSchema, 'Account created, signed in'), ...problems(400, 409, 413, 415, 429) },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    const body = c.req.valid('json');
    const passwordHash = await hashPassword(body.password);
    let user;
    try {
      [user] = await db
        .insert(users)
        .values({ email: body.email, name: body.name, passwordHash })
        .returning({ id: users.id, email: users.email, name: users.name });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw conflict('email', 'an account with this e-mail address already exists: sign in instead', 'email-taken');
      }
      throw err;
    }
    if (!user) throw new Error('insert returned no row');
    const session = await createSession(db, user.id, config.sessionTtlMs, c.req.header('user-agent'));
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json(user, 201);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Sign in (sets the overens_session cookie). Failed attempts are limited per account and source (e-mail + IP) and per IP; many failures for one account from anywhere slow its next attempts (429 with Retry-After).',
    request: { body: jsonBody(LoginSchema) },
    responses: { 200: jsonContent(UserSchema, 'Signed in'), ...problems(400, 401, 413, 415, 429) },
  }),
  async (c) => {
    const { db, config, loginThrottle } = c.get('deps');
    const body = c.req.valid('json');
    const ip = clientIp(c, config.trustProxy);
    const attempt = await loginThrottle.check(body.email, ip, deviceToken(c));
    const [row] = await db.select().from(users).where(eq(users.email, body.email)).limit(1);
    // Verify against a dummy hash when there is no such account: same cost, no account enumeration by timing.
    const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), body.password);
    if (!row || !ok) {
      await loginThrottle.failed(attempt);
      throw new ApiError(401, 'invalid-credentials', 'Wrong e-mail or password', 'The e-mail address or the password is wrong. Check both and try again.', [
        { field: 'password', message: 'does not match this e-mail address (or there is no account with it): check both' },
      ]);
    }
    await loginThrottle.succeeded(attempt, setDeviceCookie(c, KNOWN_DEVICE_SECONDS));
    const session = await createSession(db, row.id, config.sessionTtlMs, c.req.header('user-agent'));
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ id: row.id, email: row.email, name: row.name }, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/logout',
    tags: ['auth'],
    summary: 'Sign out: revokes the session server-side and clears the cookie',
    responses: { 204: { description: 'Signed out (also when there was no session)' } },
  }),
  async (c) => {
    const { db } = c.get('deps');
    const token = sessionToken(c);
    if (token) await revokeSession(db, token);
    clearSessionCookie(c);
    return c.body(null, 204);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/me',
    tags: ['auth'],
    summary: 'The signed-in user',
    security: cookieAuth,
    responses: { 200: jsonContent(UserSchema, 'The signed-in user'), ...problems(401) },
  }),
  (c) => {
    const user = requireUser(c);
    return c.json({ id: user.id, email: user.email, name: user.name }, 200);
  },
);
