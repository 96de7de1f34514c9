import fs from 'node:fs';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Serves the built web app from `root` (GET/HEAD only) with SPA fallback: paths that are not a file
 * and not under /api, /sync or /metrics get index.html. Hashed assets (/assets/…) are cached for a year;
 * index.html is revalidated every time so a new build shows up at once. Checks for `root` on every
 * request, so a build made while the server runs is picked up.
 */
export function serveWebApp(root: string): MiddlewareHandler {
  const resolvedRoot = path.resolve(root);
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const urlPath = decodeURIComponentSafe(new URL(c.req.url).pathname);
    if (urlPath === null) return next();
    if (/^\/(api|sync|metrics)(\/|$)/.test(urlPath)) return next();
    const index = path.join(resolvedRoot, 'index.html');
    if (!fs.existsSync(index)) return next();
    const candidate = path.resolve(resolvedRoot, '.' + urlPath);
    let file = index;
    if (candidate.startsWith(resolvedRoot + path.sep)) {
      try {
        if (fs.statSync(candidate).isFile()) file = candidate;
      } catch {
        // not a file: SPA fallback
      }
    }
    if (file === index && path.extname(urlPath) !== '' && !urlPath.endsWith('.html')) {
      return next(); // a missing asset is a 404, not the app shell
    }
    const body = await fs.promises.readFile(file);
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'content-type': type,
      'cache-control': file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);
    return c.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>, 200, headers);
  };
}

function decodeURIComponentSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
