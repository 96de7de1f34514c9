/**
 * One live connection to an agreement's Y.Doc:
 *  - the unmodified y-websocket WebsocketProvider (`ws(s)://host/sync/<agreementId>`), which reconnects
 *    with exponential backoff (capped at `maxBackoffTime`);
 *  - a y-indexeddb cache, so that a reload while offline still shows the last content, and edits made
 *    offline are kept and sent when the connection returns;
 *  - a status for the UI: connecting / connected / saving / saved / offline / read-only.
 *
 * "saved" comes from the server (GET /api/agreements/:id/sync-status → {state: saved|saving|unsaved},
 * see apps/server/src/sync/README.md): after a local edit the status is "saving"; once the websocket has
 * sent everything, the client asks the server, and only a "saved" answer that was requested after the
 * last local edit turns the status to "saved".
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import { sendOnlyOwnAwareness } from './awareness-echo.ts';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type ConnectionStatus = 'connecting' | 'connected' | 'saving' | 'saved' | 'offline' | 'read-only';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Websocket open and the first sync with the server done. */
  synced: boolean;
  /** The IndexedDB cache has been loaded into the doc. */
  cacheLoaded: boolean;
  /** The server closed the connection permanently (e.g. access removed): code and reason. */
  closed: { code: number; reason: string } | null;
  /** Edits made while offline / not yet confirmed saved. */
  unsaved: boolean;
  /**
   * What the server says about this socket (awareness entry of client id 0, see
   * apps/server/src/sync/README.md): read-only (role or lock) and the save state of the document.
   */
  server: { readOnly: boolean; locked: boolean; save: 'saved' | 'saving' | 'unsaved' } | null;
}

export interface AgreementConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  getState(): ConnectionState;
  subscribe(listener: (s: ConnectionState) => void): () => void;
  setReadOnly(readOnly: boolean): void;
  destroy(): void;
}

function syncBaseUrl(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/sync`;
}

/** How long the socket waits for the IndexedDB cache before it opens anyway. */
const CACHE_WAIT_MS = 300;

export function connectAgreement(agreementId: string, opts: { readOnly: boolean }): AgreementConnection {
  const doc = new Y.Doc();
  performance.mark('overens:cache-open');
  const persistence = new IndexeddbPersistence(`overens-agreement-${agreementId}`, doc);
  // The cache write (an IndexedDB transaction per update) is taken off the keystroke's path: it ran
  // before the websocket send on the typing side and inside the apply task on the receiving side.
  doc.off('update', persistence._storeUpdate);
  const provider = new WebsocketProvider(syncBaseUrl(), agreementId, doc, {
    maxBackoffTime: 5000,
    // Every tab goes through the server, so its permission checks apply to every edit.
    disableBc: true,
    connect: false,
  });
  const cache = deferredCacheWriter(doc, persistence);
  const stopEchoFilter = sendOnlyOwnAwareness(provider);
  // The socket opens once the cached copy is in the doc, so the first sync step asks the server only
  // for what the cache lacks. Opened at once, it often asked before the cache had loaded and received
  // the whole document, which was then applied (and written to the cache again) on top of the cached
  // copy: double work while the page opens. A cache that does not answer soon does not hold it back.
  let connectStarted = false;
  const connectSocket = () => {
    window.clearTimeout(connectFallback);
    if (connectStarted || destroyed) return;
    connectStarted = true;
    provider.connect();
  };
  const connectFallback = window.setTimeout(connectSocket, CACHE_WAIT_MS);
  void persistence.whenSynced.then(() => {
    performance.mark('overens:cache-loaded');
    connectSocket();
  }, connectSocket);

  let readOnly = opts.readOnly;
  let wsStatus: 'connected' | 'disconnected' | 'connecting' = 'connecting';
  let synced = false;
  let everConnected = false;
  let failedOnce = false;
  let cacheLoaded = false;
  let closed: { code: number; reason: string } | null = null;
  let server: ConnectionState['server'] = null;
  let saveState: 'idle' | 'saving' | 'saved' = 'idle';
  let editSeq = 0;
  let destroyed = false;
  let pollTimer: number | undefined;
  const listeners = new Set<(s: ConnectionState) => void>();

  const compute = (): ConnectionState => {
    let status: ConnectionStatus;
    // "connecting" only for the very first connection; after that a lost connection is "offline".
    if (closed || wsStatus !== 'connected') status = wsStatus === 'connecting' && !closed && !everConnected && !failedOnce ? 'connecting' : 'offline';
    else if (readOnly || server?.readOnly) status = 'read-only';
    else if (!synced) status = 'connecting';
    else if (saveState === 'saving') status = 'saving';
    else if (saveState === 'saved') status = 'saved';
    else status = 'connected';
    return { status, synced, cacheLoaded, closed, unsaved: saveState === 'saving', server };
  };
  let state = compute();
  const emit = () => {
    const next = compute();
    if (
      next.status === state.status &&
      next.synced === state.synced &&
      next.cacheLoaded === state.cacheLoaded &&
      next.closed === state.closed &&
      next.unsaved === state.unsaved &&
      JSON.stringify(next.server) === JSON.stringify(state.server)
    )
      return;
    state = next;
    for (const l of listeners) l(state);
  };

  const schedulePoll = (delay: number) => {
    window.clearTimeout(pollTimer);
    pollTimer = window.setTimeout(pollSaved, delay);
  };

  const pollSaved = async () => {
    if (destroyed || saveState !== 'saving') return;
    const ws = provider.ws;
    if (!provider.wsconnected || !synced || !ws || ws.bufferedAmount > 0) {
      schedulePoll(800);
      return;
    }
    const seqAtRequest = editSeq;
    try {
      const res = await fetch(`/api/agreements/${encodeURIComponent(agreementId)}/sync-status`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (res.ok) {
        const body = (await res.json()) as { state?: string; locked?: boolean };
        if (body.locked && !readOnly) {
          readOnly = true;
        }
        if (body.state === 'saved' && seqAtRequest === editSeq) {
          saveState = 'saved';
          emit();
          return;
        }
      } else if (res.status === 404 || res.status === 405 || res.status === 501) {
        // No save status on this server: the best we know is "sent".
        if (seqAtRequest === editSeq) {
          saveState = 'saved';
          emit();
          return;
        }
      }
    } catch {
      /* offline: retry below */
    }
    schedulePoll(1000);
  };

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    // Local edits (Tiptap, accessors) — not updates that came from the server or the cache.
    if (origin === provider || origin === persistence) return;
    if (readOnly) return;
    editSeq++;
    saveState = 'saving';
    emit();
    schedulePoll(600);
  };
  doc.on('update', onUpdate);

  provider.on('status', ({ status }) => {
    wsStatus = status;
    if (status === 'connected') everConnected = true;
    if (status !== 'connected') synced = false;
    emit();
  });
  provider.on('sync', (isSynced: boolean) => {
    synced = isSynced;
    if (isSynced && saveState === 'saving') schedulePoll(300);
    emit();
  });
  const onFail = () => {
    failedOnce = true;
    emit();
  };
  provider.on('connection-close', onFail);
  provider.on('connection-error', onFail);
  provider.on('closed', (event) => {
    closed = { code: event.code, reason: event.reason };
    // The server refused this client's changes in suggest mode (issue #16): every later change of this
    // client depends on the refused one, so the cached copy must not be sent again after a reload.
    if (event.code === 4403 && event.reason.startsWith('suggest mode:')) void persistence.clearData().catch(() => {});
    emit();
  });
  // The server's own awareness entry (client id 0): read-only flag and save state, pushed live.
  const SERVER_ID = 0;
  const onAwareness = () => {
    const st = provider.awareness.getStates().get(SERVER_ID) as
      | { overensServer?: { readOnly?: boolean; locked?: boolean; save?: string } }
      | undefined;
    const o = st?.overensServer;
    const next: ConnectionState['server'] = o
      ? {
          readOnly: Boolean(o.readOnly),
          locked: Boolean(o.locked),
          save: o.save === 'unsaved' ? 'unsaved' : o.save === 'saving' ? 'saving' : 'saved',
        }
      : null;
    if (JSON.stringify(next) === JSON.stringify(server)) return;
    server = next;
    if (server?.save === 'saved' && saveState === 'saving') schedulePoll(100);
    emit();
  };
  provider.awareness.on('change', onAwareness);

  persistence.on('synced', () => {
    cacheLoaded = true;
    emit();
  });

  return {
    doc,
    provider,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setReadOnly(v: boolean) {
      readOnly = v;
      emit();
    },
    destroy() {
      destroyed = true;
      window.clearTimeout(connectFallback);
      cache.flush();
      cache.stop();
      window.clearTimeout(pollTimer);
      doc.off('update', onUpdate);
      provider.awareness.off('change', onAwareness);
      provider.awareness.setLocalState(null);
      stopEchoFilter();
      provider.destroy();
      void persistence.destroy();
      doc.destroy();
    },
  };
}

/**
 * Writes the document's updates to the IndexedDB cache in the next task (merged when several came in
 * one task) instead of inside the transaction that made them; flushed at once when the page is hidden
 * or the connection closes, so what was typed offline is still kept.
 */
function deferredCacheWriter(doc: Y.Doc, persistence: IndexeddbPersistence): { flush(): void; stop(): void } {
  let pending: Uint8Array[] = [];
  let timer: number | undefined;
  const flush = () => {
    window.clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const update = pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending);
    pending = [];
    persistence._storeUpdate(update, null);
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === persistence) return; // read from the cache: already there
    pending.push(update);
    timer ??= window.setTimeout(flush, 0);
  };
  doc.on('update', onUpdate);
  window.addEventListener('pagehide', flush);
  return {
    flush,
    stop: () => {
      doc.off('update', onUpdate);
      window.removeEventListener('pagehide', flush);
    },
  };
}

/*
 * Shared connections: the agreement page and main.tsx's early start (a direct load of an agreement URL
 * opens the socket while the page's code and the user's session are still loading) use the same one.
 * A released connection lives on for a moment, so React's StrictMode remount and a quick back-and-forth
 * reuse it instead of syncing the whole document again.
 */
interface Shared {
  conn: AgreementConnection;
  refs: number;
  timer: number | undefined;
}
const shared = new Map<string, Shared>();
const LINGER_MS = 2000;
/** How long an early start waits for the page to take its connection over. */
const EARLY_MS = 15000;

function lingerThenClose(agreementId: string, s: Shared, ms: number): void {
  window.clearTimeout(s.timer);
  s.timer = window.setTimeout(() => {
    if (s.refs > 0 || shared.get(agreementId) !== s) return;
    shared.delete(agreementId);
    s.conn.destroy();
  }, ms);
}

/** The page's connection to this agreement (one per agreement); call the returned release when done. */
export function acquireConnection(agreementId: string, opts: { readOnly: boolean }): { conn: AgreementConnection; release: () => void } {
  let s = shared.get(agreementId);
  if (!s) {
    s = { conn: connectAgreement(agreementId, opts), refs: 0, timer: undefined };
    shared.set(agreementId, s);
  } else s.conn.setReadOnly(opts.readOnly);
  const entry = s;
  window.clearTimeout(entry.timer);
  entry.refs++;
  let released = false;
  return {
    conn: entry.conn,
    release: () => {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs === 0) lingerThenClose(agreementId, entry, LINGER_MS);
    },
  };
}

/** Opens the connection before the page needs it (read-only until the page knows the user's role). */
export function preconnectAgreement(agreementId: string): void {
  if (shared.has(agreementId)) return;
  const s: Shared = { conn: connectAgreement(agreementId, { readOnly: true }), refs: 0, timer: undefined };
  shared.set(agreementId, s);
  lingerThenClose(agreementId, s, EARLY_MS);
}
