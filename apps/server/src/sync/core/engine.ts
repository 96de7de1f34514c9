/**
 * The sync engine's core: the upgrade gate, the sockets, the SyncHub contract the rest of the
 * server uses, and the hook chain. Everything else is an extension (sync/extensions/): persistence,
 * the cluster channel, limits, the link sweep, and the app's own (sync/extensions/index.ts).
 *
 *   documents  core/registry.ts  (load / one shouldUnload rule / unload)
 *   document   room.ts           (Y.Doc + awareness + its sockets; relay-first fan-out)
 *   socket     connection.ts     (protocol, write mode, strict update validation)
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { Connection, type ConnectionInfo, type Role } from '../connection.ts';
import type { DocumentChangedListener, DocumentSyncStatus, SyncHub, SyncStatus } from '../hub-contract.ts';
import { defaultInboundOptions, Inbox, type InboundOptions, InboundScheduler } from '../inbound.ts';
import { defaultLimits, type SyncLimits } from '../limits.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { createSyncMetrics, type SyncMetrics } from '../metrics.ts';
import { docFromUpdates, type SyncDb } from '../persistence.ts';
import { CloseCode } from '../protocol.ts';
import type { RelayHandlers, Relay } from '../relay.ts';
import { Room } from '../room.ts';
import { type ClientOrigin, type OriginInput, type SyncOrigin, toSyncOrigin } from '../origin.ts';
import { clientIp, originAllowed, parseSyncPath, refuseUpgrade } from '../upgrade.ts';
import { ClusterExtension } from '../extensions/cluster.ts';
import { LimitsExtension } from '../extensions/limits.ts';
import { LinkSweepExtension } from '../extensions/link-sweep.ts';
import { PersistenceExtension } from '../extensions/persistence.ts';
import { type Authorization, type BeforeUpdateContext, type EngineApi, type Extension, ExtensionChain, type StoreContext } from './extension.ts';
import { Heartbeat } from './heartbeat.ts';
import { DocumentRegistry } from './registry.ts';

export type { Authorization } from './extension.ts';

/** beforeUpdate's context; `doc` is a prototype getter, so hooks that do not read it cost nothing (and the object is cheap to make). */
class UpdateCheck implements BeforeUpdateContext {
  constructor(
    private readonly room: Room,
    readonly update: Uint8Array,
    readonly origin: ClientOrigin,
    readonly isSyncStep2: boolean,
    readonly mode: 'edit' | 'suggest',
  ) {}

  get agreementId(): string {
    return this.room.agreementId;
  }

  private get connection(): Connection {
    return this.origin.connection as Connection;
  }

  get role(): Role {
    return this.connection.role;
  }

  get userId(): string {
    return this.connection.userId;
  }

  get partyId(): string {
    return this.connection.partyId;
  }

  /** the state before this update */
  get doc(): Y.Doc {
    return this.room.doc;
  }
}

export interface AuthenticatedUser {
  userId: string;
  name: string;
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
  /** Extensions (core/extension.ts), run in priority order with the engine's own. */
  extensions?: Extension[];
  /** Slices and back-pressure for incoming messages (see inbound.ts). */
  inbound?: Partial<InboundOptions>;
}

export class SyncEngine implements SyncHub {
  readonly processId = randomUUID();
  readonly metrics: SyncMetrics;
  private readonly logger: Logger;
  private readonly limits: SyncLimits;
  private readonly persistence: PersistenceExtension;
  private readonly cluster: ClusterExtension | null;
  private readonly chain: ExtensionChain;
  private readonly registry: DocumentRegistry;
  private readonly heartbeat: Heartbeat;
  private readonly listeners = new Set<DocumentChangedListener>();
  private readonly wss: WebSocketServer;
  private readonly inbound: InboundScheduler;
  private readonly attached = new Set<HttpServer>();
  private closing = false;
  private connectionCount = 0;

  constructor(private readonly o: SyncHubOptions) {
    this.logger = o.logger ?? silentLogger;
    this.metrics = o.metrics ?? createSyncMetrics();
    this.limits = { ...defaultLimits, ...o.limits };
    const isLocked = (id: string) => o.isLocked?.(id) ?? Promise.resolve(false);
    this.persistence = new PersistenceExtension({
      db: o.db,
      isLocked,
      logger: this.logger,
      metrics: this.metrics,
      flushIntervalMs: o.flushIntervalMs,
      compactRows: o.compactRows,
      compactBytes: o.compactBytes,
    });
    this.cluster = o.relay ? new ClusterExtension(o.relay, this.persistence, o.db) : null;
    const own: Extension[] = [new LimitsExtension(this.limits), this.persistence, new LinkSweepExtension(this.logger)];
    if (this.cluster) own.push(this.cluster);
    this.chain = new ExtensionChain([...own, ...(o.extensions ?? [])], this.logger);
    this.inbound = new InboundScheduler({ ...defaultInboundOptions, ...o.inbound });
    this.registry = new DocumentRegistry({
      chain: this.chain,
      create: (id) => this.createRoom(id),
      idleUnloadMs: o.idleUnloadMs ?? 5000,
      logger: this.logger,
      metrics: this.metrics,
    });
    this.chain.onConfigure(this.api(isLocked));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
    this.heartbeat = new Heartbeat({
      documents: () => this.registry.all(),
      saveStateChanged: (id) => this.saveStateChanged(id),
      pendingBytes: () => this.pendingBytes(),
      setPendingBytes: (n) => this.metrics.pendingBytes.set(n),
    });
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
    const room = await this.registry.get(agreementId);
    room.pendingJoins++;
    try {
      room.change(fn, toSyncOrigin(origin));
    } finally {
      room.pendingJoins--;
      this.registry.scheduleIdle(room);
    }
  }

  async getDocumentState(agreementId: string): Promise<Y.Doc> {
    const room = this.registry.peek(agreementId);
    if (room) return docFromUpdates([Y.encodeStateAsUpdate(room.doc)]);
    // not loaded here: the database plus whatever a peer holds
    const loaded = await this.registry.get(agreementId);
    const copy = docFromUpdates([Y.encodeStateAsUpdate(loaded.doc)]);
    this.registry.scheduleIdle(loaded);
    return copy;
  }

  // Both apply here first, then resolve only once the control message is in the agreement's stream
  // (the outbox retries a rejection, and applying twice is harmless).
  async membershipChanged(agreementId: string, userId: string): Promise<void> {
    await this.recheckMembership(agreementId, userId);
    await this.cluster?.publish(agreementId, { type: 'membership', userId });
  }

  async setLocked(agreementId: string, locked: boolean): Promise<void> {
    this.applyLock(agreementId, locked);
    await this.cluster?.publish(agreementId, { type: 'lock', locked });
  }

  onDocumentChanged(listener: DocumentChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): SyncStatus {
    return {
      db: this.persistence.dbUp ? 'up' : 'down',
      redis: this.cluster?.status() ?? 'disabled',
      pendingBytes: this.pendingBytes(),
      documents: this.registry.size,
      connections: this.connectionCount,
    };
  }

  documentStatus(agreementId: string): DocumentSyncStatus {
    const room = this.registry.peek(agreementId);
    return {
      agreementId,
      state: this.chain.saveState(agreementId, 'exact'),
      loaded: !!room,
      locked: room?.locked ?? false,
      pendingBytes: this.persistence.pendingBytes(agreementId),
      lastSavedAt: this.persistence.lastSavedAt(agreementId)?.toISOString() ?? null,
    };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.heartbeat.stop();
    // extensions finish their work first, while documents can still be read and changed
    await this.chain.onDestroy();
    this.registry.close();
    for (const room of this.registry.all()) {
      for (const c of room.conns) c.close(CloseCode.goingAway, 'server shutting down');
    }
    // held updates: a last check of their senders' rights, then the flush
    await this.cluster?.settle();
    const ok = await this.persistence.close();
    if (!ok) this.logger.error({ pendingBytes: this.persistence.pendingBytes() }, 'sync: closed with unsaved updates');
    await this.cluster?.shutdown();
    this.registry.destroyAll();
    this.wss.close();
  }

  /** The extensions in the order their hooks run (for tests and the README). */
  get extensionNames(): string[] {
    return this.chain.names;
  }

  /* ---------------- upgrade + connections ---------------- */

  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, agreementId: string | null): Promise<void> {
    const ip = clientIp(req, this.o.trustProxy ?? false);
    const refuse = (status: number, detail: string, result: string) => {
      this.metrics.upgrades.inc({ result });
      refuseUpgrade(socket, status, detail);
    };
    if (this.closing) return refuse(503, 'server shutting down', 'closing');
    const early = this.chain.onUpgrade({ request: req, ip });
    if (early) return refuse(early.status, early.detail, early.result ?? 'refused_by_extension');
    if (!originAllowed(req, this.o.allowedOrigins ?? [])) return refuse(403, 'origin not allowed', 'bad_origin');
    const user = await this.o.authenticate(req);
    if (!user) return refuse(401, 'sign in to open this agreement', 'unauthenticated');
    if (agreementId === null) return refuse(404, 'no such agreement', 'not_found');
    const auth = await this.o.authorize(user.userId, agreementId);
    if (!auth) return refuse(404, 'no such agreement', 'not_member');
    const decision = await this.chain.onAuthenticate({ agreementId, userId: user.userId, name: user.name, role: auth.role, partyId: auth.partyId, request: req });
    if (decision.refuse) return refuse(decision.refuse.status, decision.refuse.detail, decision.refuse.result ?? 'refused_by_extension');
    let room: Room;
    try {
      room = await this.registry.get(agreementId);
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
    if (!this.registry.isServing(room)) {
      ws.close(CloseCode.unavailable, 'document reloading, retry');
      return;
    }
    const conn = new Connection(ws, room, info, this.logger, this.metrics, this.limits.maxBufferedBytes);
    const ctx = { agreementId: room.agreementId, connection: conn };
    room.conns.add(conn);
    this.registry.cancelIdle(room);
    this.connectionCount++;
    this.metrics.connections.inc();
    this.chain.onConnect(ctx);
    const inbox = new Inbox(this.inbound, (data) => conn.onMessage(data), {
      pause: () => {
        this.metrics.readPauses.inc();
        ws.pause();
      },
      resume: () => ws.resume(),
    });
    ws.on('message', (data: Buffer) => {
      conn.heard = true;
      inbox.receive(data);
    });
    ws.on('error', (err) => this.logger.debug({ err: String(err), agreementId: room.agreementId }, 'sync: socket error'));
    ws.on('pong', () => {
      conn.heard = true;
    });
    ws.on('close', () => {
      // what the socket sent before it closed is handled, not dropped
      inbox.drain();
      conn.closed = true;
      room.conns.delete(conn);
      room.removeConnectionAwareness(conn);
      this.chain.onDisconnect(ctx);
      this.connectionCount--;
      this.metrics.connections.dec();
      this.registry.scheduleIdle(room);
    });
    conn.start();
  }

  /* ---------------- documents ---------------- */

  private createRoom(agreementId: string): Room {
    const room = new Room(
      agreementId,
      this.limits.maxDocumentBytes,
      {
        onUpdate: (r, update, origin) => this.onRoomUpdate(r, update, origin),
        onLocalAwareness: (r, update) => this.chain.onAwarenessChange({ agreementId: r.agreementId, update }),
        saveState: (id) => this.chain.saveState(id, 'coarse'),
        onIntegrationError: (r, err, origin) => this.onIntegrationError(r, err, origin),
        beforeUpdate: (r, update, origin, isSyncStep2, mode) => {
          // per keystroke: no context to build when no hook would look at it
          if (mode === 'edit' && !this.chain.hasRefusers) return null;
          return this.chain.beforeUpdate(new UpdateCheck(r, update, origin, isSyncStep2, mode));
        },
        onAwareness: this.chain.hasAwareness ? (r, entries, origin) => this.chain.onAwareness({ agreementId: r.agreementId, entries, origin }) : undefined,
      },
      this.metrics,
    );
    room.broadcastWindowMs = this.o.broadcastWindowMs ?? 0;
    return room;
  }

  /** A change accepted into a document. Peers' changes were reported where they entered the cluster. */
  private onRoomUpdate(room: Room, update: Uint8Array, origin: SyncOrigin): void {
    if (origin.kind === 'peer') return;
    const id = room.agreementId;
    this.chain.onChange({ agreementId: id, update, origin, document: room });
    for (const l of this.listeners) {
      try {
        l(id, update, origin);
      } catch (err) {
        this.logger.error({ err: String(err), agreementId: id }, 'sync: onDocumentChanged listener threw');
      }
    }
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

  /** Push the coarse save state to a document's sockets when it changed. */
  private saveStateChanged(agreementId: string): void {
    const room = this.registry.peek(agreementId);
    if (!room || room.conns.size === 0) return;
    const v = this.chain.saveState(agreementId, 'coarse');
    if (room.pushedSave === v) return;
    room.pushedSave = v;
    room.refreshServerState();
  }

  private pendingBytes(): number {
    return this.persistence.pendingBytes() + (this.cluster?.heldBytes() ?? 0);
  }

  /* ---------------- membership + lock ---------------- */

  private async recheckMembership(agreementId: string, userId: string): Promise<void> {
    const room = this.registry.peek(agreementId);
    if (!room || ![...room.conns].some((c) => c.userId === userId)) return;
    let auth: Authorization | null;
    try {
      auth = await this.o.authorize(userId, agreementId);
    } catch (err) {
      // fail closed: the membership could not be confirmed
      this.logger.warn({ agreementId, userId, err: String(err) }, 'sync: membership re-check failed; closing sockets');
      auth = null;
    }
    this.applyRights(agreementId, new Map([[userId, auth]]));
  }

  /** Close removed members' sockets, give the others their current role (their write mode follows). */
  private applyRights(agreementId: string, rights: ReadonlyMap<string, Authorization | null>): void {
    const room = this.registry.peek(agreementId);
    if (!room) return;
    for (const c of [...room.conns]) {
      if (!rights.has(c.userId)) continue;
      const auth = rights.get(c.userId);
      if (!auth) c.close(CloseCode.forbidden, 'membership revoked');
      else c.setRole(auth.role as Role, auth.partyId);
    }
  }

  private applyLock(agreementId: string, locked: boolean): void {
    const room = this.registry.peek(agreementId);
    if (!room || room.locked === locked) return;
    room.locked = locked;
    room.refreshServerState();
  }

  /** What extensions that act on their own may use (onConfigure). */
  private api(isLocked: (id: string) => Promise<boolean>): EngineApi {
    return {
      processId: this.processId,
      logger: this.logger,
      metrics: this.metrics,
      document: (id) => this.registry.peek(id),
      documents: () => this.registry.all(),
      authorize: (userId, agreementId) => this.o.authorize(userId, agreementId),
      isLocked,
      applyLock: (id, locked) => this.applyLock(id, locked),
      recheckMembership: (id, userId) => this.recheckMembership(id, userId),
      applyRights: (id, rights) => this.applyRights(id, rights),
      saveStateChanged: (id) => this.saveStateChanged(id),
      stored: (ctx: StoreContext) => {
        this.chain.onStore(ctx);
        const room = this.registry.peek(ctx.agreementId);
        if (room) this.registry.scheduleIdle(room);
      },
    };
  }
}
