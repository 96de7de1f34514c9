/**
 * One timer for the engine's periodic chores, each on its own period (seconds):
 * the coarse save state ('saving' appears by age, every 5 s), liveness (every 30 s: a socket heard
 * from since the last check is alive without a ping; a silent one is pinged, and terminated if it
 * is still silent at the next check), the server peer's awareness renewal (each socket once its
 * last one is 20 s old: clients drop states older than 30 s; most go out with a fan-out write, see
 * Connection.serverStateRenewal), and the pending-bytes gauge.
 */
import type { Room } from '../room.ts';

export interface HeartbeatOptions {
  documents(): Iterable<Room>;
  saveStateChanged(agreementId: string): void;
  pendingBytes(): number;
  setPendingBytes(n: number): void;
}

const SAVE_STATE_EVERY = 5;
const LIVENESS_EVERY = 30;
/** Clients drop awareness states older than 30 s; renew well before. */
export const RENEW_SERVER_STATE_AFTER_MS = 20_000;

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
    if (s % LIVENESS_EVERY === 0) for (const room of this.o.documents()) for (const c of room.conns) checkLiveness(c);
    // each socket on its own phase (its last renewal), not all at once
    const now = performance.now();
    for (const room of this.o.documents()) for (const c of room.conns) c.renewServerStateIfOlder(RENEW_SERVER_STATE_AFTER_MS, now);
    this.o.setPendingBytes(this.o.pendingBytes());
  }
}

/** What liveness needs of a connection (Connection; a plain object in tests). */
export interface Live {
  /** a message or a pong arrived since the last check */
  heard: boolean;
  /** pinged at the last check and not heard from since */
  pinged: boolean;
  ws: { ping(): void; terminate(): void };
}

/**
 * One liveness check. Clients send something at least every 15 s (their own awareness renewal), so
 * a ping — a write, and a pong to read, per socket — is only needed for a socket that went silent.
 */
export function checkLiveness(c: Live): void {
  if (c.heard) {
    c.heard = false;
    c.pinged = false;
    return;
  }
  if (c.pinged) {
    c.ws.terminate();
    return;
  }
  c.pinged = true;
  try {
    c.ws.ping();
  } catch {
    /* closed */
  }
}
