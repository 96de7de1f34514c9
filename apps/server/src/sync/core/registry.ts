/**
 * The documents loaded in this process: load on first use (one load per agreement at a time, filled
 * by the extensions' onLoadDocument), unload after an idle time by ONE rule (`shouldUnload`: no
 * sockets, no joins in progress, and every extension lets it go), prepared by the extensions'
 * beforeUnload (flush, leave the stream), which may keep it.
 *
 * Nothing that arrives during an unload is lost: sockets cannot attach (the engine refuses with
 * 4503, retry) and `get` waits for the unload to finish or to keep the document.
 */
import type { ExtensionChain } from './extension.ts';
import type { Logger } from '../logger.ts';
import type { SyncMetrics } from '../metrics.ts';
import type { Room } from '../room.ts';

export interface RegistryOptions {
  chain: ExtensionChain;
  /** A new, empty document (the engine wires its hooks). */
  create(agreementId: string): Room;
  /** Unload a document this long after its last socket left. */
  idleUnloadMs: number;
  logger: Logger;
  metrics: SyncMetrics;
}

export class DocumentRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new WeakMap<Room, Promise<void>>();
  private closed = false;

  constructor(private readonly o: RegistryOptions) {}

  /** The document if it is loaded (and not being unloaded for good). */
  peek(agreementId: string): Room | undefined {
    return this.rooms.get(agreementId);
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  get size(): number {
    return this.rooms.size;
  }

  /** The loaded document, loading it if needed (waits for an unload in progress). */
  async get(agreementId: string): Promise<Room> {
    for (;;) {
      const room = this.rooms.get(agreementId);
      if (room) {
        if (!room.unloading) return room;
        // let the unload finish (it may also decide to keep the room)
        await this.unload(room);
        continue;
      }
      let p = this.loading.get(agreementId);
      if (!p) {
        p = this.load(agreementId).finally(() => this.loading.delete(agreementId));
        this.loading.set(agreementId, p);
      }
      return p;
    }
  }

  /** Whether the document is attached here and may accept a socket now. */
  isServing(room: Room): boolean {
    return !room.unloading && this.rooms.get(room.agreementId) === room;
  }

  private async load(agreementId: string): Promise<Room> {
    if (this.closed) throw new Error('sync engine closed');
    const room = this.o.create(agreementId);
    const ctx = {
      agreementId,
      document: room,
      get doc() {
        return room.doc;
      },
    };
    try {
      await this.o.chain.onLoadDocument(ctx);
    } catch (err) {
      room.destroy();
      throw err;
    }
    this.rooms.set(agreementId, room);
    this.o.metrics.documents.set(this.rooms.size);
    await this.o.chain.onLoad(ctx);
    this.o.logger.debug({ agreementId }, 'sync: document loaded');
    return room;
  }

  /** The one unload rule: nobody on it, nobody joining, and no extension holding something unsafe. */
  shouldUnload(room: Room): boolean {
    return room.conns.size === 0 && room.pendingJoins === 0 && this.o.chain.shouldUnload({ agreementId: room.agreementId });
  }

  /** (Re)start the idle timer of a document nobody is on. */
  scheduleIdle(room: Room): void {
    if (room.idleTimer || room.unloading || this.closed || room.conns.size > 0) return;
    room.idleTimer = setTimeout(() => {
      room.idleTimer = null;
      if (this.rooms.get(room.agreementId) !== room) return;
      if (this.shouldUnload(room)) void this.unload(room);
      else if (room.conns.size === 0) this.scheduleIdle(room); // try again later
    }, this.o.idleUnloadMs);
    room.idleTimer.unref?.();
  }

  cancelIdle(room: Room): void {
    if (room.idleTimer) {
      clearTimeout(room.idleTimer);
      room.idleTimer = null;
    }
  }

  private unload(room: Room): Promise<void> {
    let p = this.unloading.get(room);
    if (p) return p;
    room.unloading = true;
    const keep = () => {
      room.unloading = false;
      this.unloading.delete(room);
      this.scheduleIdle(room);
    };
    p = (async () => {
      const agreementId = room.agreementId;
      const ready = await this.o.chain.beforeUnload({ agreementId });
      if (!ready || room.conns.size > 0 || room.pendingJoins > 0) return keep();
      this.rooms.delete(agreementId);
      room.destroy();
      this.o.metrics.documents.set(this.rooms.size);
      this.o.logger.debug({ agreementId }, 'sync: document unloaded');
      await this.o.chain.onUnload({ agreementId });
    })();
    this.unloading.set(room, p);
    return p;
  }

  /** Stop unloading (shutdown): the engine flushes and destroys what is left. */
  close(): void {
    this.closed = true;
    for (const room of this.rooms.values()) this.cancelIdle(room);
  }

  destroyAll(): void {
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }
}
