/**
 * One timer for the engine's periodic chores, each on its own period (seconds):
 * the coarse save state ('saving' appears by age, every 5 s), websocket pings (every 30 s: a socket
 * that did not answer the last one is terminated), the server peer's awareness renewal (every 20 s:
 * clients drop states older than 30 s; each renewal is a frame per socket plus every client's echo),
 * and the pending-bytes gauge.
 */
import type { Room } from '../room.ts';

export interface HeartbeatOptions {
  documents(): Iterable<Room>;
  saveStateChanged(agreementId: string): void;
  pendingBytes(): number;
  setPendingBytes(n: number): void;
}

const SAVE_STATE_EVERY = 5;
const PING_EVERY = 30;
const RENEW_SERVER_STATE_EVERY = 20;

export class Heartbeat {
  private readonly timer: NodeJS.Timeout;
  private seconds = 0;

  constructor(private readonly o: HeartbeatOptions) {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    this.seconds = (this.seconds + 1) % 60;
    const s = this.seconds;
    if (s % SAVE_STATE_EVERY === 0) for (const room of this.o.documents()) this.o.saveStateChanged(room.agreementId);
    if (s % PING_EVERY === 0) for (const room of this.o.documents()) for (const c of room.conns) ping(c);
    if (s % RENEW_SERVER_STATE_EVERY === 0) for (const room of this.o.documents()) room.refreshServerState(true);
    this.o.setPendingBytes(this.o.pendingBytes());
  }
}

function ping(c: Room['conns'] extends Set<infer C> ? C : never): void {
  if (!c.alive) {
    c.ws.terminate();
    return;
  }
  c.alive = false;
  try {
    c.ws.ping();
  } catch {
    /* closed */
  }
}
