import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { originCheck, originOf } from './origin.ts';
import { forbidden } from './problem.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for state-changing requests (Origin check, OWASP "verifying origin with standard
 * headers"): if the request carries an Origin (or, lacking it, a Referer), it must be one of
 * `allowedOrigins` when any are configured, else the request's own host (see origin.ts). A request that carries the session cookie must
 * carry one of them. Cookie-less requests without either header (curl, scripts) pass: they cannot
 * ride on a victim's session. SameSite=Lax on the cookie is the second layer.
 */
export function csrfProtection(opts: { allowedOrigins: string[]; trustProxy: boolean }): MiddlewareHandler {
  const allowed = originCheck(opts.allowedOrigins);
  const configured = opts.allowedOrigins.length > 0;
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const originHeader = c.req.header('origin');
    const source = originHeader && originHeader !== 'null' ? originHeader : c.req.header('referer');
    const hasSession = getCookie(c, SESSION_COOKIE) !== undefined;
    if (!source) {
      if (originHeader === 'null' || hasSession) {
        throw forbidden(
          'This request changes data with your session cookie but has no Origin or Referer header. Send it from the Överens web app (or set Origin to this server\'s address).',
        );
      }
      return next();
    }
    const origin = originOf(source);
    const url = new URL(c.req.url);
    const host = (opts.trustProxy ? c.req.header('x-forwarded-host') : undefined) ?? c.req.header('host') ?? url.host;
    if (origin === null || !allowed(origin, host)) {
      const expected = configured ? opts.allowedOrigins.join(', ') : host;
      throw forbidden(
        `Cross-site request refused: Origin ${origin ?? source} is not this server's address (${expected}). Use the Överens web app on that address.`,
      );
    }
    return next();
  };
}
