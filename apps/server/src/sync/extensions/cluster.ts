/**
 * The cluster channel as an extension (only with REDIS_URL; transport: redis-stream.ts, one Redis
 * Stream per agreement). It follows the stream of every document loaded here, publishes what
 * enters the cluster here (changes, awareness, membership and lock messages), applies what other
 * processes publish, and — through the lease holder's `onPersist` — hands each update to the
 * persistence extension exactly once in the cluster.
 *
 * Redis down: a client's change the stream did not take is *held*; every second the database is
 * asked whether its sender may still write (a removal or lock may not have reached us), and it is
 * persisted here or dropped. When the channel returns, every live socket's rights are re-read, the
 * stored document is merged and this process's whole state is published once.
 */
import * as Y from 'yjs';
import type { Authorization, DocumentContext, EngineApi, Extension, LoadContext, SaveStateView } from '../core/extension.ts';
import { writeMode } from '../core/write-mode.ts';
import type { SaveState } from '../hub-contract.ts';
import { peerOrigin, type SyncOrigin } from '../origin.ts';
import { loadDocument, type SyncDb } from '../persistence.ts';
import { decodeAwarenessUpdate } from '../protocol.ts';
import type { Relay, RelayHandlers, RelayMessage } from '../relay.ts';
import type { Room } from '../room.ts';
import { type PersistenceExtension, SAVING_AFTER_MS } from './persistence.ts';

/** A client's update the channel did not take (Redis down): persisted once its sender's right to write is confirmed. */
interface HeldUpdate {
  userId: string;
  update: Uint8Array;
  at: number;
}

export class ClusterExtension implements Extension {
  readonly name = 'cluster';
  /** after persistence: the stream adds what is in flight to what the database has */
  readonly priority = 900;
  private relay!: Relay;
  private engine!: EngineApi;
  /** documents whose stream is being opened (not registered yet, but the stream's messages are for them) */
  private readonly opening = new Map<string, Room>();
  /**
   * Client updates the channel could not take, per agreement. While Redis is down a removal or a
   * lock may not have reached this process, so they are persisted only after the database confirms
   * that their sender still may write (re-checked every second; see review()).
   */
  private readonly held = new Map<string, HeldUpdate[]>();
  /** Documents whose changes did not all reach the channel: their whole state is published once it is back. */
  private readonly needsState = new Set<string>();
  private readonly reviewing = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly createRelay: (handlers: RelayHandlers) => Relay,
    private readonly persistence: PersistenceExtension,
    private readonly db: SyncDb,
  ) {
    persistence.handChangesToChannel();
  }

  onConfigure(engine: EngineApi): void {
    this.engine = engine;
    this.relay = this.createRelay({
      processId: engine.processId,
      onMessage: (agreementId, msg) => this.onRelayMessage(agreementId, msg),
      onPersist: (agreementId, update, token) => this.persistence.enqueue(agreementId, update, token),
      onReconnect: () => this.catchUpAll(),
    });
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  /** What the stream holds that the database does not have yet (peers' updates in flight); never waits for an unreachable Redis. */
  async onLoadDocument({ agreementId, document }: LoadContext): Promise<void> {
    this.opening.set(agreementId, document);
    try {
      await this.relay.open(agreementId);
    } finally {
      this.opening.delete(agreementId);
    }
  }

  /** A change that entered the cluster here goes into the stream (the lease holder persists it). */
  onChange({ agreementId, update, origin }: { agreementId: string; update: Uint8Array; origin: SyncOrigin }): void {
    if (origin.kind === 'peer') return;
    this.relay.publish(agreementId, { type: 'update', update }).catch(() => this.notInStream(agreementId, update, origin));
  }

  onAwarenessChange({ agreementId, update }: { agreementId: string; update: Uint8Array }): void {
    this.relay.publish(agreementId, { type: 'awareness', update }).catch(() => {});
  }

  onStore({ agreementId, seq }: { agreementId: string; seq: number }): void {
    if (seq > 0) this.relay.persisted(agreementId, seq);
  }

  /** Held here, or in the stream and not yet flushed by the lease holder (maybe another process). */
  saveState(agreementId: string, view: SaveStateView): SaveState {
    const held = this.held.get(agreementId);
    const inStream = this.relay.unsavedSince(agreementId);
    if (view === 'exact') return (held?.length ?? 0) > 0 || inStream !== null ? 'saving' : 'saved';
    const cutoff = Date.now() - SAVING_AFTER_MS;
    if (held && held.length > 0 && held[0]!.at < cutoff) return 'saving';
    return inStream !== null && inStream < cutoff ? 'saving' : 'saved';
  }

  /** Not while updates wait for their senders' rights to be confirmed, or for the channel. */
  shouldUnload({ agreementId }: DocumentContext): boolean {
    return (this.held.get(agreementId)?.length ?? 0) === 0 && !this.needsState.has(agreementId);
  }

  /**
   * Stop following the stream. If this process holds the persistence lease, what the stream holds
   * beyond what it read is persisted before the document goes (else the holder persists it); if
   * that flush fails, the document follows the stream again and stays.
   */
  async beforeUnload(ctx: DocumentContext): Promise<boolean> {
    const id = ctx.agreementId;
    if (!this.shouldUnload(ctx)) return false;
    await this.relay.close(id);
    if (this.persistence.hasPending(id) && !(await this.persistence.flushNow(id))) {
      await this.relay.open(id);
      return false;
    }
    await this.relay.release(id);
    return true;
  }

  onUnload({ agreementId }: DocumentContext): void {
    this.held.delete(agreementId);
  }

  /** A membership or lock message for the other processes; resolves once it is in the stream. */
  publish(agreementId: string, msg: RelayMessage): Promise<void> {
    return this.relay.publish(agreementId, msg);
  }

  status(): 'up' | 'down' | 'disabled' {
    return this.relay.status();
  }

  heldBytes(): number {
    let n = 0;
    for (const l of this.held.values()) for (const h of l) n += h.update.byteLength;
    return n;
  }

  /** Before the final flush: a last check of the held updates' senders. */
  async settle(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.held.keys()].map((id) => this.review(id)));
  }

  shutdown(): Promise<void> {
    return this.relay.shutdown();
  }

  /* ---------------- internals ---------------- */

  private document(agreementId: string): Room | undefined {
    return this.engine.document(agreementId) ?? this.opening.get(agreementId);
  }

  private tick(): void {
    for (const id of this.held.keys()) void this.review(id);
    if (this.needsState.size > 0) this.publishStates();
  }

  /**
   * The channel did not take a change made here (Redis down): this process persists it — a client's
   * only once the database confirms its sender may still write (review) — and publishes its whole
   * state when the channel is back.
   */
  private notInStream(agreementId: string, update: Uint8Array, origin: SyncOrigin): void {
    this.needsState.add(agreementId);
    if (origin.kind === 'client') {
      let list = this.held.get(agreementId);
      if (!list) this.held.set(agreementId, (list = []));
      list.push({ userId: origin.userId, update, at: Date.now() });
      this.engine.saveStateChanged(agreementId);
    } else {
      this.persistence.enqueue(agreementId, update);
    }
  }

  private onRelayMessage(agreementId: string, msg: RelayMessage & { from: string }): void {
    if (msg.type === 'membership') {
      void this.engine.recheckMembership(agreementId, msg.userId);
      return;
    }
    if (msg.type === 'lock') {
      this.engine.applyLock(agreementId, msg.locked);
      return;
    }
    const room = this.document(agreementId);
    if (!room) return;
    const log = this.engine.logger;
    switch (msg.type) {
      case 'update':
        // the peer validated it when its client sent it
        try {
          room.receive(msg.update, peerOrigin(msg.from), Y.decodeUpdate(msg.update));
        } catch (err) {
          log.warn({ agreementId, fromProcess: msg.from, err: String(err) }, "sync: could not apply a peer's update");
        }
        return;
      case 'state':
        try {
          room.applyNow(msg.update, peerOrigin(msg.from, true));
        } catch (err) {
          log.warn({ agreementId, fromProcess: msg.from, err: String(err) }, "sync: could not apply a peer's state");
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
    for (const room of this.engine.documents()) void this.catchUp(room);
  }

  private async catchUp(room: Room): Promise<void> {
    const id = room.agreementId;
    await this.review(id, true);
    try {
      const loaded = await loadDocument(this.db, id);
      if (this.engine.document(id) === room && loaded.updates.length > 0) room.applyNow(Y.mergeUpdates(loaded.updates), peerOrigin('database', true));
    } catch (err) {
      this.engine.logger.warn({ agreementId: id, err: String(err) }, 'sync: could not read the stored document after the channel returned');
    }
    this.needsState.add(id);
    this.publishStates();
  }

  /** Publish the whole state of documents whose changes did not all reach the channel. */
  private publishStates(): void {
    if (this.relay.status() !== 'up') return;
    for (const id of this.needsState) {
      const room = this.engine.document(id);
      this.needsState.delete(id);
      if (!room) continue;
      this.relay.publish(id, { type: 'state', update: Y.encodeStateAsUpdate(room.doc) }).catch(() => this.needsState.add(id));
    }
  }

  /**
   * The database is the channel while Redis is down: re-read the lock and the membership of every
   * user with a live socket or a held update here, apply them (close the removed, demote, lock), and
   * persist held updates whose sender may still write; the others are dropped (their sender lost the
   * right before the channel could say so).
   */
  private async review(agreementId: string, everyone = false): Promise<void> {
    if (this.reviewing.has(agreementId)) return;
    this.reviewing.add(agreementId);
    try {
      const room = this.engine.document(agreementId);
      const taken = (this.held.get(agreementId) ?? []).length;
      const users = new Set((this.held.get(agreementId) ?? []).map((h) => h.userId));
      if (everyone && room) for (const c of room.conns) users.add(c.userId);
      if (users.size === 0) return;
      let locked: boolean;
      const rights = new Map<string, Authorization | null>();
      try {
        locked = await this.engine.isLocked(agreementId);
        for (const u of users) rights.set(u, await this.engine.authorize(u, agreementId));
      } catch (err) {
        this.engine.logger.warn({ agreementId, err: String(err) }, 'sync: could not re-check rights; held updates wait');
        return;
      }
      this.engine.applyLock(agreementId, locked);
      const list = this.held.get(agreementId) ?? [];
      const batch = list.splice(0, taken);
      if (list.length === 0) this.held.delete(agreementId);
      let dropped = 0;
      for (const h of batch) {
        const auth = rights.get(h.userId);
        // suggest-mode updates were checked by the extensions when they arrived
        const mayWrite = !!auth && writeMode({ userId: h.userId, role: auth.role, partyId: auth.partyId, locked }) !== 'read';
        if (mayWrite) this.persistence.enqueue(agreementId, h.update);
        else dropped++;
      }
      if (dropped > 0) this.engine.logger.warn({ agreementId, dropped }, 'sync: dropped updates whose sender lost the right to write while the channel was down');
      this.engine.applyRights(agreementId, rights);
      this.engine.saveStateChanged(agreementId);
    } finally {
      this.reviewing.delete(agreementId);
    }
  }
}
