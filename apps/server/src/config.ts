import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (apps/server/src/config.ts -> ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Config {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** postgres://… → PostgreSQL through postgres.js; null → embedded PGlite. */
  databaseUrl: string | null;
  /** PGlite data directory; null = in memory (tests only). */
  dataDir: string | null;
  redisUrl: string | null;
  demo: boolean;
  /** Directory with municipalities.csv and counties.csv. */
  referenceDir: string;
  /** Built web app (served with SPA fallback when it exists). */
  webDistDir: string;
  logLevel: string;
  /** Session lifetime. With sliding sessions every use (at most once a minute) extends it by this much. */
  sessionTtlMs: number;
  sessionSliding: boolean;
  /** Upper bound for request bodies (JSON); uploads (multipart, octet-stream) get maxUploadBytes. */
  maxBodyBytes: number;
  maxUploadBytes: number;
  /** Trust X-Forwarded-Proto / X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
  /** Public base URL for links (invitations); default: derived from the request. */
  publicUrl: string | null;
  invitationTtlDays: number;
  /** Failed logins allowed per account from one source (e-mail + IP) / per IP within loginWindowMs before 429. */
  loginMaxPerAccount: number;
  loginMaxPerIp: number;
  loginWindowMs: number;
  /** Failures for one account from all sources within loginWindowMs before each further one delays the next attempt. */
  loginAccountDelayAfter: number;
  /** Longest such delay (seconds); it doubles per failure from 1 s. */
  loginMaxDelaySeconds: number;
  /** Node server timeouts: whole request received, headers received, idle keep-alive socket. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /**
   * Origins accepted by the CSRF and websocket Origin checks besides the request's own host:
   * OVERENS_PUBLIC_URL plus OVERENS_ALLOWED_ORIGINS (comma-separated).
   */
  allowedOrigins: string[];
  /** Registrations allowed per client IP per hour. */
  registerMaxPerHour: number;
  /** Direct-procurement threshold (LOU) for the validation info finding, in SEK. */
  publicMoneyThresholdSek: number;
  /** How long graceful shutdown waits for in-flight requests before closing anyway. */
  shutdownTimeoutMs: number;
  /** How often the outbox dispatcher looks for due rows (retries, rows a crashed process left). */
  outboxPollMs: number;
  /** A REST request waiting on an unreachable database answers 503 after at most this long. */
  dbUnavailableTimeoutMs: number;
  /** DOCX import caps (compressed and inflated bytes, paragraphs, headings, tables); see ImportLimits. */
  importMaxBytes: number;
  importMaxInflatedBytes: number;
  importMaxParagraphs: number;
  importMaxHeadings: number;
  importMaxTables: number;
  /** An import runs in a worker thread that is terminated after this long or above this heap size. */
  importTimeoutMs: number;
  importMemoryMb: number;
  /** Imports parsed at once; further ones wait (up to 8 per worker, then 503). */
  importWorkers: number;
  /** SMTP server for outgoing mail (smtp://user:pass@host:587, smtps://…); null = no mail (links to copy). */
  smtpUrl: string | null;
  /** From header of outgoing mail. */
  mailFrom: string;
  /** Reminder e-mails go out this many days before each key date of a signed agreement (OVERENS_REMINDER_DAYS_BEFORE). */
  reminderDaysBefore: number[];
  /** How often each process runs the (database-deduplicated) reminder job. */
  reminderIntervalMs: number;
  /** Operators (OVERENS_ADMIN_EMAILS, lower-cased): they verify organisations and their e-mail domains. */
  adminEmails: string[];
  /** A signing-ready export naming an unverified kommun or region is refused (OVERENS_REQUIRE_VERIFIED_PUBLIC_PARTIES). */
  requireVerifiedPublicParties: boolean;
  /** Lifetime of e-mail verification links. */
  emailVerificationTtlHours: number;
  /** Lifetime of an organisation's invitation links (OVERENS_ORGANISATION_INVITATION_TTL_DAYS). */
  organisationInvitationTtlDays: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min} (got "${raw}")`);
  }
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1/0 or true/false (got "${env[name]}")`);
}

/** A comma list of whole days (0–366), e.g. "14" or "30,7,1"; duplicates dropped, largest first. */
function dayList(env: Env, name: string, fallback: number[]): number[] {
  const raw = str(env, name);
  if (!raw) return fallback;
  const days = raw.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (days.length === 0 || days.some((n) => !Number.isInteger(n) || n < 0 || n > 366)) {
    throw new ConfigError(`${name} must be whole days between 0 and 366, comma-separated (got "${raw}")`);
  }
  return [...new Set(days)].sort((a, b) => b - a);
}

function str(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

/** Reads configuration from the environment. Throws ConfigError with the variable name on bad values. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = str(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl}")`);
  }
  const smtpUrl = str(env, 'SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps:// (got "${smtpUrl.replace(/\/\/[^@/]*@/, '//…@')}")`);
  }
  const redisUrl = str(env, 'REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss:// (got "${redisUrl}")`);
  }
  const config: Config = {
    port: int(env, 'PORT', 3000),
    host: str(env, 'HOST') ?? '0.0.0.0',
    databaseUrl,
    dataDir: path.resolve(str(env, 'OVERENS_DATA_DIR') ?? 'data'),
    redisUrl,
    demo: bool(env, 'OVERENS_DEMO', false),
    referenceDir: path.resolve(str(env, 'OVERENS_REFERENCE_DIR') ?? path.join(REPO_ROOT, 'packages', 'model', 'data')),
    webDistDir: path.resolve(str(env, 'OVERENS_WEB_DIST') ?? path.join(REPO_ROOT, 'apps', 'web', 'dist')),
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    sessionTtlMs: int(env, 'OVERENS_SESSION_TTL_HOURS', 24 * 14, 1) * 3600_000,
    sessionSliding: bool(env, 'OVERENS_SESSION_SLIDING', true),
    maxBodyBytes: int(env, 'OVERENS_MAX_BODY_BYTES', 1024 * 1024, 1024),
    maxUploadBytes: int(env, 'OVERENS_MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1024),
    trustProxy: bool(env, 'OVERENS_TRUST_PROXY', false),
    publicUrl: str(env, 'OVERENS_PUBLIC_URL')?.replace(/\/+$/, '') ?? null,
    invitationTtlDays: int(env, 'OVERENS_INVITATION_TTL_DAYS', 14, 1),
    loginMaxPerAccount: int(env, 'OVERENS_LOGIN_MAX_PER_ACCOUNT', 5, 1),
    loginMaxPerIp: int(env, 'OVERENS_LOGIN_MAX_PER_IP', 30, 1),
    loginWindowMs: int(env, 'OVERENS_LOGIN_WINDOW_MINUTES', 15, 1) * 60_000,
    loginAccountDelayAfter: int(env, 'OVERENS_LOGIN_ACCOUNT_DELAY_AFTER', 2 * int(env, 'OVERENS_LOGIN_MAX_PER_ACCOUNT', 5, 1), 1),
    loginMaxDelaySeconds: int(env, 'OVERENS_LOGIN_MAX_DELAY_SECONDS', 60, 1),
    requestTimeoutMs: int(env, 'OVERENS_REQUEST_TIMEOUT_MS', 25_000, 1000),
    headersTimeoutMs: int(env, 'OVERENS_HEADERS_TIMEOUT_MS', 10_000, 1000),
    keepAliveTimeoutMs: int(env, 'OVERENS_KEEP_ALIVE_TIMEOUT_MS', 5_000, 1000),
    allowedOrigins: [str(env, 'OVERENS_PUBLIC_URL') ?? '', ...(str(env, 'OVERENS_ALLOWED_ORIGINS') ?? '').split(',')]
      .map((s) => s.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    registerMaxPerHour: int(env, 'OVERENS_REGISTER_MAX_PER_HOUR', 100, 1),
    shutdownTimeoutMs: int(env, 'OVERENS_SHUTDOWN_TIMEOUT_MS', 10_000, 0),
    outboxPollMs: int(env, 'OVERENS_OUTBOX_POLL_MS', 1000, 10),
    dbUnavailableTimeoutMs: int(env, 'OVERENS_DB_UNAVAILABLE_TIMEOUT_MS', 3000, 100),
    publicMoneyThresholdSek: int(env, 'OVERENS_PUBLIC_MONEY_THRESHOLD_SEK', 700_000, 0),
    importMaxBytes: int(env, 'OVERENS_IMPORT_MAX_BYTES', 10 * 1024 * 1024, 1024),
    importMaxInflatedBytes: int(env, 'OVERENS_IMPORT_MAX_INFLATED_BYTES', 32 * 1024 * 1024, 1024),
    importMaxParagraphs: int(env, 'OVERENS_IMPORT_MAX_PARAGRAPHS', 10_000, 1),
    importMaxHeadings: int(env, 'OVERENS_IMPORT_MAX_HEADINGS', 1_000, 1),
    importMaxTables: int(env, 'OVERENS_IMPORT_MAX_TABLES', 200, 0),
    importTimeoutMs: int(env, 'OVERENS_IMPORT_TIMEOUT_MS', 30_000, 100),
    importMemoryMb: int(env, 'OVERENS_IMPORT_MEMORY_MB', 512, 16),
    importWorkers: int(env, 'OVERENS_IMPORT_WORKERS', 2, 1),
    smtpUrl,
    mailFrom: str(env, 'MAIL_FROM') ?? 'Överens <noreply@localhost>',
    reminderDaysBefore: dayList(env, 'OVERENS_REMINDER_DAYS_BEFORE', [14]),
    reminderIntervalMs: int(env, 'OVERENS_REMINDER_INTERVAL_MS', 3_600_000, 1000),
    adminEmails: (str(env, 'OVERENS_ADMIN_EMAILS') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
    requireVerifiedPublicParties: bool(env, 'OVERENS_REQUIRE_VERIFIED_PUBLIC_PARTIES', true),
    emailVerificationTtlHours: int(env, 'OVERENS_EMAIL_VERIFICATION_TTL_HOURS', 48, 1),
    organisationInvitationTtlDays: int(env, 'OVERENS_ORGANISATION_INVITATION_TTL_DAYS', 14, 1),
  };
  return { ...config, ...overrides };
}
