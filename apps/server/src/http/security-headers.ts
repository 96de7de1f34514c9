/**
 * Response headers of the perimeter, on every response (web app, assets, API, problems):
 * a strict Content-Security-Policy, nosniff, Referrer-Policy, no framing, and hono's other defaults.
 *
 * The CSP allows scripts, styles, fonts, workers and the manifest from this origin only, no inline
 * script and no eval; `connect-src` is this origin plus its websocket (ws:/wss: of the same host,
 * spelled out because older browsers do not count ws: as 'self'). `img-src` also allows data: URLs (the
 * favicon in index.html is one). No 'unsafe-inline' for styles, not even for style attributes: in
 * Chromium the app (sign-in, editor, remote carets, dialogs) sets styles only through CSSOM, which CSP
 * allows; Tiptap's injected <style> is turned off (injectCSS: false, tiptap-base.css) and zod's eval
 * probe too (apps/web/src/strict-csp.ts). tests/e2e/content-security-policy.test.ts checks that no
 * violation is reported.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const HOST_RE = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

export function contentSecurityPolicy(host: string | null): string {
  const ws = host && HOST_RE.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(opts: { publicUrl: string | null; trustProxy: boolean }): MiddlewareHandler {
  const publicHost = opts.publicUrl ? new URL(opts.publicUrl).host : null;
  // Referrer-Policy must not be no-referrer (hono's default): browsers then send `Origin: null` on
  // same-origin POSTs, and the CSRF check needs the real Origin.
  const others = secureHeaders({
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
  });
  return async (c, next) => {
    await others(c, async () => {
      await next();
    });
    const host = publicHost ?? (opts.trustProxy ? c.req.header('x-forwarded-host') : undefined) ?? c.req.header('host') ?? null;
    c.res.headers.set('content-security-policy', contentSecurityPolicy(host));
  };
}
