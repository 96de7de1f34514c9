/**
 * One loaded document: its Y.Doc, awareness, the sockets on it, and the fan-out.
 *
 * Fan-out: updates applied during one event-loop turn are collected and sent at setImmediate —
 * one update: encoded + framed once, the same Buffer written to every socket but its origin;
 * several: merged into one update first, so every socket gets a single frame.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { Connection } from './connection.ts';
import { SERVER_AWARENESS_ID } from './connection.ts';
import type { SaveState } from './hub-contract.ts';
import type { SyncMetrics } from './metrics.ts';
import { type AwarenessEntry, encodeAwareness, encodeAwarenessEntries, encodeUpdate, frameBinary } from './protocol.ts';

/** Origin of updates/awareness that came from another process over Redis. */
export class RemoteOrigin {
  constructor(
    readonly processId: string,
    readonly seq: number,
    /** state responses are not the sender's own edits: nobody adopts them for persistence */
    readonly isStateResponse = false,
  ) {}
}

export interface RoomHooks {
  /** A change applied in this room (any origin). */
  onUpdate(room: Room, update: Uint8Array, origin: unknown): void;
  /** Awareness changed by a local client (to relay to peers). */
  onLocalAwareness(room: Room, update: Uint8Array): void;
  saveState(agreementId: string): SaveState;
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: Awareness;
  readonly conns = new Set<Connection>();
  /** Upgrades in progress that will attach here (keeps the room from unloading). */
  pendingJoins = 0;
  locked = false;
  /** Approximate document size: loaded bytes + applied update bytes. */
  sizeBytes = 0;
  idleTimer: NodeJS.Timeout | null = null;
  unloading = false;
  private outbox: { update: Uint8Array; origin: unknown }[] = [];
  private outboxScheduled = false;
  private lastBroadcast = -Infinity;
  /** Last save state pushed to this room's sockets. */
  pushedSave: SaveState = 'saved';
  /** Minimum time between two update broadcasts of this room (0 = every event-loop turn). */
  broadcastWindowMs = 0;

  constructor(
    readonly agreementId: string,
    readonly maxDocumentBytes: number,
    private readonly hooks: RoomHooks,
    private readonly metrics: SyncMetrics,
  ) {
    this.awareness = new Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'load') return;
      this.sizeBytes += update.byteLength;
      this.outbox.push({ update, origin });
      if (!this.outboxScheduled) {
        this.outboxScheduled = true;
        // first update after a quiet spell: out at once (end of this I/O turn); during bursts at
        // most one broadcast per window, so several typists' updates share one frame per socket
        const wait = this.lastBroadcast + this.broadcastWindowMs - performance.now();
        if (wait <= 0) setImmediate(this.flushOutbox);
        else setTimeout(this.flushOutbox, wait);
      }
      this.hooks.onUpdate(this, update, origin);
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = added.concat(updated, removed);
      if (changed.length === 0) return;
      const conn = this.conns.has(origin as Connection) ? (origin as Connection) : null;
      if (conn) {
        for (const id of added) conn.awarenessIds.add(id);
        for (const id of updated) conn.awarenessIds.add(id);
        for (const id of removed) conn.awarenessIds.delete(id);
      }
      const enc = this.encodeAwarenessStates(changed);
      const frame = frameBinary(encodeAwareness(enc));
      for (const c of this.conns) if (c !== conn) c.writeFrame(frame);
      if (!(origin instanceof RemoteOrigin)) this.hooks.onLocalAwareness(this, enc);
    });
  }

  private flushOutbox = (): void => {
    this.outboxScheduled = false;
    const items = this.outbox;
    this.outbox = [];
    if (items.length === 0 || this.conns.size === 0) return;
    this.lastBroadcast = performance.now();
    if (items.length === 1) {
      const { update, origin } = items[0]!;
      const frame = frameBinary(encodeUpdate(update));
      let n = 0;
      for (const c of this.conns) {
        if (c !== origin) {
          c.writeFrame(frame);
          n++;
        }
      }
      this.metrics.deliveries.inc(n);
      return;
    }
    const merged = Y.mergeUpdates(items.map((i) => i.update));
    const frame = frameBinary(encodeUpdate(merged));
    for (const c of this.conns) c.writeFrame(frame);
    this.metrics.deliveries.inc(this.conns.size);
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

  /** Apply a client's awareness entries (the server peer's id is never accepted from clients). */
  applyClientAwareness(conn: Connection, entries: AwarenessEntry[]): void {
    const filtered = entries.filter((e) => e.clientID !== SERVER_AWARENESS_ID);
    if (filtered.length === 0) return;
    this.applyAwarenessEntries(filtered, conn);
  }

  applyAwarenessEntries(entries: AwarenessEntry[], origin: unknown): void {
    // y-protocols applyAwarenessUpdate re-decodes; entries are already validated
    applyEntries(this.awareness, entries, origin);
  }

  /** Broadcast the server peer state (status/read-only) to every socket whose state changed. */
  refreshServerState(force = false): void {
    for (const c of this.conns) c.sendServerState(force);
  }

  removeConnectionAwareness(conn: Connection): void {
    if (conn.awarenessIds.size === 0) return;
    const ids = [...conn.awarenessIds];
    conn.awarenessIds.clear();
    removeStates(this.awareness, ids, null);
  }

  destroy(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

import { applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';

function applyEntries(awareness: Awareness, entries: AwarenessEntry[], origin: unknown): void {
  applyAwarenessUpdate(awareness, encodeAwarenessEntries(entries), origin);
}

function removeStates(awareness: Awareness, ids: number[], origin: unknown): void {
  removeAwarenessStates(awareness, ids, origin);
}
