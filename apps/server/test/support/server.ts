import type { OpenAPIHono } from '@hono/zod-openapi';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { AppDeps } from '../../src/deps.ts';
import type { AppEnv } from '../../src/http/openapi.ts';
import { createLogger } from '../../src/logger.ts';
import { createDeps, startServer, type StartOptions } from '../../src/server.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestServerOptions extends Partial<Config> {
  /** Share a database between servers (e.g. restart tests, two processes). Not closed by close(). */
  database?: TestDatabase;
  syncOptions?: StartOptions['syncOptions'];
}

export interface TestServer {
  url: string;
  port: number;
  db: TestDatabase['db'];
  database: TestDatabase;
  deps: AppDeps;
  app: OpenAPIHono<AppEnv>;
  close(): Promise<void>;
}

function testConfig(overrides: Partial<Config>, database: TestDatabase): Config {
  return loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      logLevel: process.env.OVERENS_TEST_LOG_LEVEL ?? 'silent',
      dataDir: null,
      databaseUrl: database.url,
      redisUrl: null,
      webDistDir: '/nonexistent-overens-web-dist',
      // Tests that are not about verification make unverified kommuner and sign with them; the verification
      // tests (organisation-verification.test.ts) turn the gate on, as it is by default outside tests.
      requireVerifiedPublicParties: false,
      ...overrides,
    },
  );
}

/**
 * A real server listening on 127.0.0.1:<random port> with its own fresh database (or `database`).
 * Use for cookies, Origin checks, websockets. Call close() in afterAll.
 */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const { database: shared, syncOptions, ...overrides } = opts;
  const database = shared ?? (await createTestDatabase());
  const config = testConfig(overrides, database);
  let server;
  try {
    server = await startServer(config, {
      database: database.handle,
      skipMigrations: true,
      logger: createLogger(config.logLevel),
      syncOptions,
    });
  } catch (err) {
    if (!shared) await database.close();
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    db: database.db,
    database,
    deps: server.deps,
    app: server.app,
    close: () =>
      (closing ??= (async () => {
        await server.close();
        if (!shared) await database.close();
      })()),
  };
}

export interface TestApp {
  app: OpenAPIHono<AppEnv>;
  deps: AppDeps;
  db: TestDatabase['db'];
  database: TestDatabase;
  close(): Promise<void>;
}

/** The app without a listener, for fast `app.request()` tests. */
export async function createTestApp(opts: TestServerOptions = {}): Promise<TestApp> {
  const { database: shared, syncOptions, ...overrides } = opts;
  const database = shared ?? (await createTestDatabase());
  const config = testConfig(overrides, database);
  const deps = await createDeps(config, {
    database: database.handle,
    skipMigrations: true,
    logger: createLogger(config.logLevel),
    syncOptions,
  });
  let closing: Promise<void> | null = null;
  return {
    app: createApp(deps),
    deps,
    db: database.db,
    database,
    close: () =>
      (closing ??= (async () => {
        await deps.outbox.close();
        await deps.sync.close();
        await deps.events.close();
        if (!shared) await database.close();
      })()),
  };
}
