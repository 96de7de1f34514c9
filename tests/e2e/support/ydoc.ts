/**
 * A Node-side y-websocket client signed in as a browser actor: used to prepare document content
 * (e.g. fill every required section but one) through the same sync endpoint and permission checks.
 */
import { AgreementDoc } from '@overens/model';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Actor } from './scenario.ts';
import type { E2EServer } from './server.ts';

export interface NodeDocClient {
  doc: Y.Doc;
  adoc: AgreementDoc;
  provider: WebsocketProvider;
  /** Resolves when the server has everything this client knows (a round trip after the last change). */
  flushed(): Promise<void>;
  close(): void;
}

export async function connectAs(server: E2EServer, actor: Actor, agreementId: string): Promise<NodeDocClient> {
  const cookies = await actor.context.cookies(server.url);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie, origin: server.url } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, agreementId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node client did not sync')), 30_000);
    provider.once('sync', (synced: boolean) => {
      if (synced) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    doc,
    adoc: new AgreementDoc(doc),
    provider,
    async flushed() {
      // A fresh client that syncs must see our state: proves the server has applied it.
      const mine = Y.decodeStateVector(Y.encodeStateVector(doc));
      for (let i = 0; i < 200; i++) {
        const probe = new Y.Doc();
        const p = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, agreementId, probe, {
          WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
        });
        await new Promise<void>((resolve) => p.once('sync', () => resolve()));
        const theirs = Y.decodeStateVector(Y.encodeStateVector(probe));
        p.destroy();
        probe.destroy();
        let caughtUp = true;
        for (const [client, clock] of mine) if ((theirs.get(client) ?? 0) < clock) caughtUp = false;
        if (caughtUp) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('server never caught up with the node client');
    },
    close() {
      provider.destroy();
      doc.destroy();
    },
  };
}
