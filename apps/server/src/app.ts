import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { resolveSession, sessionToken, setSessionCookie } from './auth/sessions.ts';
import type { AppDeps } from './deps.ts';
import { csrfProtection } from './http/csrf.ts';
import { mountOpenApiDocument, type AppEnv } from './http/openapi.ts';
import { isDatabaseUnreachable, pgErrorCode } from './db/errors.ts';
import { databaseDeadline, databaseUnavailable } from './http/db-unavailable.ts';
import { ApiError, notFound, payloadTooLarge, problemResponse } from './http/problem.ts';
import { DomainError } from './domain/errors.ts';
import { problemFromDomain } from './http/domain-problem.ts';
import { rateLimitByIp } from './http/rate-limit.ts';
import { securityHeaders } from './http/security-headers.ts';
import { serveWebApp } from './http/static.ts';
import { validationHook } from './http/validate.ts';
import { mountRoutes } from './routes/index.ts';

/** Builds the Hono app: middleware, every route, /metrics, the OpenAPI document, the web app. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { config, logger, metrics } = deps;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || randomUUID();
    c.set('deps', deps);
    c.set('user', null);
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    await next();
    const route = routePath(c) || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    if (route.startsWith('/api')) {
      const line = { requestId, method: c.req.method, path: c.req.path, route, status, ms: Math.round(seconds * 1000), userId: c.get('user')?.id };
      if (status >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request');
    }
  });

  app.use('*', securityHeaders({ publicUrl: config.publicUrl, trustProxy: config.trustProxy }));

  // Body size: JSON bodies are small; uploads (DOCX import: multipart / octet-stream) get more room.
  const jsonLimit = bodyLimit({ maxSize: config.maxBodyBytes, onError: () => problemResponse(payloadTooLarge(config.maxBodyBytes)) });
  const uploadLimit = bodyLimit({ maxSize: config.maxUploadBytes, onError: () => problemResponse(payloadTooLarge(config.maxUploadBytes)) });
  app.use('/api/*', (c, next) => {
    const type = c.req.header('content-type') ?? '';
    return /^(multipart\/form-data|application\/octet-stream|application\/vnd\.openxmlformats)/i.test(type)
      ? uploadLimit(c, next)
      : jsonLimit(c, next);
  });

  app.use('/api/*', csrfProtection({ allowedOrigins: config.allowedOrigins, trustProxy: config.trustProxy }));

  // Bounded wait on the database (the session lookup below is the first query of most requests).
  const deadline = databaseDeadline(config.dbUnavailableTimeoutMs);
  app.use('/api/*', (c, next) => (c.req.path.startsWith('/api/health') || c.req.path === '/api/openapi.json' ? next() : deadline(c, next)));

  // Session: sets c.var.user when the cookie names a live session; anonymous otherwise.
  app.use('/api/*', async (c, next) => {
    const token = sessionToken(c);
    if (token) {
      const session = await resolveSession(deps.db, token, { ttlMs: config.sessionTtlMs, sliding: config.sessionSliding });
      if (session) {
        c.set('user', session.user);
        if (session.extended) setSessionCookie(c, token, session.expiresAt);
      }
    }
    await next();
  });

  app.use(
    '/api/auth/register',
    rateLimitByIp({
      store: deps.limiters,
      name: 'register:ip',
      limit: config.registerMaxPerHour,
      windowMs: 3600_000,
      trustProxy: config.trustProxy,
      code: 'registration-throttled',
      en: 'Too many accounts were created from your network in the last hour. Wait {s} seconds and try again, or ask a colleague who already has an account to invite you.',
      sv: 'För många konton har skapats från ditt nätverk den senaste timmen. Vänta {s} sekunder och försök igen, eller be en kollega som redan har ett konto att bjuda in dig.',
    }),
  );

  mountRoutes(app);
  mountOpenApiDocument(app);

  app.get('/metrics', async (c) => {
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': metrics.registry.contentType });
  });

  app.use('*', serveWebApp(config.webDistDir));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api')) {
      return problemResponse(notFound(`There is no ${c.req.method} ${c.req.path} endpoint; see /api/openapi.json for the API.`));
    }
    return c.text('Not found', 404);
  });

  app.onError((err, c) => {
    if (err instanceof ApiError) return problemResponse(err);
    if (err instanceof DomainError) return problemResponse(problemFromDomain(err));
    if (err instanceof HTTPException) {
      const status = err.status;
      if (status === 400 && /json/i.test(err.message)) {
        return problemResponse(
          new ApiError(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.', [
            { field: 'body', message: 'must be valid JSON' },
          ]),
        );
      }
      if (status === 415) {
        return problemResponse(
          new ApiError(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as JSON with the header Content-Type: application/json.', [
            { field: 'body', message: 'must be sent with Content-Type: application/json' },
          ]),
        );
      }
      if (status === 413) return problemResponse(payloadTooLarge(config.maxBodyBytes));
      return problemResponse(new ApiError(status, 'http-error', err.message || 'Request failed', err.message || 'The request could not be processed.'));
    }
    if (isDatabaseUnreachable(err)) return problemResponse(databaseUnavailable());
    const code = pgErrorCode(err);
    if (code?.startsWith('22')) {
      // Data exceptions: values the database cannot store (a NUL character in text, out-of-range numbers).
      return problemResponse(
        new ApiError(400, 'invalid-value', 'Invalid value', 'A value in the request cannot be stored (for example text containing a NUL character or a number out of range). Remove it and try again.', [
          { field: 'body', message: 'contains a value that cannot be stored (NUL character or out-of-range number)' },
        ]),
      );
    }
    if (code?.startsWith('23')) {
      return problemResponse(new ApiError(409, 'conflict', 'Conflict', 'The request conflicts with a change made at the same time. Reload and try again.'));
    }
    if (code === '40001' || code === '40P01') {
      return problemResponse(new ApiError(503, 'retry', 'Try again', 'The database was busy with a conflicting change. Try again.', undefined, { 'retry-after': '1' }));
    }
    logger.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
    return problemResponse(
      new ApiError(500, 'internal', 'Internal error', `Something went wrong on the server. Try again; if it persists, report request id ${c.get('requestId')}.`),
    );
  });

  return app;
}
