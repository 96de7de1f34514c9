/**
 * Document registry: loads a document on first use (snapshot + tail from the database, then asks
 * peer processes for what they hold in flight), tracks its sockets, unloads it after a short idle
 * time (flushing first), and implements the SyncHub contract used by the rest of the server.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { removeUnsafeLinks } from '@overens/model';
import { Connection, type ConnectionInfo, type Role } from './connection.ts';
import { FlushScheduler } from './flush-scheduler.ts';
import type { DocumentChangedListener, DocumentSyncStatus, SaveState, SyncHub, SyncStatus } from './hub-contract.ts';
import { defaultInboundOptions, Inbox, type InboundOptions, InboundScheduler } from './inbound.ts';
import { ConnectionCounter, defaultLimits, IpThrottle, type SyncLimits } from './limits.ts';
import { type Logger, silentLogger } from './logger.ts';
import { createSyncMetrics, type SyncMetrics } from './metrics.ts';
import { docFromUpdates, loadDocument, type SyncDb } from './persistence.ts';
import { CloseCode, decodeAwarenessUpdate } from './protocol.ts';
import { type RelayHandlers, type RelayMessage, NoRelay, type Relay } from './relay.ts';
import { RemoteOrigin, Room } from './room.ts';
import { clientIp, originAllowed, parseSyncPath, refuseUpgrade } from './upgrade.ts';

export interface AuthenticatedUser {
  userId: string;
  name: string;
}
export interface Authorization {
  role: Role;
  partyId: string;
}

export interface SyncHubOptions {
  db: SyncDb;
  /** Session cookie -> user, or null (HTTP 401 before the upgrade). */
  authenticate(req: IncomingMessage): Promise<AuthenticatedUser | null>;
  /** Membership of the agreement, or null (HTTP 404 before the upgrade). */
  authorize(userId: string, agreementId: string): Promise<Authorization | null>;
  /** Whether the agreement is locked (read at load). Default: never locked. */
  isLocked?(agreementId: string): Promise<boolean>;
  logger?: Logger;
  metrics?: SyncMetrics;
  /** Create the Redis relay (see redis-relay.ts); default: single process. */
  relay?: (handlers: RelayHandlers) => Relay;
  limits?: Partial<SyncLimits>;
  /** Extra allowed websocket Origins (the server's own origin is always allowed). */
  allowedOrigins?: string[];
  trustProxy?: boolean;
  flushIntervalMs?: number;
  /** Unload a document this long after its last socket left. */
  idleUnloadMs?: number;
  compactRows?: number;
  compactBytes?: number;
  /** Minimum ms between update broadcasts per document during bursts (coalescing); default 0. */
  broadcastWindowMs?: number;
  /** Remote updates not confirmed persisted by their origin process within this time are persisted here. */
  orphanAfterMs?: number;
  /** Slices and back-pressure for incoming messages (see inbound.ts). */
  inbound?: Partial<InboundOptions>;
}

interface RemotePendingEntry {
  seq: number;
  update: Uint8Array;
  at: number;
}

/** Origin used for changes made through withDocument when the caller gives none. */
export const SERVER_ORIGIN = Symbol('overens-server');
/** Origin of the on-load removal of links the link rule refuses. */
const LINK_SWEEP_ORIGIN = Symbol('overens-link-sweep');

export class Hub implements SyncHub {
  readonly processId = randomUUID();
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly listeners = new Set<DocumentChangedListener>();
  private readonly logger: Logger;
  readonly metrics: SyncMetrics;
  private readonly limits: SyncLimits;
  private readonly flusher: FlushScheduler;
  private readonly relay: Relay;
  private readonly wss: WebSocketServer;
  private readonly ipThrottle: IpThrottle;
  private readonly inbound: InboundScheduler;
  private readonly perAgreement = new ConnectionCounter();
  private readonly perUser = new ConnectionCounter();
  private readonly idleUnloadMs: number;
  private readonly orphanAfterMs: number;
  private readonly attached = new Set<HttpServer>();
  private seq = 0;
  /** remote updates awaiting their origin's "persisted" ack: agreementId -> processId -> entries */
  private readonly remotePending = new Map<string, Map<string, RemotePendingEntry[]>>();
  private readonly timer: NodeJS.Timeout;
  private closing = false;
  private connectionCount = 0;

  constructor(private readonly o: SyncHubOptions) {
    this.logger = o.logger ?? silentLogger;
    this.metrics = o.metrics ?? createSyncMetrics();
    this.limits = { ...defaultLimits, ...o.limits };
    this.idleUnloadMs = o.idleUnloadMs ?? 5000;
    this.orphanAfterMs = o.orphanAfterMs ?? 10_000;
    this.ipThrottle = new IpThrottle(this.limits.ipBurst, this.limits.ipPerSecond);
    this.inbound = new InboundScheduler({ ...defaultInboundOptions, ...o.inbound });
    this.flusher = new FlushScheduler({
      db: o.db,
      intervalMs: o.flushIntervalMs ?? 500,
      compactRows: o.compactRows ?? 200,
      compactBytes: o.compactBytes ?? 1024 * 1024,
      maxBackoffMs: 10_000,
      timeoutMs: 10_000,
      logger: this.logger,
      metrics: this.metrics,
      onStateChange: (agreementId) => this.onSaveStateChange(agreementId),
      onFlushed: (agreementId, seq) => {
        if (seq > 0) this.relay.publish(agreementId, { type: 'persisted', seq });
        const room = this.rooms.get(agreementId);
        if (room && room.conns.size === 0) this.scheduleIdle(room);
      },
      onDbStatus: (up) => this.logger.warn({ db: up ? 'up' : 'down' }, 'sync: database status changed'),
    });
    this.relay = o.relay
      ? o.relay({
          processId: this.processId,
          onMessage: (agreementId, msg) => this.onRelayMessage(agreementId, msg),
          onReconnect: () => this.resyncAllWithPeers(),
        })
      : new NoRelay();
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
    this.timer = setInterval(() => this.tick(), 5000);
    this.timer.unref();
  }

  /* ---------------- SyncHub contract ---------------- */

  attach(httpServer: HttpServer): void {
    if (this.attached.has(httpServer)) return;
    this.attached.add(httpServer);
    httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const agreementId = parseSyncPath(req.url);
      if (agreementId === undefined) return; // not ours
      socket.on('error', () => {});
      this.handleUpgrade(req, socket, head, agreementId).catch((err) => {
        this.logger.error({ err: String(err?.stack ?? err) }, 'sync: upgrade failed');
        refuseUpgrade(socket, 500, 'internal error');
      });
    });
  }

  async withDocument(agreementId: string, fn: (doc: Y.Doc) => void, origin: unknown = SERVER_ORIGIN): Promise<void> {
    const room = await this.getRoom(agreementId);
    room.pendingJoins++;
    try {
      room.change(fn, origin);
    } finally {
      room.pendingJoins--;
      if (room.conns.size === 0) this.scheduleIdle(room);
    }
  }

  async getDocumentState(agreementId: string): Promise<Y.Doc> {
    const room = this.rooms.get(agreementId);
    if (room) return docFromUpdates([Y.encodeStateAsUpdate(room.doc)]);
    // not loaded here: the database plus whatever a peer holds
    const loaded = await this.getRoom(agreementId);
    const copy = docFromUpdates([Y.encodeStateAsUpdate(loaded.doc)]);
    if (loaded.conns.size === 0) this.scheduleIdle(loaded);
    return copy;
  }

  // Both apply here first, then resolve only once the other processes were told (the outbox retries
  // a rejection, and applying twice is harmless).
  async membershipChanged(agreementId: string, userId: string): Promise<void> {
    await this.recheckMembership(agreementId, userId);
    await this.publishConfirmed(agreementId, { type: 'membership', userId });
  }

  async setLocked(agreementId: string, locked: boolean): Promise<void> {
    this.applyLock(agreementId, locked);
    await this.publishConfirmed(agreementId, { type: 'lock', locked });
  }

  private async publishConfirmed(agreementId: string, msg: RelayMessage): Promise<void> {
    if (this.relay.publishConfirmed) await this.relay.publishConfirmed(agreementId, msg);
    else this.relay.publish(agreementId, msg);
  }

  onDocumentChanged(listener: DocumentChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): SyncStatus {
    return {
      db: this.flusher.dbUp ? 'up' : 'down',
      redis: this.relay.status(),
      pendingBytes: this.flusher.pendingBytes() + this.remotePendingBytes(),
      documents: this.rooms.size,
      connections: this.connectionCount,
    };
  }

  documentStatus(agreementId: string): DocumentSyncStatus {
    const room = this.rooms.get(agreementId);
    return {
      agreementId,
      state: this.saveState(agreementId),
      loaded: !!room,
      locked: room?.locked ?? false,
      pendingBytes: this.flusher.pendingBytes(agreementId),
      lastSavedAt: this.flusher.lastSavedAt(agreementId)?.toISOString() ?? null,
    };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.timer);
    for (const room of this.rooms.values()) {
      for (const c of room.conns) c.close(CloseCode.goingAway, 'server shutting down');
    }
    // peers confirm persisting their updates within a flush interval; wait a little for that,
    // then persist whatever is still unconfirmed ourselves
    const until = Date.now() + 1500;
    while (this.remotePendingBytes() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    for (const room of this.rooms.values()) this.adoptRemotePending(room.agreementId, 0);
    const ok = await this.flusher.close();
    if (!ok) this.logger.error({ pendingBytes: this.flusher.pendingBytes() }, 'sync: closed with unsaved updates');
    await this.relay.close();
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    this.wss.close();
  }

  /* ---------------- upgrade + connections ---------------- */

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, agreementId: string | null): Promise<void> {
    const ip = clientIp(req, this.o.trustProxy ?? false);
    const refuse = (status: number, detail: string, result: string) => {
      this.metrics.upgrades.inc({ result });
      refuseUpgrade(socket, status, detail);
    };
    if (this.closing) return refuse(503, 'server shutting down', 'closing');
    if (!this.ipThrottle.take(ip)) return refuse(429, 'too many connection attempts', 'throttled');
    if (!originAllowed(req, this.o.allowedOrigins ?? [])) return refuse(403, 'origin not allowed', 'bad_origin');
    const user = await this.o.authenticate(req);
    if (!user) return refuse(401, 'sign in to open this agreement', 'unauthenticated');
    if (agreementId === null) return refuse(404, 'no such agreement', 'not_found');
    const auth = await this.o.authorize(user.userId, agreementId);
    if (!auth) return refuse(404, 'no such agreement', 'not_member');
    if (this.perAgreement.get(agreementId) >= this.limits.maxConnectionsPerAgreement) return refuse(429, 'too many connections to this agreement', 'limit_agreement');
    if (this.perUser.get(user.userId) >= this.limits.maxConnectionsPerUser) return refuse(429, 'too many connections for this user', 'limit_user');
    let room: Room;
    try {
      room = await this.getRoom(agreementId);
    } catch (err) {
      this.logger.error({ agreementId, err: String((err as Error)?.message ?? err) }, 'sync: could not load document');
      return refuse(503, 'document temporarily unavailable', 'load_failed');
    }
    if (socket.destroyed) return;
    room.pendingJoins++;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      room.pendingJoins--;
      this.metrics.upgrades.inc({ result: 'ok' });
      this.onConnection(ws, room, { userId: user.userId, name: user.name, role: auth.role, partyId: auth.partyId, ip });
    });
  }

  private onConnection(ws: WebSocket, room: Room, info: ConnectionInfo): void {
    if (room.unloading || !this.rooms.has(room.agreementId)) {
      ws.close(CloseCode.unavailable, 'document reloading, retry');
      return;
    }
    const conn = new Connection(ws, room, info, this.logger, this.metrics, this.limits.maxBufferedBytes);
    room.conns.add(conn);
    if (room.idleTimer) {
      clearTimeout(room.idleTimer);
      room.idleTimer = null;
    }
    this.perAgreement.inc(room.agreementId);
    this.perUser.inc(info.userId);
    this.connectionCount++;
    this.metrics.connections.inc();
    const inbox = new Inbox(this.inbound, (data) => conn.onMessage(data), {
      pause: () => {
        this.metrics.readPauses.inc();
        ws.pause();
      },
      resume: () => ws.resume(),
    });
    ws.on('message', (data: Buffer) => inbox.receive(data));
    ws.on('error', (err) => this.logger.debug({ err: String(err), agreementId: room.agreementId }, 'sync: socket error'));
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('close', () => {
      // what the socket sent before it closed is handled, not dropped
      inbox.drain();
      conn.closed = true;
      room.conns.delete(conn);
      room.removeConnectionAwareness(conn);
      this.perAgreement.dec(room.agreementId);
      this.perUser.dec(info.userId);
      this.connectionCount--;
      this.metrics.connections.dec();
      if (room.conns.size === 0) this.scheduleIdle(room);
    });
    conn.start();
  }

  /* ---------------- document registry ---------------- */

  private async getRoom(agreementId: string): Promise<Room> {
    for (;;) {
      const room = this.rooms.get(agreementId);
      if (room) {
        if (!room.unloading) return room;
        // let the unload finish (it may also decide to keep the room)
        await this.unloadRoom(room);
        continue;
      }
      let p = this.loading.get(agreementId);
      if (!p) {
        p = this.loadRoom(agreementId).finally(() => this.loading.delete(agreementId));
        this.loading.set(agreementId, p);
      }
      return p;
    }
  }

  private async loadRoom(agreementId: string): Promise<Room> {
    if (this.closing) throw new Error('sync hub closed');
    const room = new Room(
      agreementId,
      this.limits.maxDocumentBytes,
      {
        onUpdate: (r, update, origin) => this.onRoomUpdate(r, update, origin),
        onLocalAwareness: (r, update) => this.relay.publish(r.agreementId, { type: 'awareness', update }),
        saveState: (id) => this.clientSaveState(id),
        onIntegrationError: (r, err, origin) => this.onIntegrationError(r, err, origin),
      },
      this.metrics,
    );
    try {
      // subscribe first so nothing published while we read the database is missed
      await this.relay.subscribe(agreementId);
      const [loaded, locked] = await Promise.all([loadDocument(this.o.db, agreementId), this.o.isLocked?.(agreementId) ?? false]);
      room.load(loaded.updates, (err, index) =>
        this.logger.error({ agreementId, index, err: String((err as Error)?.message ?? err) }, 'sync: skipped a stored update that could not be applied'),
      );
      room.locked = locked;
      this.flusher.track(agreementId, loaded.tailCount, loaded.tailBytes);
    } catch (err) {
      room.destroy();
      await this.relay.unsubscribe(agreementId).catch(() => {});
      throw err;
    }
    room.broadcastWindowMs = this.o.broadcastWindowMs ?? 0;
    this.rooms.set(agreementId, room);
    this.metrics.documents.set(this.rooms.size);
    this.removeStoredUnsafeLinks(room);
    // ask peers for what they hold that the database does not have yet
    this.relay.publish(agreementId, { type: 'state-request', stateVector: Y.encodeStateVector(room.doc) });
    this.logger.debug({ agreementId }, 'sync: document loaded');
    return room;
  }

  /**
   * Documents written before the link rule may hold links it refuses (javascript:, file:, UNC …). Left in
   * place, the editor re-sends them with any edit that touches the link and the sync check refuses that
   * update, so the user could never save there again. A draft is cleaned as a server change on load
   * (persisted and relayed like any other); a locked final version is left as signed (its hash covers it;
   * the exporters never write such a link).
   */
  private removeStoredUnsafeLinks(room: Room): void {
    if (room.locked) return;
    let removed = 0;
    room.change((doc) => {
      removed = removeUnsafeLinks(doc);
    }, LINK_SWEEP_ORIGIN);
    if (removed > 0) this.logger.info({ agreementId: room.agreementId, removed }, 'sync: removed links the link rule refuses from a stored document');
  }

  private scheduleIdle(room: Room): void {
    if (room.idleTimer || room.unloading || this.closing) return;
    room.idleTimer = setTimeout(() => {
      room.idleTimer = null;
      if (room.conns.size === 0 && room.pendingJoins === 0 && this.rooms.get(room.agreementId) === room) {
        void this.unloadRoom(room);
      }
    }, this.idleUnloadMs);
    room.idleTimer.unref?.();
  }

  private unloadPromises = new WeakMap<Room, Promise<void>>();

  /**
   * Flush, unsubscribe, forget. Nothing that arrives meanwhile is lost: clients cannot attach
   * (onConnection refuses, getRoom waits), and what peers relay until the unsubscribe completes
   * is still integrated here; whatever of it the origin has not confirmed persisting is persisted
   * here before the room goes (at worst a duplicate row, which Yjs ignores). If that flush fails,
   * the room resubscribes and stays.
   */
  private unloadRoom(room: Room): Promise<void> {
    let p = this.unloadPromises.get(room);
    if (p) return p;
    room.unloading = true;
    const keep = () => {
      room.unloading = false;
      this.unloadPromises.delete(room);
      if (room.conns.size === 0) this.scheduleIdle(room);
    };
    p = (async () => {
      const id = room.agreementId;
      const ok = await this.flusher.flushNow(id);
      if (!ok || (this.remotePending.get(id)?.size ?? 0) > 0 || room.conns.size > 0 || room.pendingJoins > 0) {
        // database down (keep it in memory, retry later), peers have not confirmed persisting
        // their updates yet (tick() adopts orphans), or someone came back
        return keep();
      }
      await this.relay.unsubscribe(id).catch(() => {});
      // relayed while unsubscribing: persist it ourselves rather than drop it with the room
      this.adoptRemotePending(id, 0);
      if (this.flusher.hasPending(id) && !(await this.flusher.flushNow(id))) {
        await this.relay.subscribe(id).catch(() => {});
        // what peers sent while we were not subscribed: ask for it, as a fresh load does
        this.relay.publish(id, { type: 'state-request', stateVector: Y.encodeStateVector(room.doc) });
        return keep();
      }
      this.rooms.delete(id);
      this.flusher.forget(id);
      this.remotePending.delete(id);
      room.destroy();
      this.metrics.documents.set(this.rooms.size);
      this.logger.debug({ agreementId: id }, 'sync: document unloaded');
    })();
    this.unloadPromises.set(room, p);
    return p;
  }

  /* ---------------- updates ---------------- */

  private onRoomUpdate(room: Room, update: Uint8Array, origin: unknown): void {
    const id = room.agreementId;
    if (origin instanceof RemoteOrigin) {
      if (!origin.isStateResponse) {
        let byProc = this.remotePending.get(id);
        if (!byProc) this.remotePending.set(id, (byProc = new Map()));
        let list = byProc.get(origin.processId);
        if (!list) byProc.set(origin.processId, (list = []));
        list.push({ seq: origin.seq, update, at: Date.now() });
      }
      return;
    }
    // a change that entered the cluster here: this process persists and relays it
    const seq = ++this.seq;
    this.flusher.enqueue(id, update, seq);
    this.relay.publish(id, { type: 'update', seq, update });
    const who = origin instanceof Connection ? { kind: 'client', userId: origin.userId } : origin;
    for (const l of this.listeners) {
      try {
        l(id, update, who);
      } catch (err) {
        this.logger.error({ err: String(err), agreementId: id }, 'sync: onDocumentChanged listener threw');
      }
    }
  }

  private saveState(agreementId: string): SaveState {
    const s = this.flusher.state(agreementId);
    if (s !== 'saved') return s;
    const byProc = this.remotePending.get(agreementId);
    if (byProc) for (const l of byProc.values()) if (l.length > 0) return 'saving';
    return 'saved';
  }

  /**
   * The save state pushed to clients in the server peer's awareness. Coarse on purpose: while
   * people type, every flush flips saving/saved twice a second, and each push costs a message per
   * socket plus every client's awareness echo. So: 'unsaved' when the database is failing,
   * 'saving' when updates have waited more than 2 s (slow database), else 'saved'. The client
   * shows "saving…" for its own fresh local edits itself.
   */
  private clientSaveState(agreementId: string): SaveState {
    const s = this.flusher.state(agreementId);
    if (s === 'unsaved') return 'unsaved';
    const cutoff = Date.now() - 2000;
    const since = this.flusher.pendingSince(agreementId);
    if (since !== null && since < cutoff) return 'saving';
    const byProc = this.remotePending.get(agreementId);
    if (byProc) for (const l of byProc.values()) if (l.length > 0 && l[0]!.at < cutoff) return 'saving';
    return 'saved';
  }

  /** Push the client save state when it changed (per document; sockets dedupe per role too). */
  private onSaveStateChange(agreementId: string): void {
    const room = this.rooms.get(agreementId);
    if (!room || room.conns.size === 0) return;
    const v = this.clientSaveState(agreementId);
    if (room.pushedSave === v) return;
    room.pushedSave = v;
    room.refreshServerState();
  }

  /**
   * An accepted update that Yjs could not integrate into the server's copy (it was fully decoded
   * before it was accepted, so this takes a crafted update). It is skipped; the socket that sent it
   * is closed like any other sender of an inapplicable update.
   */
  private onIntegrationError(room: Room, err: unknown, origin: unknown): void {
    this.metrics.protocolErrors.inc({ code: String(CloseCode.badUpdate) });
    const conn = origin instanceof Connection ? origin : null;
    this.logger.error(
      { agreementId: room.agreementId, userId: conn?.userId, fromProcess: origin instanceof RemoteOrigin ? origin.processId : undefined, err: String((err as Error)?.message ?? err) },
      'sync: an accepted update could not be integrated; skipped',
    );
    conn?.close(CloseCode.badUpdate, 'update could not be applied');
  }

  /* ---------------- membership + lock ---------------- */

  private async recheckMembership(agreementId: string, userId: string): Promise<void> {
    const room = this.rooms.get(agreementId);
    if (!room) return;
    const conns = [...room.conns].filter((c) => c.userId === userId);
    if (conns.length === 0) return;
    let auth: Authorization | null;
    try {
      auth = await this.o.authorize(userId, agreementId);
    } catch (err) {
      // fail closed: the membership could not be confirmed
      this.logger.warn({ agreementId, userId, err: String(err) }, 'sync: membership re-check failed; closing sockets');
      auth = null;
    }
    for (const c of conns) {
      if (!auth) c.close(CloseCode.forbidden, 'membership revoked');
      else c.setRole(auth.role, auth.partyId);
    }
  }

  private applyLock(agreementId: string, locked: boolean): void {
    const room = this.rooms.get(agreementId);
    if (!room || room.locked === locked) return;
    room.locked = locked;
    room.refreshServerState();
  }

  /* ---------------- relay ---------------- */

  private onRelayMessage(agreementId: string, msg: RelayMessage & { from: string }): void {
    if (msg.type === 'membership') {
      void this.recheckMembership(agreementId, msg.userId);
      return;
    }
    if (msg.type === 'lock') {
      this.applyLock(agreementId, msg.locked);
      return;
    }
    if (msg.type === 'persisted') {
      const list = this.remotePending.get(agreementId)?.get(msg.from);
      if (list) {
        let i = 0;
        while (i < list.length && list[i]!.seq <= msg.seq) i++;
        if (i > 0) list.splice(0, i);
        if (list.length === 0) this.remotePending.get(agreementId)!.delete(msg.from);
      }
      this.onSaveStateChange(agreementId);
      return;
    }
    const room = this.rooms.get(agreementId);
    if (!room) return;
    switch (msg.type) {
      case 'update': {
        // the peer validated it when its client sent it
        try {
          room.receive(msg.update, new RemoteOrigin(msg.from, msg.seq), Y.decodeUpdate(msg.update));
        } catch (err) {
          this.logger.warn({ agreementId, fromProcess: msg.from, err: String(err) }, "sync: could not apply a peer's update");
        }
        return;
      }
      case 'state-response':
        try {
          room.applyNow(msg.update, new RemoteOrigin(msg.from, 0, true));
        } catch (err) {
          this.logger.warn({ agreementId, fromProcess: msg.from, err: String(err) }, "sync: could not apply a peer's state response");
        }
        return;
      case 'awareness':
        try {
          room.applyAwarenessEntries(decodeAwarenessUpdate(msg.update), new RemoteOrigin(msg.from, 0));
        } catch {
          /* ignore a peer's bad awareness */
        }
        return;
      case 'state-request': {
        const diff = Y.encodeStateAsUpdate(room.doc, msg.stateVector);
        // an empty diff is 2 bytes (no structs, empty delete set)
        if (diff.byteLength > 2) this.relay.publish(agreementId, { type: 'state-response', update: diff });
        const ids = [...room.awareness.getStates().keys()];
        if (ids.length > 0) this.relay.publish(agreementId, { type: 'awareness', update: room.encodeAwarenessStates(ids) });
        return;
      }
    }
  }

  /** After a Redis outage: exchange state with peers for every loaded document. */
  private resyncAllWithPeers(): void {
    for (const room of this.rooms.values()) {
      this.relay.publish(room.agreementId, { type: 'state-request', stateVector: Y.encodeStateVector(room.doc) });
      this.relay.publish(room.agreementId, { type: 'state-response', update: Y.encodeStateAsUpdate(room.doc) });
    }
  }

  /**
   * Remote updates whose origin never confirmed persisting them (origin crashed, or Redis lost the
   * ack) are persisted by this process, so nothing is lost; at worst a row is written twice, which
   * Yjs ignores on load.
   */
  private adoptRemotePending(agreementId: string, olderThanMs: number): void {
    const byProc = this.remotePending.get(agreementId);
    if (!byProc) return;
    const cutoff = Date.now() - olderThanMs;
    for (const [proc, list] of byProc) {
      let i = 0;
      while (i < list.length && list[i]!.at <= cutoff) i++;
      if (i === 0) continue;
      const adopted = list.splice(0, i);
      for (const e of adopted) this.flusher.enqueue(agreementId, e.update, 0);
      this.logger.warn({ agreementId, fromProcess: proc, updates: adopted.length }, 'sync: persisting updates a peer did not confirm');
      if (list.length === 0) byProc.delete(proc);
    }
  }

  private remotePendingBytes(): number {
    let n = 0;
    for (const byProc of this.remotePending.values()) for (const l of byProc.values()) for (const e of l) n += e.update.byteLength;
    return n;
  }

  /* ---------------- housekeeping ---------------- */

  private tick(): void {
    this.renewCounter = (this.renewCounter + 1) % 12; // one tick = 5 s
    for (const room of this.rooms.values()) {
      this.adoptRemotePending(room.agreementId, this.orphanAfterMs);
      this.onSaveStateChange(room.agreementId); // 'saving' appears by age
      if (this.renewCounter % 6 !== 0) continue; // ping every 30 s
      for (const c of room.conns) {
        if (!c.alive) {
          c.ws.terminate();
          continue;
        }
        c.alive = false;
        try {
          c.ws.ping();
        } catch {
          /* closed */
        }
      }
    }
    // renew the server peer's awareness state every 20 s (clients drop states older than 30 s;
    // each renewal is a frame per socket plus every client's echo)
    if (this.renewCounter % 4 === 0) for (const room of this.rooms.values()) room.refreshServerState(true);
    this.metrics.pendingBytes.set(this.flusher.pendingBytes() + this.remotePendingBytes());
  }
  private renewCounter = 0;
}

