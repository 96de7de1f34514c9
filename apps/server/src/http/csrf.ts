import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { forbidden } from './problem.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/**
 * CSRF protection for state-changing requests (Origin check, OWASP "verifying origin with standard
 * headers"): if the request carries an Origin (or, lacking it, a Referer), its host must be the
 * request's own host or one of `allowedOrigins`. A request that carries the session cookie must
 * carry one of them. Cookie-less requests without either header (curl, scripts) pass: they cannot
 * ride on a victim's session. SameSite=Lax on the cookie is the second layer.
 */
export function csrfProtection(opts: { allowedOrigins: string[]; trustProxy: boolean }): MiddlewareHandler {
  const allowed = new Set(opts.allowedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null));
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
    const ok = origin !== null && (new URL(origin).host === host || allowed.has(origin));
    if (!ok) {
      throw forbidden(
        `Cross-site request refused: Origin ${origin ?? source} does not match this server (${host}). Use the Överens web app on this address.`,
      );
    }
    return next();
  };
}
