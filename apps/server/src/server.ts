import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { deleteExpiredSessions } from './auth/sessions.ts';
import { loadConfig, type Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { migrateDatabase, openMigratedDatabase } from './db/migrate.ts';
import type { AppDeps, SyncHubDeps } from './deps.ts';
import { createEventBus } from './events/bus.ts';
import { createRedisEventBus } from './events/redis-bus.ts';
import { createOutboxDispatcher } from './outbox/dispatcher.ts';
import { createMailSender } from './mail/index.ts';
import { startReminders } from './reminders/job.ts';
import { createLimiterStore, LoginThrottle } from './http/rate-limit.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { loadReferenceData } from './reference.ts';
import { createSyncHub, type SyncHubOptions } from './sync/index.ts';
import { appSyncExtensions, type SyncExtensionDeps } from './sync/extensions/index.ts';
import { createApp } from './app.ts';

export interface RunningServer {
  port: number;
  url: string;
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  /** Graceful: stop accepting, let in-flight requests finish, flush sync (hub.close()), close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Use this database instead of opening one from config (tests share one per file). Not closed by close() unless ownsDatabase. */
  database?: DatabaseHandle;
  /** close() closes `database` too (main.ts opens it early, in parallel with loading the modules). */
  ownsDatabase?: boolean;
  /** Skip migrations (the caller already applied them). */
  skipMigrations?: boolean;
  /** Sync engine overrides (tests, bench): limits, flush interval, hooks. */
  syncOptions?: Partial<SyncHubOptions>;
  /** Register the app's own sync extensions (sync/extensions/index.ts); false tests the bare core. Default true. */
  appSyncExtensions?: boolean;
}


/**
 * Timeouts against slow clients: a request (headers and body) must arrive within requestTimeoutMs, its
 * headers within headersTimeoutMs; idle keep-alive sockets close after keepAliveTimeoutMs. Node checks
 * them every connectionsCheckingInterval (default 30 s, which would let a trickled body live twice as
 * long), so the check runs every second.
 */
export function serverTimeouts(config: Config) {
  return {
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
  };
}

/** Opens the database (and migrates it) and builds everything except the HTTP listener. */
export async function createDeps(config: Config, opts: StartOptions = {}): Promise<AppDeps> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  loadReferenceData(config.referenceDir); // fail fast with the path when the CSVs are missing
  let database = opts.database;
  if (!database) {
    database = await openMigratedDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  } else if (!opts.skipMigrations) {
    await migrateDatabase(database, logger);
  }
  const limiters = createLimiterStore(config.redisUrl, logger);
  const base: SyncHubDeps = {
    db: database.db,
    dbKind: database.kind,
    database,
    config,
    logger,
    metrics: createMetrics(),
    events: config.redisUrl ? createRedisEventBus(config.redisUrl, logger) : createEventBus(),
    limiters,
    loginThrottle: new LoginThrottle({
      maxPerAccount: config.loginMaxPerAccount,
      maxPerIp: config.loginMaxPerIp,
      windowMs: config.loginWindowMs,
      accountDelayAfter: config.loginAccountDelayAfter,
      maxDelaySeconds: config.loginMaxDelaySeconds,
      store: limiters,
    }),
  };
  // the app's extensions (sync/extensions/index.ts) first, then any the caller adds (tests, bench)
  let hub: ReturnType<typeof createSyncHub> | null = null;
  let outbox: ReturnType<typeof createOutboxDispatcher> | null = null;
  const extensionDeps = Object.defineProperties({ ...base }, {
    sync: { get: () => hub, enumerable: true },
    outbox: { get: () => outbox ?? undefined, enumerable: true },
  }) as SyncExtensionDeps;
  const extensions = [...(opts.appSyncExtensions === false ? [] : appSyncExtensions(extensionDeps)), ...(opts.syncOptions?.extensions ?? [])];
  const sync = (hub = createSyncHub({ ...base, syncOptions: { ...opts.syncOptions, extensions } }));
  outbox = createOutboxDispatcher({ db: base.db, events: base.events, sync, logger }, { pollMs: config.outboxPollMs });
  return { ...base, sync, outbox };
}

export async function startServer(configOrOverrides: Config | Partial<Config> = {}, opts: StartOptions = {}): Promise<RunningServer> {
  const config = 'referenceDir' in configOrOverrides && 'sessionTtlMs' in configOrOverrides
    ? (configOrOverrides as Config)
    : loadConfig(process.env, configOrOverrides);
  const startedAt = performance.now();
  const deps = await createDeps(config, opts);
  const { logger } = deps;
  const app = createApp(deps);
  deps.outbox.start();
  // Outgoing mail (SMTP_URL): queued in commands' transactions, sent by this process and any other.
  const mail = config.smtpUrl
    ? createMailSender({ db: deps.db, logger, smtpUrl: config.smtpUrl, from: config.mailFrom, pollMs: config.outboxPollMs })
    : null;
  mail?.start();

  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | null = null;
  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve(
        {
          fetch: async (req, env) => {
            inFlight++;
            try {
              const res = await app.fetch(req, env);
              if (closing) {
                try {
                  res.headers.set('connection', 'close');
                } catch {
                  // immutable headers (e.g. a proxied response): fine, the socket closes anyway
                }
              }
              return res;
            } finally {
              inFlight--;
              if (inFlight === 0) drained?.();
            }
          },
          port: config.port,
          hostname: config.host,
          serverOptions: serverTimeouts(config),
        },
        () => resolve(s),
      );
      s.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(`port ${config.port} on ${config.host} is already in use: stop the other process or set PORT`)
            : err,
        );
      });
    });
  } catch (err) {
    await mail?.close().catch(() => {});
    await deps.outbox.close().catch(() => {});
    await deps.sync.close().catch(() => {});
    await deps.events.close().catch(() => {});
    await deps.limiters.close().catch(() => {});
    if (!opts.database || opts.ownsDatabase) await deps.database.close().catch(() => {});
    throw err;
  }
  const httpServer = server as HttpServer;
  deps.sync.attach(httpServer);

  const address = httpServer.address() as AddressInfo;
  const port = address.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;

  // Date reminders (issue 17): each process runs the job; the database makes each reminder go once.
  const reminders = mail
    ? startReminders(deps.db, { daysBefore: config.reminderDaysBefore, intervalMs: config.reminderIntervalMs, base: config.publicUrl ?? url }, logger)
    : null;

  const housekeeping = setInterval(() => {
    deleteExpiredSessions(deps.db).catch((err) => logger.warn({ err }, 'session cleanup failed'));
  }, 3600_000);
  housekeeping.unref();

  logger.info(
    { port, url, db: deps.dbKind, redis: config.redisUrl ? 'enabled' : 'disabled', ms: Math.round(performance.now() - startedAt) },
    `Överens listening on ${url}`,
  );

  let closePromise: Promise<void> | null = null;
  const close = () => {
    closePromise ??= (async () => {
      closing = true;
      clearInterval(housekeeping);
      logger.info({ inFlight }, 'shutting down: finishing in-flight requests');
      // Stop accepting new connections; idle keep-alive sockets are closed so close() can finish.
      const serverClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections?.();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
        ]);
      }
      await reminders?.stop();
      await mail?.close();
      await deps.outbox.close();
      // Sync: its extensions finish (onDestroy: the approval watcher checks what it collected), then
      // every document is flushed and the websockets closed (they are what keeps the server open).
      try {
        await deps.sync.close();
      } catch (err) {
        logger.error({ err }, 'sync hub close failed');
      }
      await deps.events.close();
      await deps.limiters.close();
      httpServer.closeAllConnections?.();
      await serverClosed;
      if (!opts.database || opts.ownsDatabase) await deps.database.close();
      logger.info('shut down cleanly');
    })();
    return closePromise;
  };

  return { port, url, deps, app, close };
}
