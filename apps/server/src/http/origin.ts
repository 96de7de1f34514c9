/**
 * Which browser origins may act on this server (CSRF check and websocket handshake). When
 * OVERENS_PUBLIC_URL or OVERENS_ALLOWED_ORIGINS is set, exactly those origins: the Host header is
 * chosen by the client (and rewritten by proxies), so it is no evidence of where a page came from.
 * Without either, the request's own host is the fallback (a single server reached directly).
 */

/** `scheme://host[:port]` of a URL, lower-cased, default port dropped; null when it is not a URL. */
export function originOf(value: string | undefined | null): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export type OriginCheck = (origin: string, ownHost: string | undefined) => boolean;

export function originCheck(allowedOrigins: readonly string[]): OriginCheck {
  const allowed = new Set(allowedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null));
  return (origin, ownHost) => {
    const normalised = originOf(origin);
    if (normalised === null) return false;
    if (allowed.size > 0) return allowed.has(normalised);
    return ownHost !== undefined && ownHost !== '' && new URL(normalised).host === ownHost.toLowerCase();
  };
}
