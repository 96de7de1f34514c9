/**
 * Limits: message size, document size, connections per agreement and per user, and a per-IP
 * throttle on connection attempts (token bucket).
 */
export interface SyncLimits {
  /** Largest websocket message accepted (bytes); bigger frames close the socket with 1009. Default 2 MiB. */
  maxMessageBytes: number;
  /** Largest document (approximate encoded size, bytes); updates beyond it close with 4413. Default 32 MiB. */
  maxDocumentBytes: number;
  maxConnectionsPerAgreement: number;
  maxConnectionsPerUser: number;
  /** Connection attempts per IP: burst size and refill per second. */
  ipBurst: number;
  ipPerSecond: number;
  /** A socket whose unsent bytes exceed this is closed (slow consumer). Default 16 MiB. */
  maxBufferedBytes: number;
}

export const defaultLimits: SyncLimits = {
  maxMessageBytes: 2 * 1024 * 1024,
  maxDocumentBytes: 32 * 1024 * 1024,
  maxConnectionsPerAgreement: 250,
  maxConnectionsPerUser: 30,
  ipBurst: 60,
  ipPerSecond: 5,
  maxBufferedBytes: 16 * 1024 * 1024,
};

export class IpThrottle {
  private buckets = new Map<string, { tokens: number; at: number }>();
  private sweep = 0;
  constructor(private readonly burst: number, private readonly perSecond: number) {}

  /** True if this attempt is allowed (and consumes a token). */
  take(ip: string, now = Date.now()): boolean {
    if (++this.sweep % 1024 === 0) this.prune(now);
    const b = this.buckets.get(ip);
    if (!b) {
      this.buckets.set(ip, { tokens: this.burst - 1, at: now });
      return true;
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private prune(now: number): void {
    for (const [ip, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(ip);
    }
  }
}

/** Counts live connections per key (agreement, user). */
export class ConnectionCounter {
  private counts = new Map<string, number>();
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  inc(key: string): void {
    this.counts.set(key, this.get(key) + 1);
  }
  dec(key: string): void {
    const n = this.get(key) - 1;
    if (n <= 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }
}
