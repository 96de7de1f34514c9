/**
 * One loaded document: its Y.Doc, awareness, the sockets on it, and the fan-out.
 *
 * Relay first, integrate later. A client's update is validated (fully decoded) by the protocol
 * layer; when everything in it is new to the room (`isNew`: no struct at or below a clock the room
 * has already seen for that client, which is what a client's fresh edits always are) it is
 * *accepted*: the client's own message bytes go out to the other sockets, the update is queued for
 * persistence and the relay, and it is appended to `unapplied`. Accepted updates therefore never
 * overlap, so relaying them raw, in arrival order, and merging them for storage gives exactly the
 * state that integrating them one by one gives. The server's Y.Doc
 * integrates accepted updates only when something reads it (`room.doc` materializes), or in one
 * transaction once many have piled up. Most of the time nobody reads the server's copy while
 * people type, so the per-keystroke cost is decode + fan-out + a queue push, not a Yjs transaction.
 * (The same design as y-redis, where the Yjs authors relay raw updates and merge them later.)
 *
 * Updates that must be deduplicated against the current state (sync step 2, peers' state
 * responses) and the server's own changes (withDocument) are applied at once; what they actually
 * added is captured from the transaction and accepted like a client update.
 *
 * Fan-out: updates accepted and awareness changed during one event-loop turn are collected and sent
 * at setImmediate, in the order they came in, each framed once; several go out as consecutive frames
 * in ONE write per socket (a socket does not get its own updates or awareness back).
 */
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import type { Connection } from './connection.ts';
import { SERVER_AWARENESS_ID } from './connection.ts';
import type { SaveState } from './hub-contract.ts';
import { AwarenessOwnership, stampedUserId, stampUser } from './awareness-identity.ts';
import type { SyncMetrics } from './metrics.ts';
import type { ClientOrigin, SyncOrigin } from './origin.ts';
import type { Refusal } from './core/extension.ts';
import { applyUpdates } from './persistence.ts';
import {
  type AwarenessEntry,
  type DecodedUpdate,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeUpdate,
  frameBinary,
  isRemoval,
  parseAwarenessState,
  ProtocolError,
  type RawAwarenessEntry,
} from './protocol.ts';


/**
 * An awareness renewal (a client re-sending its unchanged state with a new clock, every 15 s, so the
 * others do not drop it after 30 s) waits at most this long for a write that goes to the socket
 * anyway; the others then still hear from each client at least every 20 s.
 */
const RENEWAL_MAX_WAIT_MS = 5000;

/** Integrate the backlog in one transaction once it is this long (or this large). */
const MATERIALIZE_AFTER_UPDATES = 1000;
const MATERIALIZE_AFTER_BYTES = 1024 * 1024;
/** Bytes accepted since the last size measurement that justify measuring again before refusing for the size limit. */
const MEASURE_SLACK_BYTES = 64 * 1024;

interface Accepted {
  update: Uint8Array;
  origin: SyncOrigin;
  /** The sender's y-protocols message for exactly this update, forwarded as-is. */
  message?: Uint8Array;
}

/** What goes out to the other sockets at the end of the turn, in the order it came in. */
type Outgoing = { kind: 'update'; update: Uint8Array; origin: SyncOrigin; message?: Uint8Array } | { kind: 'awareness'; frame: Buffer; origin: SyncOrigin | null };

export interface RoomHooks {
  /** A change accepted into this room (any origin): persist / relay / notify. */
  onUpdate(room: Room, update: Uint8Array, origin: SyncOrigin): void;
  /** Awareness changed by a local client (to relay to peers). */
  onLocalAwareness(room: Room, update: Uint8Array): void;
  saveState(agreementId: string): SaveState;
  /** Extensions' beforeUpdate: a client's update may be refused (then it goes nowhere). */
  beforeUpdate?(room: Room, update: Uint8Array, origin: ClientOrigin, isSyncStep2: boolean, mode: 'edit' | 'suggest'): Refusal | null;
  /** Extensions' onAwareness: a client's checked, stamped awareness entries may be refused (the socket is closed). */
  onAwareness?(room: Room, entries: readonly AwarenessEntry[], origin: ClientOrigin): Refusal | null;
  /** An accepted update could not be integrated into the server's copy (logged by the hub). */
  onIntegrationError(room: Room, err: unknown, origin: SyncOrigin): void;
}

/**
 * Whether an update may set a key of a map (Y.Map entries, XML attributes, sections, marks): some
 * item of it has a `parentSub`. Typing inserts items into sequences (text, formatting, elements)
 * and deletes, which never make a map entry appear.
 */
export function mayChangeKeys(decoded: DecodedUpdate): boolean {
  for (const struct of decoded.structs) if (struct instanceof Y.Item && struct.parentSub !== null) return true;
  return false;
}

export class Room {
  /** The Y.Doc as integrated so far; read it through `doc`, which integrates the backlog first. */
  private readonly ydoc = new Y.Doc({ gc: true });
  readonly awareness: Awareness;
  readonly conns = new Set<Connection>();
  /** Which connection owns which awareness client id (see awareness-identity.ts). */
  private readonly presence = new AwarenessOwnership<Connection>();
  /** Upgrades in progress that will attach here (keeps the room from unloading). */
  pendingJoins = 0;
  locked = false;
  /** Encoded size of the server's copy when last measured (compacted), and bytes accepted since. */
  private measuredBytes = 0;
  private bytesSinceMeasure = 0;
  private measureScheduled = false;
  idleTimer: NodeJS.Timeout | null = null;
  unloading = false;
  private unapplied: Accepted[] = [];
  /** Next clock per client over everything integrated or accepted (see isNew). */
  private readonly clocks = new Map<number, number>();
  private unappliedBytes = 0;
  private materializeScheduled = false;
  private outbox: Outgoing[] = [];
  private outboxScheduled = false;
  /** Awareness renewals waiting to ride along with the next write (see RENEWAL_MAX_WAIT_MS). */
  private renewals: Outgoing[] = [];
  private renewalTimer: NodeJS.Timeout | null = null;
  /** Per awareness client id: the raw JSON a client last sent and the (stamped) state it became, to tell renewals apart. */
  private readonly lastRaw = new Map<number, { json: Uint8Array; state: unknown }>();
  private lastBroadcast = -Infinity;
  /** Last save state pushed to this room's sockets. */
  pushedSave: SaveState = 'saved';
  /** Minimum time between two update broadcasts of this room (0 = every event-loop turn). */
  broadcastWindowMs = 0;
  /**
   * Changes that may have set a key of some map (see `mayChangeKeys`), counted since the room was
   * created. Text typed into a sequence and deletions leave it alone, so an extension that found
   * nothing to do in the map-shaped parts of the document (no section agreed, …) knows that stays so
   * while this number does not move (core/document-fact.ts).
   */
  keyChanges = 0;

  constructor(
    readonly agreementId: string,
    readonly maxDocumentBytes: number,
    private readonly hooks: RoomHooks,
    private readonly metrics: SyncMetrics,
  ) {
    this.awareness = new Awareness(this.ydoc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: SyncOrigin | null) => {
      const changed = added.concat(updated, removed);
      if (changed.length === 0) return;
      const enc = this.encodeAwarenessStates(changed);
      // behind the updates of this turn, in one write with them: a client's caret after its keystroke
      // must not reach the others before the keystroke does
      this.send({ kind: 'awareness', frame: frameBinary(encodeAwareness(enc)), origin });
      if (origin?.kind !== 'peer') this.hooks.onLocalAwareness(this, enc);
    });
  }

  /** Ask the extensions whether a client's update may go on (null) or is refused. */
  refusal(update: Uint8Array, origin: ClientOrigin, isSyncStep2: boolean, mode: 'edit' | 'suggest'): Refusal | null {
    return this.hooks.beforeUpdate?.(this, update, origin, isSyncStep2, mode) ?? null;
  }

  /** The server's copy of the document, with every accepted update integrated. */
  get doc(): Y.Doc {
    this.materialize();
    return this.ydoc;
  }

  /** Updates accepted but not yet integrated into the server's copy. */
  get backlog(): number {
    return this.unapplied.length;
  }

  /** Whether `doc` is this room's Y.Doc (an extension's withDocument callback telling its document apart). */
  owns(doc: Y.Doc): boolean {
    return doc === this.ydoc;
  }

  /** Fill a freshly created room from stored state (no broadcast, nothing persisted). */
  load(updates: Uint8Array[], onBadUpdate: (err: unknown, index: number) => void): void {
    applyUpdates(this.ydoc, updates, 'load', onBadUpdate);
    this.measureSize();
  }

  /**
   * Approximate document size: the compacted size when last measured plus what was accepted since
   * (re-measured once that doubles it, and before refusing an update for the size limit), so it
   * follows the document, not everything ever received — 100,000 keystrokes are ~2.5 MB of
   * messages but ~100 KB of document.
   */
  get sizeBytes(): number {
    return this.measuredBytes + this.bytesSinceMeasure;
  }

  /** Whether `extra` more bytes would take the document past its limit (measured, not guessed, before saying yes). */
  wouldExceedLimit(extra: number): boolean {
    if (this.sizeBytes + extra <= this.maxDocumentBytes) return false;
    // what was accepted since the last measurement may mostly be overhead of small updates
    if (this.bytesSinceMeasure >= MEASURE_SLACK_BYTES) this.measureSize();
    return this.sizeBytes + extra > this.maxDocumentBytes;
  }

  /** Integrate the backlog and take the encoded size of the state (O(document)). */
  measureSize(): number {
    this.materialize();
    this.measuredBytes = Y.encodeStateAsUpdate(this.ydoc).byteLength;
    this.bytesSinceMeasure = 0;
    return this.measuredBytes;
  }

  private noteAcceptedBytes(n: number): void {
    this.bytesSinceMeasure += n;
    // amortised O(1) per byte: the O(document) measurement runs after as many bytes as it measures
    if (!this.measureScheduled && this.bytesSinceMeasure >= Math.max(MATERIALIZE_AFTER_BYTES, this.measuredBytes)) {
      this.measureScheduled = true;
      setImmediate(() => {
        this.measureScheduled = false;
        if (!this.destroyed) this.measureSize();
      });
    }
  }

  /**
   * Whether every struct of a decoded update lies beyond what the room has seen of its client (and
   * no two of its structs overlap): then it can be relayed raw and integrated later (accept).
   */
  isNew(decoded: DecodedUpdate): boolean {
    const ends = new Map<number, number>();
    for (const struct of decoded.structs) {
      const { client, clock } = struct.id;
      const from = ends.get(client) ?? this.knownClock(client);
      if (clock < from) return false;
      ends.set(client, clock + struct.length);
    }
    return true;
  }

  private knownClock(client: number): number {
    return Math.max(this.clocks.get(client) ?? 0, Y.getState(this.ydoc.store, client));
  }

  private noteClocks(decoded: DecodedUpdate): void {
    for (const struct of decoded.structs) {
      const end = struct.id.clock + struct.length;
      if (end > (this.clocks.get(struct.id.client) ?? 0)) this.clocks.set(struct.id.client, end);
    }
  }

  /**
   * An update entered the room (a client's update message, or a peer's relayed update). All new
   * (`isNew`): accepted — relayed as is (`message`, the sender's own bytes, when given) and integrated
   * later. Otherwise applied now so only what it adds goes on. Throws what Yjs throws for an update
   * it cannot apply.
   */
  receive(update: Uint8Array, origin: SyncOrigin, decoded: DecodedUpdate, message?: Uint8Array): void {
    if (this.isNew(decoded)) this.accept(update, origin, message, decoded);
    else this.applyNow(update, origin);
  }

  /** An update that `isNew`: fan it out, hand it to the hooks (persistence, relay, listeners), queue it for integration. */
  accept(update: Uint8Array, origin: SyncOrigin, message: Uint8Array | undefined, decoded: DecodedUpdate): void {
    this.noteClocks(decoded);
    if (mayChangeKeys(decoded)) this.keyChanges++;
    this.unapplied.push({ update, origin });
    this.unappliedBytes += update.byteLength;
    if (!this.materializeScheduled && (this.unapplied.length >= MATERIALIZE_AFTER_UPDATES || this.unappliedBytes >= MATERIALIZE_AFTER_BYTES)) {
      this.materializeScheduled = true;
      setImmediate(() => {
        this.materializeScheduled = false;
        this.materialize();
      });
    }
    this.deliver(update, origin, message);
  }

  /**
   * Apply an update now, against the current state (sync step 2 and peers' state responses, which
   * mostly repeat what the server has): only what it adds is broadcast, persisted and relayed.
   * Throws what Yjs throws for an update it cannot apply.
   */
  applyNow(update: Uint8Array, origin: SyncOrigin): void {
    this.transactCaptured(() => Y.applyUpdate(this.ydoc, update, origin), origin);
  }

  /** Run `fn` in one transaction on the current state; what it changed is accepted as an update. */
  change(fn: (doc: Y.Doc) => void, origin: SyncOrigin): void {
    this.transactCaptured(() => Y.transact(this.ydoc, () => fn(this.ydoc), origin), origin);
  }

  private transactCaptured(run: () => void, origin: SyncOrigin): void {
    this.materialize();
    const captured: Uint8Array[] = [];
    const capture = (u: Uint8Array) => captured.push(u);
    // only listen while our own transaction runs: integrating the backlog must not pay for
    // Yjs encoding an update event nobody needs
    this.ydoc.on('update', capture);
    try {
      run();
    } finally {
      this.ydoc.off('update', capture);
      // not decoded here (sync step 2, server changes: rare): counted as if they set keys
      if (captured.length > 0) this.keyChanges++;
      for (const u of captured) this.deliver(u, origin, undefined);
    }
  }

  /** Integrate every accepted update into the server's copy, in one transaction. */
  materialize(): void {
    if (this.unapplied.length === 0) return;
    const items = this.unapplied;
    this.unapplied = [];
    this.unappliedBytes = 0;
    applyUpdates(
      this.ydoc,
      items.map((i) => i.update),
      'integrate',
      (err, index) => this.hooks.onIntegrationError(this, err, items[index]!.origin),
    );
  }

  private deliver(update: Uint8Array, origin: SyncOrigin, message: Uint8Array | undefined): void {
    this.noteAcceptedBytes(update.byteLength);
    this.send({ kind: 'update', update, origin, message });
    this.hooks.onUpdate(this, update, origin);
  }

  /** Queue for the other sockets; everything queued in one turn goes out at its end, in order. */
  private send(item: Outgoing): void {
    this.outbox.push(item);
    if (!this.outboxScheduled) {
      this.outboxScheduled = true;
      // first update after a quiet spell: out at once (end of this I/O turn); during bursts at
      // most one broadcast per window, so several typists' updates share one frame per socket
      const wait = this.lastBroadcast + this.broadcastWindowMs - performance.now();
      if (wait <= 0) setImmediate(this.flushOutbox);
      else setTimeout(this.flushOutbox, wait);
    }
  }

  /** Queue a renewal; it goes out with the next flush, or on its own once it waited RENEWAL_MAX_WAIT_MS. */
  private sendRenewal(item: Outgoing): void {
    this.renewals.push(item);
    this.renewalTimer ??= setTimeout(() => {
      this.renewalTimer = null;
      // nothing else went out meanwhile: a flush of their own (it takes every waiting renewal)
      if (this.renewals.length > 0 && !this.outboxScheduled) {
        this.outboxScheduled = true;
        setImmediate(this.flushOutbox);
      }
    }, RENEWAL_MAX_WAIT_MS);
  }

  private flushOutbox = (): void => {
    this.outboxScheduled = false;
    let items = this.outbox;
    this.outbox = [];
    if (this.renewals.length > 0) {
      // they came in before what is in the outbox now
      items = this.renewals.concat(items);
      this.renewals = [];
      if (this.renewalTimer) clearTimeout(this.renewalTimer);
      this.renewalTimer = null;
    }
    if (items.length === 0 || this.conns.size === 0) return;
    this.lastBroadcast = performance.now();
    const frames = items.map((i) => (i.kind === 'awareness' ? i.frame : frameBinary(i.message ?? encodeUpdate(i.update))));
    const all = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    const hasUpdate = items.some((i) => i.kind === 'update');
    const origins = new Set(items.map((i) => i.origin));
    // deliveries counts writes that carry updates (awareness alone is not an update delivery)
    let writes = 0;
    for (const c of this.conns) {
      if (!origins.has(c.origin)) {
        c.writeFanOut(all);
        if (hasUpdate) writes++;
      } else if (items.length > 1) {
        const mine = items.map((i) => i.origin === c.origin);
        const others = frames.filter((_, k) => !mine[k]);
        if (others.length > 0) {
          c.writeFanOut(others.length === 1 ? others[0]! : Buffer.concat(others));
          if (items.some((i, k) => !mine[k] && i.kind === 'update')) writes++;
        }
      }
    }
    this.metrics.deliveries.inc(writes);
  };

  saveState(): SaveState {
    return this.hooks.saveState(this.agreementId);
  }

  encodeAwarenessStates(clients: number[]): Uint8Array {
    const entries: AwarenessEntry[] = [];
    const states = this.awareness.getStates();
    for (const clientID of clients) {
      const meta = this.awareness.meta.get(clientID);
      entries.push({ clientID, clock: meta?.clock ?? 0, state: states.get(clientID) ?? null });
    }
    return encodeAwarenessEntries(entries);
  }

  /**
   * Apply a client's awareness entries (the server peer's id is never accepted from clients).
   * Entries that would change nothing (y-protocols' rule: an older or equal clock, unless it removes
   * a known state) are skipped before their JSON is read: they are nearly all echoes, since every
   * client sends back each awareness change it receives. A connection may only write the ids it
   * owns, and the `user` field is stamped by the server (awareness-identity.ts). Throws
   * ProtocolError for bad JSON (4400) and for another user's client id (4403).
   */
  applyClientAwareness(conn: Connection, entries: RawAwarenessEntry[]): void {
    let fresh: AwarenessEntry[] | null = null;
    /** the raw JSON of each fresh entry (null for a removal), to recognise its renewals */
    const freshRaw: (Uint8Array | null)[] = [];
    let renewed: AwarenessEntry[] | null = null;
    for (const e of entries) {
      if (e.clientID === SERVER_AWARENESS_ID) continue;
      const current = this.awareness.meta.get(e.clientID)?.clock ?? 0;
      if (e.clock < current) continue;
      const known = this.awareness.states.has(e.clientID);
      if (e.clock === current && !(isRemoval(e) && known)) continue;
      const remove = () => {
        if (!known || !this.presence.mayRemove(conn, e.clientID)) return;
        (fresh ??= []).push({ clientID: e.clientID, clock: e.clock, state: null });
        freshRaw.push(null);
      };
      if (isRemoval(e)) {
        remove();
        continue;
      }
      const held = this.awareness.states.get(e.clientID);
      const last = this.lastRaw.get(e.clientID);
      if (last && last.state === held && Buffer.compare(last.json, e.stateJson) === 0 && !this.hooks.onAwareness) {
        // a renewal: the same state again (nothing to parse or stamp), only the clock moves
        this.presence.authorizeState(conn, e.clientID, stampedUserId(held));
        (renewed ??= []).push({ clientID: e.clientID, clock: e.clock, state: held });
        continue;
      }
      const state = parseAwarenessState(e);
      if (state === null) {
        remove(); // "null" spelt with spaces
        continue;
      }
      this.presence.authorizeState(conn, e.clientID, stampedUserId(held));
      (fresh ??= []).push({ clientID: e.clientID, clock: e.clock, state: stampUser(state, conn.identity) });
      freshRaw.push(e.stateJson);
    }
    if (renewed) this.renew(renewed, conn);
    if (!fresh) return;
    const refused = this.hooks.onAwareness?.(this, fresh, conn.origin);
    if (refused) throw new ProtocolError(refused.code, refused.reason);
    this.applyAwarenessEntries(fresh, conn.origin);
    fresh.forEach((e, i) => {
      const raw = freshRaw[i];
      const applied = this.awareness.states.get(e.clientID);
      // remember the state y-protocols now holds for exactly this raw JSON (a renewal must find it unchanged)
      if (raw && applied !== undefined && this.awareness.meta.get(e.clientID)?.clock === e.clock) this.lastRaw.set(e.clientID, { json: raw, state: applied });
      else this.lastRaw.delete(e.clientID);
    });
  }

  /**
   * Unchanged states with a new clock: the server's copy keeps them alive (y-protocols' meta, as
   * applyAwarenessUpdate would set it; no 'change' either way), and the relay waits for a write that
   * goes to the socket anyway (sendRenewal).
   */
  private renew(entries: AwarenessEntry[], conn: Connection): void {
    const now = Date.now();
    for (const e of entries) this.awareness.meta.set(e.clientID, { clock: e.clock, lastUpdated: now });
    const enc = encodeAwarenessEntries(entries);
    this.sendRenewal({ kind: 'awareness', frame: frameBinary(encodeAwareness(enc)), origin: conn.origin });
    this.hooks.onLocalAwareness(this, enc);
  }

  applyAwarenessEntries(entries: AwarenessEntry[], origin: SyncOrigin | null): void {
    // y-protocols applyAwarenessUpdate re-decodes; entries are already validated
    applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(entries), origin);
  }

  /** Send the server peer state (status/read-only) to every socket whose state changed. */
  refreshServerState(): void {
    for (const c of this.conns) c.sendServerState();
  }

  /** A connection's user got another role or party: its next renewals are stamped afresh (as changes). */
  identityChanged(conn: Connection): void {
    for (const id of conn.awarenessIds) this.lastRaw.delete(id);
  }

  removeConnectionAwareness(conn: Connection): void {
    const ids = this.presence.release(conn);
    for (const id of ids) this.lastRaw.delete(id);
    if (ids.length > 0) removeAwarenessStates(this.awareness, ids, null);
  }

  private destroyed = false;

  destroy(): void {
    this.destroyed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.renewalTimer) clearTimeout(this.renewalTimer);
    this.unapplied = [];
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}
