import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { tooManyRequests } from './problem.ts';

/**
 * Sliding-window counter per key, in memory. Per process: with several processes behind a load
 * balancer each process counts on its own, so the effective limit is (limit × processes). That is
 * acceptable for throttling password guessing; a shared store (Redis) would make it exact.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private ops = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = this.hits.get(key);
    if (!list) return [];
    const kept = list.filter((t) => t > cutoff);
    if (kept.length === 0) this.hits.delete(key);
    else if (kept.length !== list.length) this.hits.set(key, kept);
    return kept;
  }

  /** Seconds until the key is allowed again, or 0 if it is allowed now. */
  retryAfter(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limit) return 0;
    const oldest = list[list.length - this.limit] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.now()) / 1000));
  }

  hit(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.hits.set(key, list);
    if (++this.ops % 1000 === 0) this.sweep();
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(): void {
    for (const key of [...this.hits.keys()]) this.recent(key);
  }
}

/** Failed-login throttling per account (e-mail) and per client IP. */
export class LoginThrottle {
  readonly perAccount: SlidingWindowLimiter;
  readonly perIp: SlidingWindowLimiter;

  constructor(opts: { maxPerAccount: number; maxPerIp: number; windowMs: number; now?: () => number }) {
    this.perAccount = new SlidingWindowLimiter(opts.maxPerAccount, opts.windowMs, opts.now);
    this.perIp = new SlidingWindowLimiter(opts.maxPerIp, opts.windowMs, opts.now);
  }

  /** Throws 429 when either the account or the IP has too many recent failures. */
  check(email: string, ip: string): void {
    const account = this.perAccount.retryAfter(email);
    if (account > 0) {
      throw tooManyRequests(
        account,
        `Too many failed sign-in attempts for this account. Wait ${account} seconds and try again, or reset your password with an administrator.`,
      );
    }
    const byIp = this.perIp.retryAfter(ip);
    if (byIp > 0) {
      throw tooManyRequests(byIp, `Too many failed sign-in attempts from your network. Wait ${byIp} seconds and try again.`);
    }
  }

  failed(email: string, ip: string): void {
    this.perAccount.hit(email);
    this.perIp.hit(ip);
  }

  succeeded(email: string): void {
    this.perAccount.reset(email);
  }
}

/** The client's IP: X-Forwarded-For's first entry when trustProxy, else the socket address. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = c.req.header('x-forwarded-for');
    const first = xff?.split(',')[0]?.trim();
    if (first) return first;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

/** Middleware factory: at most `limit` requests per `windowMs` per client IP (e.g. registration). */
export function rateLimitByIp(opts: { limit: number; windowMs: number; trustProxy: boolean; what: string }) {
  const limiter = new SlidingWindowLimiter(opts.limit, opts.windowMs);
  return async (c: Context, next: () => Promise<void>) => {
    const ip = clientIp(c, opts.trustProxy);
    const wait = limiter.retryAfter(ip);
    if (wait > 0) throw tooManyRequests(wait, `Too many ${opts.what} requests from your network. Wait ${wait} seconds and try again.`);
    limiter.hit(ip);
    await next();
  };
}
