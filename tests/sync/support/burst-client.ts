/**
 * A real y-websocket client in its own process that, on 'go' (IPC), makes N single-character edits
 * as fast as it can, each its own update message (a runaway or long-offline client). Its own
 * process, so its busy loop does not stall the test's or bench's observers and health polls.
 * Started by `spawnBurstClient` (burst.ts).
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

const { url, agreementId, token, n } = JSON.parse(process.env.BURST_CLIENT!) as { url: string; agreementId: string; token: string; n: number };
class CookieWs extends WebSocket {
  constructor(u: string | URL, protocols?: string | string[]) {
    super(u, protocols, { headers: { cookie: `overens_session=${token}` } });
  }
}
const doc = new Y.Doc();
const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + '/sync', agreementId, doc, {
  WebSocketPolyfill: CookieWs as unknown as typeof globalThis.WebSocket,
  disableBc: true,
});
provider.on('sync', (synced: boolean) => {
  if (synced) process.send!({ type: 'ready' });
});
provider.on('connection-close', (ev: { code: number; reason: string } | null) => {
  if (ev) process.send!({ type: 'closed', code: ev.code, reason: ev.reason });
});
process.on('message', (msg: { type: string }) => {
  if (msg.type !== 'go') return;
  const text = doc.getText('text');
  for (let i = 0; i < n; i++) text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  process.send!({ type: 'sent' });
});
process.on('disconnect', () => process.exit(0));
