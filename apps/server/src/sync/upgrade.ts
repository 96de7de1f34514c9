/**
 * HTTP upgrade gate for /sync/:agreementId. Everything is decided BEFORE the websocket handshake:
 * not our path -> ignored (another upgrade handler may take it), bad Origin -> 403, throttled -> 429,
 * no session -> 401, not a member (or unknown agreement) -> 404, too many connections -> 429.
 * Refusals are written as a plain HTTP response on the raw socket, which is then destroyed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { originCheck, type OriginCheck } from '../http/origin.ts';
import { forwardedFor } from '../http/rate-limit.ts';

export const SYNC_PATH_PREFIX = '/sync/';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The agreement id of a sync URL, `undefined` if the path is not ours, `null` if malformed. */
export function parseSyncPath(url: string | undefined): string | null | undefined {
  if (!url) return undefined;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.startsWith(SYNC_PATH_PREFIX)) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(path.slice(SYNC_PATH_PREFIX.length));
  } catch {
    return null;
  }
  return UUID_RE.test(id) ? id.toLowerCase() : null;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answer an upgrade request with a plain HTTP error and close the socket. */
export function refuseUpgrade(socket: Duplex, status: number, detail: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ type: 'about:blank', title: STATUS_TEXT[status] ?? 'Error', status, detail });
  const head =
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: application/problem+json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    (status === 429 || status === 503 ? 'Retry-After: 2\r\n' : '') +
    '\r\n';
  socket.once('finish', () => socket.destroy());
  socket.end(head + body);
  // in case the peer never reads
  setTimeout(() => socket.destroy(), 2000).unref();
}

/**
 * Origin policy: browsers always send Origin on websocket handshakes; it must be one of
 * `allowedOrigins` (OVERENS_PUBLIC_URL, OVERENS_ALLOWED_ORIGINS) when any are configured, else the
 * server's own origin (same host as the Host header). Requests without Origin come from non-browser
 * clients, which cannot be cross-site forged; they are allowed (the session cookie is still required).
 */
const checks = new WeakMap<readonly string[], OriginCheck>();
export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let check = checks.get(allowedOrigins);
  if (!check) checks.set(allowedOrigins, (check = originCheck(allowedOrigins)));
  return check(origin, req.headers.host);
}

/** Client IP (the socket peer; X-Forwarded-For only when trustProxy is on). */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = forwardedFor(req.headers['x-forwarded-for']);
    if (forwarded) return forwarded;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
