/**
 * Document registry: loads a document on first use (snapshot + tail from the database, then what the
 * agreement's cluster stream holds in flight), tracks its sockets, unloads it after a short idle
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
import { can } from '../policies/index.ts';
import { CloseCode, decodeAwarenessUpdate } from './protocol.ts';
import { type RelayHandlers, type RelayMessage, NoRelay, type Relay } from './relay.ts';
import { Room } from './room.ts';
import { type Extension, ExtensionChain } from './core/extension.ts';
import { type OriginInput, peerOrigin, serverOrigin, type SyncOrigin, toSyncOrigin } from './origin.ts';
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
  /** Create the cluster channel (see redis-stream.ts); default: single process. */
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
  /** Extensions (core/extension.ts), run in priority order. */
  extensions?: Extension[];
  /** Slices and back-pressure for incoming messages (see inbound.ts). */
  inbound?: Partial<InboundOptions>;
}

/** A client's update the cluster channel did not take (Redis down): persisted once its sender's right to edit is confirmed. */
interface HeldUpdate {
  userId: string;
  update: Uint8Array;
  at: number;
}

/** Origin of the on-load removal of links the link rule refuses. */
const LINK_SWEEP_ORIGIN = serverOrigin('reconcile');

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
  private readonly attached = new Set<HttpServer>();
  /**
   * Client updates the channel could not take, per agreement. While Redis is down a removal or a
   * lock may not have reached this process, so they are persisted only after the database confirms
   * that their sender still may edit (re-checked every second; see review()).
   */
  private readonly held = new Map<string, HeldUpdate[]>();
  /** Documents whose changes did not all reach the channel: their whole state is published once it is back. */
  private readonly needsState = new Set<string>();
  private readonly reviewing = new Set<string>();
  private readonly extensions: ExtensionChain;
  private readonly timer: NodeJS.Timeout;
  private closing = false;
  private connectionCount = 0;

  constructor(private readonly o: SyncHubOptions) {
    this.logger = o.logger ?? silentLogger;
    this.metrics = o.metrics ?? createSyncMetrics();
    this.limits = { ...defaultLimits, ...o.limits };
    this.idleUnloadMs = o.idleUnloadMs ?? 5000;
    this.extensions = new ExtensionChain(o.extensions ?? [], this.logger);
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
        if (seq > 0) this.relay.persisted(agreementId, seq);
        this.extensions.onStore({ agreementId, seq });
        const room = this.rooms.get(agreementId);
        if (room && room.conns.size === 0) this.scheduleIdle(room);
      },
      onDbStatus: (up) => this.logger.warn({ db: up ? 'up' : 'down' }, 'sync: database status changed'),
    });
    this.relay = o.relay
      ? o.relay({
          processId: this.processId,
          onMessage: (agreementId, msg) => this.onRelayMessage(agreementId, msg),
          onPersist: (agreementId, update, token) => this.flusher.enqueue(agreementId, update, token),
          onReconnect: () => this.catchUpAll(),
        })
      : new NoRelay();
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
    this.timer = setInterval(() => this.tick(), 1000);
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

  async withDocument(agreementId: string, fn: (doc: Y.Doc) => void, origin?: OriginInput | unknown): Promise<void> {
    const room = await this.getRoom(agreementId);
    room.pendingJoins++;
    try {
      room.change(fn, toSyncOrigin(origin));
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

  // Both apply here first, then resolve only once the control message is in the agreement's stream
  // (the outbox retries a rejection, and applying twice is harmless).
  async membershipChanged(agreementId: string, userId: string): Promise<void> {
    await this.recheckMembership(agreementId, userId);
    await this.relay.publish(agreementId, { type: 'membership', userId });
  }

  async setLocked(agreementId: string, locked: boolean): Promise<void> {
    this.applyLock(agreementId, locked);
    await this.relay.publish(agreementId, { type: 'lock', locked });
  }

  onDocumentChanged(listener: DocumentChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): SyncStatus {
    return {
      db: this.flusher.dbUp ? 'up' : 'down',
      redis: this.relay.status(),
      pendingBytes: this.flusher.pendingBytes() + this.heldBytes(),
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
    // held updates: a last check of their senders' rights, then the flush
    await Promise.all([...this.held.keys()].map((id) => this.review(id)));
    const ok = await this.flusher.close();
    if (!ok) this.logger.error({ pendingBytes: this.flusher.pendingBytes() }, 'sync: closed with unsaved updates');
    await this.relay.shutdown();
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
    const decision = await this.extensions.onAuthenticate({ agreementId, userId: user.userId, name: user.name, role: auth.role, partyId: auth.partyId, request: req });
    if (decision.refuse) return refuse(decision.refuse.status, decision.refuse.detail, 'refused_by_extension');
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
      this.onConnection(ws, room, { userId: user.userId, name: user.name, role: auth.role, partyId: auth.partyId, ip, readOnly: decision.readOnly });
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
        onLocalAwareness: (r, update) => void this.relay.publish(r.agreementId, { type: 'awareness', update }).catch(() => {}),
        saveState: (id) => this.clientSaveState(id),
        onIntegrationError: (r, err, origin) => this.onIntegrationError(r, err, origin),
        beforeUpdate: (r, update, origin, isSyncStep2) => {
          const conn = origin.connection as Connection;
          return this.extensions.beforeUpdate({
            agreementId: r.agreementId,
            update,
            origin,
            isSyncStep2,
            role: conn.role,
            mode: conn.mode,
            userId: conn.userId,
            partyId: conn.partyId,
            get doc() {
              return r.doc;
            },
          });
        },
        onAwareness: this.extensions.hasAwareness ? (r, entries, origin) => this.extensions.onAwareness({ agreementId: r.agreementId, entries, origin }) : undefined,
      },
      this.metrics,
    );
    try {
      const [loaded, locked] = await Promise.all([loadDocument(this.o.db, agreementId), this.o.isLocked?.(agreementId) ?? false]);
      room.load(loaded.updates, (err, index) =>
        this.logger.error({ agreementId, index, err: String((err as Error)?.message ?? err) }, 'sync: skipped a stored update that could not be applied'),
      );
      room.locked = locked;
      this.flusher.track(agreementId, loaded.tailCount, loaded.tailBytes);
    } catch (err) {
      room.destroy();
      throw err;
    }
    room.broadcastWindowMs = this.o.broadcastWindowMs ?? 0;
    this.rooms.set(agreementId, room);
    this.metrics.documents.set(this.rooms.size);
    // what the stream holds that the database does not have yet (peers' updates in flight); never
    // waits for an unreachable Redis: then the stream is read once it is back
    await this.relay.open(agreementId);
    this.removeStoredUnsafeLinks(room);
    await this.extensions.onLoad({ agreementId, doc: room.doc });
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
   * Flush, stop following the stream, forget. Nothing that arrives meanwhile is lost: clients cannot
   * attach (onConnection refuses, getRoom waits); if this process holds the persistence lease, what
   * the stream holds beyond what it read is persisted before the room goes (else the holder
   * persists it). If that flush fails, the room follows the stream again and stays.
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
      if (!ok || (this.held.get(id)?.length ?? 0) > 0 || this.needsState.has(id) || room.conns.size > 0 || room.pendingJoins > 0) {
        // database down (keep it in memory, retry later), updates waiting for their senders' rights
        // to be confirmed or for the channel, or someone came back
        return keep();
      }
      await this.relay.close(id);
      if (this.flusher.hasPending(id) && !(await this.flusher.flushNow(id))) {
        await this.relay.open(id);
        return keep();
      }
      await this.relay.release(id);
      this.rooms.delete(id);
      this.flusher.forget(id);
      this.held.delete(id);
      room.destroy();
      this.metrics.documents.set(this.rooms.size);
      this.logger.debug({ agreementId: id }, 'sync: document unloaded');
      await this.extensions.onUnload({ agreementId: id });
    })();
    this.unloadPromises.set(room, p);
    return p;
  }

  /* ---------------- updates ---------------- */

  private onRoomUpdate(room: Room, update: Uint8Array, origin: SyncOrigin): void {
    const id = room.agreementId;
    // a peer's update (or state) is persisted by the stream's lease holder (or was by the peer)
    if (origin.kind === 'peer') return;
    // a change that entered the cluster here: into the stream (the lease holder persists it), or,
    // without a channel or while it is down, persisted here
    if (this.relay.status() === 'disabled') this.flusher.enqueue(id, update);
    else this.relay.publish(id, { type: 'update', update }).catch(() => this.notInStream(id, update, origin));
    this.extensions.onChange({ agreementId: id, update, origin });
    for (const l of this.listeners) {
      try {
        l(id, update, origin);
      } catch (err) {
        this.logger.error({ err: String(err), agreementId: id }, 'sync: onDocumentChanged listener threw');
      }
    }
  }

  /**
   * The channel did not take a change made here (Redis down): this process persists it — a client's
   * only once the database confirms its sender may still edit (review) — and publishes its whole
   * state when the channel is back.
   */
  private notInStream(agreementId: string, update: Uint8Array, origin: SyncOrigin): void {
    this.needsState.add(agreementId);
    if (origin.kind === 'client') {
      let list = this.held.get(agreementId);
      if (!list) this.held.set(agreementId, (list = []));
      list.push({ userId: origin.userId, update, at: Date.now() });
      this.onSaveStateChange(agreementId);
    } else {
      this.flusher.enqueue(agreementId, update);
    }
  }

  private saveState(agreementId: string): SaveState {
    const s = this.flusher.state(agreementId);
    if (s !== 'saved') return s;
    return (this.held.get(agreementId)?.length ?? 0) > 0 ? 'saving' : 'saved';
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
    const held = this.held.get(agreementId);
    if (held && held.length > 0 && held[0]!.at < cutoff) return 'saving';
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
  private onIntegrationError(room: Room, err: unknown, origin: SyncOrigin): void {
    this.metrics.protocolErrors.inc({ code: String(CloseCode.badUpdate) });
    const conn = origin.kind === 'client' ? (origin.connection as Connection) : null;
    this.logger.error(
      { agreementId: room.agreementId, userId: conn?.userId, fromProcess: origin.kind === 'peer' ? origin.processId : undefined, err: String((err as Error)?.message ?? err) },
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

  /* ---------------- cluster channel ---------------- */

  private onRelayMessage(agreementId: string, msg: RelayMessage & { from: string }): void {
    if (msg.type === 'membership') {
      void this.recheckMembership(agreementId, msg.userId);
      return;
    }
    if (msg.type === 'lock') {
      this.applyLock(agreementId, msg.locked);
      return;
    }
    const room = this.rooms.get(agreementId);
    if (!room) return;
    switch (msg.type) {
      case 'update': {
        // the peer validated it when its client sent it
        try {
          room.receive(msg.update, peerOrigin(msg.from), Y.decodeUpdate(msg.update));
        } catch (err) {
          this.logger.warn({ agreementId, fromProcess: msg.from, err: String(err) }, "sync: could not apply a peer's update");
        }
        return;
      }
      case 'state':
        try {
          room.applyNow(msg.update, peerOrigin(msg.from, true));
        } catch (err) {
          this.logger.warn({ agreementId, fromProcess: msg.from, err: String(err) }, "sync: could not apply a peer's state");
        }
        return;
      case 'awareness':
        try {
          room.applyAwarenessEntries(decodeAwarenessUpdate(msg.update), peerOrigin(msg.from));
        } catch {
          /* ignore a peer's bad awareness */
        }
        return;
    }
  }

  /**
   * The channel is back after an outage. The stream itself is read on from where this process
   * left it; what it cannot replay is taken from the database: everyone's rights (a removal or lock
   * whose message was trimmed meanwhile), what the lease holder persisted and trimmed while we were
   * cut off, and then our own state goes out for the peers.
   */
  private catchUpAll(): void {
    for (const room of this.rooms.values()) void this.catchUp(room);
  }

  private async catchUp(room: Room): Promise<void> {
    const id = room.agreementId;
    await this.review(id, true);
    try {
      const loaded = await loadDocument(this.o.db, id);
      if (this.rooms.get(id) === room && loaded.updates.length > 0) room.applyNow(Y.mergeUpdates(loaded.updates), peerOrigin('database', true));
    } catch (err) {
      this.logger.warn({ agreementId: id, err: String(err) }, 'sync: could not read the stored document after the channel returned');
    }
    this.needsState.add(id);
    this.publishStates();
  }

  /** Publish the whole state of documents whose changes did not all reach the channel. */
  private publishStates(): void {
    if (this.relay.status() !== 'up') return;
    for (const id of this.needsState) {
      const room = this.rooms.get(id);
      this.needsState.delete(id);
      if (!room) continue;
      this.relay.publish(id, { type: 'state', update: Y.encodeStateAsUpdate(room.doc) }).catch(() => this.needsState.add(id));
    }
  }

  /**
   * The database is the channel while Redis is down: re-read the lock and the membership of every
   * user with a live socket or a held update here, apply them (close the removed, demote, lock), and
   * persist held updates whose sender may still edit; the others are dropped (their sender lost the
   * right to edit before the channel could say so).
   */
  private async review(agreementId: string, everyone = false): Promise<void> {
    if (this.reviewing.has(agreementId)) return;
    this.reviewing.add(agreementId);
    try {
      const room = this.rooms.get(agreementId);
      const taken = (this.held.get(agreementId) ?? []).length;
      const users = new Set((this.held.get(agreementId) ?? []).map((h) => h.userId));
      if (everyone && room) for (const c of room.conns) users.add(c.userId);
      if (users.size === 0) return;
      let locked: boolean;
      const rights = new Map<string, Authorization | null>();
      try {
        locked = (await this.o.isLocked?.(agreementId)) ?? false;
        for (const u of users) rights.set(u, await this.o.authorize(u, agreementId));
      } catch (err) {
        this.logger.warn({ agreementId, err: String(err) }, 'sync: could not re-check rights; held updates wait');
        return;
      }
      this.applyLock(agreementId, locked);
      const list = this.held.get(agreementId) ?? [];
      const batch = list.splice(0, taken);
      if (list.length === 0) this.held.delete(agreementId);
      let dropped = 0;
      for (const h of batch) {
        const auth = rights.get(h.userId);
        const who = auth && { userId: h.userId, role: auth.role, partyId: auth.partyId, signatory: false };
        const state = { status: locked ? ('locked' as const) : ('draft' as const) };
        // a suggest-mode sender's update passed the suggestion check when it arrived (issue #16)
        const mayEdit = !!who && (can(who, 'document.edit', state) || can(who, 'document.suggest', state));
        if (mayEdit) this.flusher.enqueue(agreementId, h.update);
        else dropped++;
      }
      if (dropped > 0) this.logger.warn({ agreementId, dropped }, 'sync: dropped updates whose sender lost the right to edit while the channel was down');
      if (room) {
        for (const c of [...room.conns]) {
          if (!rights.has(c.userId)) continue;
          const auth = rights.get(c.userId);
          if (!auth) c.close(CloseCode.forbidden, 'membership revoked');
          else c.setRole(auth.role, auth.partyId);
        }
      }
      this.onSaveStateChange(agreementId);
    } finally {
      this.reviewing.delete(agreementId);
    }
  }

  private heldBytes(): number {
    let n = 0;
    for (const l of this.held.values()) for (const h of l) n += h.update.byteLength;
    return n;
  }

  /* ---------------- housekeeping ---------------- */

  private tick(): void {
    for (const id of this.held.keys()) void this.review(id);
    if (this.needsState.size > 0) this.publishStates();
    this.renewCounter = (this.renewCounter + 1) % 60; // one tick = 1 s
    if (this.renewCounter % 5 !== 0) return;
    for (const room of this.rooms.values()) {
      this.onSaveStateChange(room.agreementId); // 'saving' appears by age
      if (this.renewCounter % 30 !== 0) continue; // ping every 30 s
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
    if (this.renewCounter % 20 === 0) for (const room of this.rooms.values()) room.refreshServerState(true);
    this.metrics.pendingBytes.set(this.flusher.pendingBytes() + this.heldBytes());
  }
  private renewCounter = 0;
}

