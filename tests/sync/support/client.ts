/** Real y-websocket WebsocketProvider clients in Node (ws as the WebSocket implementation). */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

export interface TestClient {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  destroy(): void;
}

export function cookieWebSocket(token: string | null, origin?: string) {
  return class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      const headers: Record<string, string> = {};
      if (token) headers.cookie = `overens_session=${token}`;
      if (origin) headers.origin = origin;
      super(url, protocols, { headers });
    }
  };
}

export function connectClient(
  httpUrl: string,
  agreementId: string,
  token: string,
  opts: { doc?: Y.Doc; connect?: boolean; awareness?: Record<string, unknown> } = {},
): TestClient {
  const doc = opts.doc ?? new Y.Doc();
  const wsUrl = httpUrl.replace(/^http/, 'ws') + '/sync';
  const provider = new WebsocketProvider(wsUrl, agreementId, doc, {
    WebSocketPolyfill: cookieWebSocket(token) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
    connect: opts.connect ?? true,
  });
  if (opts.awareness) provider.awareness.setLocalState(opts.awareness);
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (ev) => {
    if (ev) closes.push({ code: ev.code, reason: ev.reason });
  });
  return {
    doc,
    text: doc.getText('text'),
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Poll until `cond` holds (no timing assertion: only the test timeout bounds it). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function synced(c: TestClient): boolean {
  return c.provider.synced && c.provider.wsconnected;
}

/** Result of a raw upgrade attempt: HTTP status if refused before the upgrade, 101 if accepted. */
export function tryUpgrade(httpUrl: string, agreementId: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(httpUrl.replace(/^http/, 'ws') + '/sync/' + agreementId, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('error', (err) => {
      if (!String(err.message).includes('Unexpected server response')) reject(err);
    });
  });
}
