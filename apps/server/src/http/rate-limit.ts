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
      // rejectIfRedisNotReady: while Redis is down, go straight to the memory counters instead of
      // waiting in ioredis' offline queue (a login would otherwise stall for seconds).
      return client
        ? new RateLimiterRedis({ storeClient: client, keyPrefix, points, duration, insuranceLimiter: memory, rejectIfRedisNotReady: true })
        : memory;
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

/** Takes one point for `key`, or throws the 429 problem `code` when the limit is used up. */
async function consumeOrThrottle(limiter: RateLimiterAbstract, key: string, code: string, en: string, sv: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (res instanceof Error) throw res;
    throw throttled(code, (res as RateLimiterRes).msBeforeNext / 1000, en, sv);
  }
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

/** What `check` reserved for one attempt, handed back to `failed` or `succeeded`. */
export interface LoginAttempt {
  account: string;
  source: string;
  /** This browser signed in to this account before (its device token is on file). */
  knownDevice: boolean;
}

/**
 * Failed-login throttling that strangers cannot turn into a lock-out. Hard limits apply per source
 * (account + IP, and IP alone), so someone guessing from elsewhere never blocks the real user's own
 * network. The account across all sources is never locked: past `accountDelayAfter` failures each
 * failure makes the next attempt wait 1 s, 2 s, 4 s … at most `maxDelaySeconds`, which slows a
 * distributed guesser to a crawl — and a browser that has signed in to the account before (a device
 * token from an earlier success) is exempt from that delay, so the real user is not held up by it.
 *
 * Every attempt reserves its points before the password is verified (`consume` is atomic in the
 * store), so parallel guesses cannot all pass the check before any failure is counted.
 */
export class LoginThrottle {
  private readonly perAccountSource: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  private readonly accountFailures: RateLimiterAbstract;
  private readonly accountDelay: RateLimiterAbstract;
  private readonly knownDevices: RateLimiterAbstract;

  constructor(private readonly o: LoginThrottleOptions) {
    const window = Math.max(1, Math.ceil(o.windowMs / 1000));
    this.perAccountSource = o.store.limiter('login:account-source', o.maxPerAccount, window);
    this.perIp = o.store.limiter('login:ip', o.maxPerIp, window);
    this.accountFailures = o.store.limiter('login:account', Number.MAX_SAFE_INTEGER, window);
    // Only block()/get() are used: a blocked key has points + 1 consumed until the delay expires.
    this.accountDelay = o.store.limiter('login:account-delay', 1, 1);
    // Used as a key-value store with a lifetime: set() on success, get() on the next attempt.
    this.knownDevices = o.store.limiter('login:device', 1, KNOWN_DEVICE_SECONDS);
  }

  private static accountKey(email: string): string {
    return email.normalize('NFC').trim().toLowerCase();
  }

  /**
   * Reserves one attempt for this source and this account from this source, or throws 429 when either is
   * used up or the account's current delay says wait (not for a known device).
   */
  async check(email: string, ip: string, deviceToken?: string): Promise<LoginAttempt> {
    const account = LoginThrottle.accountKey(email);
    const source = sourceKey(ip);
    const knownDevice = deviceToken ? (await this.knownDevices.get(`${account}|${deviceToken}`)) !== null : false;
    await consumeOrThrottle(
      this.perIp,
      source,
      'login-throttled-network',
      'Too many failed sign-in attempts from your network. Wait {s} seconds and try again.',
      'För många misslyckade inloggningsförsök från ditt nätverk. Vänta {s} sekunder och försök igen.',
    );
    await consumeOrThrottle(
      this.perAccountSource,
      `${account}|${source}`,
      'login-throttled',
      'Too many failed sign-in attempts for this account from your network. Wait {s} seconds and try again, or ask an administrator to reset your password.',
      'För många misslyckade inloggningsförsök för det här kontot från ditt nätverk. Vänta {s} sekunder och försök igen, eller be en administratör återställa ditt lösenord.',
    );
    if (!knownDevice) {
      const delayWait = waitSeconds(await this.accountDelay.get(account), 2);
      if (delayWait > 0) {
        // Not an attempt: give the reserved points back.
        await Promise.all([this.perIp.reward(source, 1), this.perAccountSource.reward(`${account}|${source}`, 1)]);
        throw throttled(
          'login-slowed',
          delayWait,
          'Many failed sign-in attempts were made for this account recently, possibly not by you, so attempts are slowed down. Wait {s} seconds and try again.',
          'Många misslyckade inloggningsförsök har nyligen gjorts för det här kontot, kanske inte av dig, så försöken bromsas. Vänta {s} sekunder och försök igen.',
        );
      }
    }
    return { account, source, knownDevice };
  }

  /** A wrong password: the reserved points stay used, and the account's failures grow its delay. */
  async failed(attempt: LoginAttempt): Promise<void> {
    const total = await this.accountFailures.penalty(attempt.account);
    const over = total.consumedPoints - this.o.accountDelayAfter;
    if (over > 0) {
      const seconds = Math.min(this.o.maxDelaySeconds, 2 ** Math.min(over - 1, 30));
      if (seconds > 0) await this.accountDelay.block(attempt.account, seconds);
    }
  }

  /**
   * The right password: the attempt is given back to the source, this source's failures for the account
   * are cleared (the account-wide count keeps running), and `deviceToken` is remembered as a known device.
   */
  async succeeded(attempt: LoginAttempt, deviceToken: string): Promise<void> {
    await Promise.all([
      this.perIp.reward(attempt.source, 1),
      this.perAccountSource.delete(`${attempt.account}|${attempt.source}`),
      this.knownDevices.set(`${attempt.account}|${deviceToken}`, 1, KNOWN_DEVICE_SECONDS),
    ]);
  }
}

/**
 * How long a browser that signed in stays exempt from the account-wide delay (renewed by each sign-in).
 * 24 days: the memory store expires keys with a timer, and Node's timers stop at 2^31 ms (~24.8 days).
 */
export const KNOWN_DEVICE_SECONDS = 24 * 24 * 3600;

/**
 * The client address from X-Forwarded-For: the rightmost entry, the one our own reverse proxy appended
 * (entries to its left are whatever the client sent, e.g. a victim's address to frame).
 */
export function forwardedFor(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  const last = value?.split(',').map((s) => s.trim()).filter(Boolean).pop();
  return last || undefined;
}

/** The client's IP: X-Forwarded-For's last entry when trustProxy, else the socket address. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = forwardedFor(c.req.header('x-forwarded-for'));
    if (forwarded) return forwarded;
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
    await consumeOrThrottle(limiter, sourceKey(clientIp(c, opts.trustProxy)), opts.code, opts.en, opts.sv);
    await next();
  };
}
