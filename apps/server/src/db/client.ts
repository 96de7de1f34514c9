import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Logger } from '../logger.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The database, whichever driver is behind it. Use `db.transaction(async (tx) => …)` for multi-statement writes. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle (what `db.transaction` passes to its callback). */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, any>;
/** Either: functions that write can run inside a caller's transaction or on their own. */
export type DbOrTx = Db | Tx;
export type DbKind = 'pglite' | 'postgres';

export type DatabaseHandle =
  | { kind: 'pglite'; db: Db; raw: PgliteDatabase<Schema>; client: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Db; raw: PostgresJsDatabase<Schema>; client: postgres.Sql; url: string; close(): Promise<void> };

export interface OpenDatabaseOptions {
  /** postgres://… → PostgreSQL; otherwise PGlite. */
  databaseUrl?: string | null;
  /** PGlite data directory; null/undefined = in memory. */
  dataDir?: string | null;
  logger?: Logger;
  /** postgres.js pool size. */
  maxConnections?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const client = postgres(opts.databaseUrl, {
      max: opts.maxConnections ?? 10,
      onnotice: () => {},
      connection: { application_name: 'overens' },
    });
    const raw = drizzlePostgres(client, { schema });
    // Fail fast with a clear message when the server is unreachable.
    try {
      await client`select 1`;
    } catch (err) {
      await client.end({ timeout: 1 }).catch(() => {});
      throw new Error(`cannot connect to PostgreSQL at DATABASE_URL: ${(err as Error).message}`);
    }
    return {
      kind: 'postgres',
      db: raw as unknown as Db,
      raw,
      client,
      url: opts.databaseUrl,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const client = await openPglite(opts.dataDir ?? null, opts.logger);
  const raw = drizzlePglite(client, { schema });
  return {
    kind: 'pglite',
    db: raw as unknown as Db,
    raw,
    client,
    close: () => client.close(),
  };
}

/* ----- PGlite ----- */

/**
 * PGlite's first start runs initdb inside WebAssembly: ~5 s on disk, ~3 s in memory on this machine.
 * Loading a tarball of an already initialised, empty cluster takes ~1 s. So we keep one such "seed"
 * per PGlite version in a cache directory and start every new database (data directory or in-memory
 * test database) from it. The seed holds no schema (migrations are applied after loading), so it never
 * goes stale when migrations change.
 */
const PGLITE_VERSION = readPgliteVersion();

function readPgliteVersion(): string {
  try {
    const pkg = path.join(path.dirname(require_resolve('@electric-sql/pglite')), '..', 'package.json');
    return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function require_resolve(id: string): string {
  return createRequire(import.meta.url).resolve(id);
}

export function pgliteSeedPath(): string {
  const dir = process.env.OVERENS_CACHE_DIR ?? path.join(os.tmpdir(), 'overens-cache');
  return path.join(dir, `pglite-seed-${PGLITE_VERSION}.tar.gz`);
}

function hasCluster(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

async function readSeed(): Promise<Blob | null> {
  try {
    const buf = await fs.promises.readFile(pgliteSeedPath());
    return new Blob([buf]);
  } catch {
    return null;
  }
}

/** Writes the seed atomically (temp file + rename) so concurrent writers never leave a torn file. */
async function writeSeed(client: PGlite): Promise<void> {
  const target = pgliteSeedPath();
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const blob = await client.dumpDataDir('gzip');
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await fs.promises.writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
  await fs.promises.rename(tmp, target);
}

/**
 * Makes sure the seed exists (creating it costs one in-memory initdb, ~3–4 s). `pnpm start` calls this
 * while the web app builds, so a fresh data directory starts in about a second.
 */
export async function ensurePgliteSeed(): Promise<'existing' | 'created'> {
  if (fs.existsSync(pgliteSeedPath())) return 'existing';
  const client = await PGlite.create();
  try {
    await writeSeed(client);
  } finally {
    await client.close();
  }
  return 'created';
}

async function openPglite(dataDir: string | null, logger?: Logger): Promise<PGlite> {
  if (dataDir && hasCluster(dataDir)) {
    return PGlite.create(dataDir);
  }
  const started = performance.now();
  const seed = await readSeed();
  if (dataDir) {
    await fs.promises.mkdir(dataDir, { recursive: true });
    logger?.info(
      { dataDir, fromSeed: seed !== null },
      seed
        ? 'initialising embedded database from the cached template…'
        : 'initialising embedded database, first start takes a few seconds…',
    );
  }
  let client: PGlite;
  if (seed) {
    try {
      client = await PGlite.create(dataDir ?? undefined, { loadDataDir: seed });
    } catch (err) {
      logger?.warn({ err }, 'cached PGlite seed unusable; running initdb instead');
      await fs.promises.rm(pgliteSeedPath(), { force: true });
      if (dataDir) await fs.promises.rm(dataDir, { recursive: true, force: true });
      client = await PGlite.create(dataDir ?? undefined);
    }
  } else {
    client = await PGlite.create(dataDir ?? undefined);
    if (!dataDir) {
      // In-memory databases (tests): the fresh cluster is exactly the seed; keep it for next time.
      await writeSeed(client).catch((err) => logger?.warn({ err }, 'could not write the PGlite seed'));
    }
  }
  if (dataDir) {
    logger?.info(
      { dataDir, ms: Math.round(performance.now() - started) },
      'embedded database initialised',
    );
  }
  return client;
}
