/**
 * One websocket: protocol handling and write-mode enforcement (core/write-mode.ts, from the policy).
 *
 * - 'edit' (editor, draft): sync step 1/2 and updates are applied (origin = this connection's ClientOrigin).
 * - 'suggest' (commenter, draft): updates go through the extensions' beforeUpdate like an editor's;
 *   without an extension that validates suggest mode they are refused (the socket is closed).
 * - 'read' (viewer, locked agreement, forced by an extension): updates are dropped; the client is told
 *   (a y-protocols "permission denied" auth message, at most every 10 s, which the unmodified
 *   provider logs, and `readOnly: true` in the server peer's awareness state). Their sync step 2
 *   is accepted only when it adds nothing new.
 * - awareness is relayed for everyone.
 * - a malformed frame closes only this socket with a 44xx code and a log line.
 */
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { PresenceIdentity } from './awareness-identity.ts';
import type { Logger } from './logger.ts';
import type { SyncMetrics } from './metrics.ts';
import {
  CloseCode,
  decodeClientMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  frameBinary,
  type DecodedUpdate,
  ProtocolError,
  updateAddsNothing,
} from './protocol.ts';
import type { Room } from './room.ts';
import type { ClientOrigin } from './origin.ts';
import { type WriteMode, writeMode } from './core/write-mode.ts';

export type Role = 'editor' | 'commenter' | 'viewer';

/** Awareness client id under which the server publishes its per-socket status (never a real client). */
export const SERVER_AWARENESS_ID = 0;

export interface ConnectionInfo {
  userId: string;
  name: string;
  role: Role;
  partyId: string;
  ip: string;
  /** An extension's onAuthenticate made this socket read-only, whatever its role. */
  readOnly?: boolean;
}

const DENIED_NOTICE_EVERY_MS = 10_000;
/** The server peer's renewal joins a fan-out write once its last one is this old (the heartbeat's is at 20 s). */
const RENEW_WITH_FAN_OUT_AFTER_MS = 10_000;

export class Connection {
  /** Awareness client ids this socket introduced (it owns them until it closes). */
  readonly awarenessIds = new Set<number>();
  role: Role;
  partyId: string;
  closed = false;
  private lastDeniedNotice = 0;
  private readonly countApplied: () => void;
  private serverClock = 0;
  private lastServerStateJson = '';
  private lastServerState: unknown = null;
  /** performance.now() when the server peer's state last went to this socket */
  private serverStateSentAt = 0;
  /** The write mode and the inputs it was decided for. */
  private modeFor: { role: Role; partyId: string; locked: boolean; mode: WriteMode } | null = null;
  /** liveness (core/heartbeat.ts): a message or pong arrived since the last check / pinged at it */
  heard = true;
  pinged = false;
  /** The transaction origin of everything this socket sends. */
  readonly origin: ClientOrigin;

  constructor(
    readonly ws: WebSocket,
    readonly room: Room,
    readonly info: ConnectionInfo,
    private readonly logger: Logger,
    private readonly metrics: SyncMetrics,
    private readonly maxBufferedBytes: number,
  ) {
    this.role = info.role;
    this.origin = { kind: 'client', userId: info.userId, connection: this };
    this.partyId = info.partyId;
    this.countApplied = metrics.updates.for({ result: 'applied' });
  }

  get userId(): string {
    return this.info.userId;
  }

  /** Who this socket is, as stamped on its awareness states. */
  get identity(): PresenceIdentity {
    return { userId: this.info.userId, name: this.info.name, partyId: this.partyId };
  }

  /** The policy's answer for this socket's live role and the room's lock (both pushed to it when they change). */
  get mode(): WriteMode {
    // asked per update: the policy runs again only when its inputs changed
    const locked = this.room.locked;
    const c = this.modeFor;
    if (c && c.role === this.role && c.partyId === this.partyId && c.locked === locked) return c.mode;
    const mode = writeMode({ userId: this.info.userId, role: this.role, partyId: this.partyId, locked, forcedReadOnly: this.info.readOnly });
    this.modeFor = { role: this.role, partyId: this.partyId, locked, mode };
    return mode;
  }

  /** Plain edits are not accepted (mode 'suggest' or 'read'): what the client's editor shows. */
  get readOnly(): boolean {
    return this.mode !== 'edit';
  }

  /** Called once after the handshake: sync step 1 + full state, awareness states, server status. */
  start(): void {
    const doc = this.room.doc;
    this.send(encodeSyncStep1(Y.encodeStateVector(doc)));
    this.sendServerState(true);
    const states = this.room.awareness.getStates();
    if (states.size > 0) {
      this.send(encodeAwareness(this.room.encodeAwarenessStates([...states.keys()])));
    }
  }

  onMessage(data: Buffer | ArrayBuffer | Buffer[]): void {
    if (this.closed) return;
    const frame = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    let msg;
    try {
      msg = decodeClientMessage(frame);
    } catch (err) {
      this.fail(err, frame.byteLength);
      return;
    }
    try {
      switch (msg.type) {
        case 'sync-step1':
          this.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.room.doc, msg.stateVector)));
          return;
        case 'sync-step2':
          this.receiveUpdate(msg.update, undefined);
          return;
        case 'update':
          this.receiveUpdate(msg.update, msg);
          return;
        case 'awareness':
          this.room.applyClientAwareness(this, msg.entries);
          return;
        case 'query-awareness':
          this.send(encodeAwareness(this.room.encodeAwarenessStates([...this.room.awareness.getStates().keys()])));
          return;
      }
    } catch (err) {
      this.fail(err, frame.byteLength);
    }
  }

  /** `relayable` is the update message (relayed as-is when it is all new), absent for sync step 2. */
  private receiveUpdate(update: Uint8Array, relayable: { message: Uint8Array; decoded: DecodedUpdate } | undefined): void {
    const isStep2 = relayable === undefined;
    const room = this.room;
    const mode = this.mode;
    if (mode === 'suggest' && isStep2 && updateAddsNothing(room.doc, update)) {
      // a reconnecting client's state with nothing new: nothing to check
      this.metrics.updates.inc({ result: 'noop' });
      return;
    }
    if (mode === 'read') {
      if (isStep2 && updateAddsNothing(room.doc, update)) {
        this.metrics.updates.inc({ result: 'noop' });
        return;
      }
      this.metrics.updates.inc({ result: 'dropped_read_only' });
      const now = Date.now();
      if (now - this.lastDeniedNotice > DENIED_NOTICE_EVERY_MS) {
        this.lastDeniedNotice = now;
        this.logger.info({ agreementId: room.agreementId, userId: this.userId, role: this.role, locked: room.locked }, 'sync: dropped update from read-only connection');
        this.send(encodePermissionDenied(room.locked ? 'The agreement is locked; changes are not saved.' : this.info.readOnly ? 'Read-only; changes are not saved.' : `Read-only (${this.role}); changes are not saved.`));
      }
      return;
    }
    if (room.wouldExceedLimit(update.byteLength)) {
      throw new ProtocolError(CloseCode.documentTooLarge, 'document size limit reached');
    }
    const refused = room.refusal(update, this.origin, isStep2, mode);
    if (refused) throw new ProtocolError(refused.code, refused.reason);
    try {
      // an update message was decoded in full by decodeClientMessage: the room relays it as is when
      // it is all new; a sync step 2 mostly repeats what the server has and is applied at once
      if (relayable) room.receive(update, this.origin, relayable.decoded, relayable.message);
      else room.applyNow(update, this.origin);
    } catch (err) {
      throw new ProtocolError(CloseCode.badUpdate, `update could not be applied: ${(err as Error)?.message ?? err}`.slice(0, 120));
    }
    this.countApplied();
  }

  private fail(err: unknown, bytes: number): void {
    if (err instanceof ProtocolError) {
      this.logger.warn({ agreementId: this.room.agreementId, userId: this.userId, ip: this.info.ip, code: err.code, reason: err.reason, bytes }, 'sync: closing connection after protocol error');
      this.metrics.protocolErrors.inc({ code: String(err.code) });
      this.close(err.code, err.reason);
    } else {
      this.logger.error({ agreementId: this.room.agreementId, userId: this.userId, err: String((err as Error)?.stack ?? err) }, 'sync: unexpected error handling message');
      this.metrics.protocolErrors.inc({ code: String(CloseCode.badUpdate) });
      this.close(CloseCode.badUpdate, 'message could not be processed');
    }
  }

  /**
   * Send one message to this socket. Replies can be large (sync step 2 is the whole document diff for a
   * few bytes of request), so a client that asks without reading is cut off once its unread bytes pass
   * the limit, instead of the server buffering a document per request.
   */
  send(payload: Uint8Array): void {
    if (this.closed || this.ws.readyState !== 1) return;
    if (this.cutOffIfSlow(this.ws.bufferedAmount)) return;
    this.ws.send(payload, { binary: true, compress: false });
  }

  /** Terminates a consumer whose unread bytes exceed the limit; true when it did. */
  private cutOffIfSlow(buffered: number): boolean {
    if (buffered <= this.maxBufferedBytes) return false;
    this.logger.warn({ agreementId: this.room.agreementId, userId: this.userId, buffered }, 'sync: closing slow consumer');
    this.closed = true;
    this.ws.terminate();
    return true;
  }

  /** Write a pre-framed binary websocket frame (fan-out path: same Buffer for every socket). */
  writeFrame(frame: Buffer): void {
    if (this.closed || this.ws.readyState !== 1) return;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const sock = (this.ws as any)._socket as import('node:net').Socket;
    if (this.cutOffIfSlow(sock.writableLength)) return;
    sock.write(frame);
  }

  /**
   * The server peer's awareness state for this socket: read-only flag, role, lock and save status.
   * Renewed periodically (client awareness drops states older than 30 s).
   */
  sendServerState(force = false, now = performance.now()): void {
    const state = {
      overensServer: {
        // readOnly: plain edits are not accepted; mode says whether suggestions are (issue #16)
        readOnly: this.readOnly,
        mode: this.mode,
        role: this.role,
        locked: this.room.locked,
        save: this.room.saveState(),
      },
    };
    const json = JSON.stringify(state);
    if (!force && json === this.lastServerStateJson) return;
    this.lastServerStateJson = json;
    this.lastServerState = state;
    this.writeFrame(this.serverStateFrame(now));
  }

  /** The held state with a new clock (clients keep it another 30 s). */
  private serverStateFrame(now: number): Buffer {
    this.serverStateSentAt = now;
    const entry = { clientID: SERVER_AWARENESS_ID, clock: ++this.serverClock, state: this.lastServerState };
    return frameBinary(encodeAwareness(encodeAwarenessEntries([entry])));
  }

  /** The heartbeat's renewal, for a socket whose last one is `ms` old (most go with a fan-out write first). */
  renewServerStateIfOlder(ms: number, now: number): void {
    if (this.lastServerState !== null && now - this.serverStateSentAt >= ms) this.writeFrame(this.serverStateFrame(now));
  }

  /**
   * A fan-out write. Once the server peer's state is half-way to its renewal, the renewal rides in
   * this same write instead of costing a write (and a ws frame send) of its own later.
   */
  writeFanOut(frame: Buffer, now = performance.now()): void {
    if (this.lastServerState !== null && now - this.serverStateSentAt >= RENEW_WITH_FAN_OUT_AFTER_MS && !this.closed) {
      frame = Buffer.concat([frame, this.serverStateFrame(now)]);
    }
    this.writeFrame(frame);
  }

  setRole(role: Role, partyId: string): void {
    this.role = role;
    this.partyId = partyId;
    this.room.identityChanged(this);
    this.sendServerState();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch {
      this.ws.terminate();
    }
    // do not wait for the peer's close frame
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }
}
