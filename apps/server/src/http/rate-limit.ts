import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.ts';
import { ApiError } from './problem.ts';

/**
 * Throttling with rate-limiter-flexible: counters in Redis when REDIS_URL is set (so every process
 * sees the same counts), in memory otherwise. A Redis outage falls back to per-process memory
 * counters (the insurance limiter) instead of failing requests.
 */
export interface LimiterStore {
  limiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract;
  close(): Promise<void>;
}

export function createLimiterStore(redisUrl: string | null, logger?: Logger): LimiterStore {
  let client: Redis | null = null;
  if (redisUrl) {
    client = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(100 * 2 ** times, 5000) });
    client.on('error', (err) => logger?.debug?.({ err: String(err.message) }, 'rate limits: redis error (memory counters meanwhile)'));
  }
  return {
    limiter(name, points, duration) {
      const keyPrefix = `overens:rl:${name}`;
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      return client ? new RateLimiterRedis({ storeClient: client, keyPrefix, points, duration, insuranceLimiter: memory }) : memory;
    },
    async close() {
      await client?.quit().catch(() => client?.disconnect());
    },
  };
}

/** 429 problem: stable `code`, Retry-After, and what to do, in English (detail) and Swedish (messages.sv). */
export function throttled(code: string, retryAfterSeconds: number, en: string, sv: string): ApiError {
  const wait = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ApiError(429, code, 'Too many requests', en.replace('{s}', String(wait)), undefined, { 'retry-after': String(wait) }, {
    code,
    retryAfterSeconds: wait,
    messages: { en: en.replace('{s}', String(wait)), sv: sv.replace('{s}', String(wait)) },
  });
}

/** Seconds until `res` allows another attempt, or 0 when it has fewer than `points` consumed. */
function waitSeconds(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints < points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * The throttling key of a client address: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64
 * prefix, because one subscriber usually owns a whole /64 and could otherwise rotate addresses freely.
 */
export function sourceKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface LoginThrottleOptions {
  /** Failed logins for one account from one source (e-mail + IP) per window before 429. */
  maxPerAccount: number;
  /** Failed logins from one source (any account) per window before 429. */
  maxPerIp: number;
  windowMs: number;
  /** Failures for one account (all sources together) per window before each further failure adds a delay. */
  accountDelayAfter: number;
  /** Largest delay for one account (seconds); the delay doubles per failure up to this. */
  maxDelaySeconds: number;
  store: LimiterStore;
}

/**
 * Failed-login throttling that strangers cannot turn into a lock-out. Hard limits apply per source
 * (account + IP, and IP alone), so someone guessing from elsewhere never blocks the real user's own
 * network. The account across all sources is never locked: past `accountDelayAfter` failures each
 * failure makes the next attempt wait 1 s, 2 s, 4 s … at most `maxDelaySeconds`, which slows a
 * distributed guesser to a crawl while the real user waits at most that long.
 */
export class LoginThrottle {
  private readonly perAccountSource: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  private readonly accountFailures: RateLimiterAbstract;
  private readonly accountDelay: RateLimiterAbstract;

  constructor(private readonly o: LoginThrottleOptions) {
    const window = Math.max(1, Math.ceil(o.windowMs / 1000));
    this.perAccountSource = o.store.limiter('login:account-source', o.maxPerAccount, window);
    this.perIp = o.store.limiter('login:ip', o.maxPerIp, window);
    this.accountFailures = o.store.limiter('login:account', Number.MAX_SAFE_INTEGER, window);
    // Only block()/get() are used: a blocked key has points + 1 consumed until the delay expires.
    this.accountDelay = o.store.limiter('login:account-delay', 1, 1);
  }

  private static accountKey(email: string): string {
    return email.normalize('NFC').trim().toLowerCase();
  }

  /** Throws 429 when this source, this account from this source, or the account's current delay says wait. */
  async check(email: string, ip: string): Promise<void> {
    const account = LoginThrottle.accountKey(email);
    const source = sourceKey(ip);
    const [byIp, byAccountSource, delay] = await Promise.all([
      this.perIp.get(source),
      this.perAccountSource.get(`${account}|${source}`),
      this.accountDelay.get(account),
    ]);
    const ipWait = waitSeconds(byIp, this.o.maxPerIp);
    if (ipWait > 0) {
      throw throttled(
        'login-throttled-network',
        ipWait,
        'Too many failed sign-in attempts from your network. Wait {s} seconds and try again.',
        'För många misslyckade inloggningsförsök från ditt nätverk. Vänta {s} sekunder och försök igen.',
      );
    }
    const accountWait = waitSeconds(byAccountSource, this.o.maxPerAccount);
    if (accountWait > 0) {
      throw throttled(
        'login-throttled',
        accountWait,
        'Too many failed sign-in attempts for this account from your network. Wait {s} seconds and try again, or ask an administrator to reset your password.',
        'För många misslyckade inloggningsförsök för det här kontot från ditt nätverk. Vänta {s} sekunder och försök igen, eller be en administratör återställa ditt lösenord.',
      );
    }
    const delayWait = waitSeconds(delay, 2);
    if (delayWait > 0) {
      throw throttled(
        'login-slowed',
        delayWait,
        'Many failed sign-in attempts were made for this account recently, possibly not by you, so attempts are slowed down. Wait {s} seconds and try again.',
        'Många misslyckade inloggningsförsök har nyligen gjorts för det här kontot, kanske inte av dig, så försöken bromsas. Vänta {s} sekunder och försök igen.',
      );
    }
  }

  async failed(email: string, ip: string): Promise<void> {
    const account = LoginThrottle.accountKey(email);
    const source = sourceKey(ip);
    const [, , total] = await Promise.all([
      this.perIp.penalty(source),
      this.perAccountSource.penalty(`${account}|${source}`),
      this.accountFailures.penalty(account),
    ]);
    const over = total.consumedPoints - this.o.accountDelayAfter;
    if (over > 0) {
      const seconds = Math.min(this.o.maxDelaySeconds, 2 ** Math.min(over - 1, 30));
      if (seconds > 0) await this.accountDelay.block(account, seconds);
    }
  }

  /** The right password clears this source's failures for the account (the account-wide count keeps running). */
  async succeeded(email: string, ip: string): Promise<void> {
    await this.perAccountSource.delete(`${LoginThrottle.accountKey(email)}|${sourceKey(ip)}`);
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
export function rateLimitByIp(opts: {
  store: LimiterStore;
  name: string;
  limit: number;
  windowMs: number;
  trustProxy: boolean;
  code: string;
  en: string;
  sv: string;
}) {
  const limiter = opts.store.limiter(opts.name, opts.limit, Math.max(1, Math.ceil(opts.windowMs / 1000)));
  return async (c: Context, next: () => Promise<void>) => {
    const key = sourceKey(clientIp(c, opts.trustProxy));
    try {
      await limiter.consume(key);
    } catch (res) {
      if (res instanceof Error) throw res;
      throw throttled(opts.code, (res as RateLimiterRes).msBeforeNext / 1000, opts.en, opts.sv);
    }
    await next();
  };
}
