import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
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
  /**
   * Schema migrations. With PGlite, a new database starts from a cached, already migrated cluster
   * (keyed by `key`, a hash of the migration files) when there is one; `apply` runs in every case
   * (a no-op when nothing is pending).
   */
  migrations?: { key: string; apply(handle: DatabaseHandle): Promise<void>; folder?: string };
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
  return openPglite(opts.dataDir ?? null, opts.logger, opts.migrations);
}

/*
 * PGlite's WebAssembly memory only grows: whatever initdb or loading a tarball needed stays in the process
 * (about 800 MB RSS after an in-process initdb, 280 MB after a tarball load, ~170 MB for opening an
 * existing cluster). So a new on-disk cluster is created in a short-lived child process, and the server
 * opens the finished directory. Postgres' own buffers are sized for an embedded, single-tenant database
 * (default shared_buffers is 128 MB; OVERENS_PGLITE_SHARED_BUFFERS overrides the 16 MB used here).
 */
function pgliteOptions(): PGliteOptions {
  const sharedBuffers = process.env.OVERENS_PGLITE_SHARED_BUFFERS ?? '16MB';
  if (!/^\d+(kB|MB|GB)$/.test(sharedBuffers)) {
    throw new Error(`OVERENS_PGLITE_SHARED_BUFFERS must be a size such as 16MB (got "${sharedBuffers}")`);
  }
  return { postgresqlconf: [`shared_buffers = ${sharedBuffers}`, 'wal_buffers = 512kB', 'temp_buffers = 2MB'] };
}

const runFile = promisify(execFile);

// Runs in the child process (plain JavaScript: works from TypeScript sources and compiled output alike).
const CREATE_CLUSTER_SCRIPT = `
const [dataDir, seedPath, migrationsFolder] = process.argv.slice(1);
const { readFile } = await import('node:fs/promises');
const { PGlite } = await import('@electric-sql/pglite');
const options = seedPath ? { loadDataDir: new Blob([await readFile(seedPath)]) } : {};
const db = await PGlite.create(dataDir, options);
if (migrationsFolder) {
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await migrate(drizzle(db), { migrationsFolder });
}
await db.close();
`;

/**
 * Creates a cluster in `dataDir` (initdb, or from a seed tarball) and applies the migrations, in a child
 * process that then exits; the server's own migration run finds nothing pending.
 */
async function createClusterOutOfProcess(dataDir: string, seedPath: string | null, migrationsFolder: string | undefined): Promise<void> {
  await runFile(process.execPath, ['--input-type=module', '-e', CREATE_CLUSTER_SCRIPT, dataDir, seedPath ?? '', migrationsFolder ?? ''], {
    // The script's bare import resolves from this package's node_modules.
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    maxBuffer: 16 * 1024 * 1024,
  });
}

function wrapPglite(client: PGlite): DatabaseHandle {
  const raw = drizzlePglite(client, { schema });
  return { kind: 'pglite', db: raw as unknown as Db, raw, client, close: () => client.close() };
}

/* ----- PGlite ----- */

/*
 * PGlite's first start runs initdb inside WebAssembly: ~5 s on disk, ~3 s in memory on this machine
 * (idle), and applying the migrations to a fresh on-disk cluster costs a few seconds more. Loading a
 * tarball of an initialised cluster takes ~1 s. So new databases start from cached "seeds" in
 * $OVERENS_CACHE_DIR (default <tmp>/overens-cache):
 *   pglite-<version>-base.tar.gz          empty cluster (after initdb)
 *   pglite-<version>-m<hash>.tar.gz       cluster with every migration applied (hash of drizzle/)
 * A new database loads the migrated seed when there is one; migrations then run as usual and, with
 * nothing pending, are a no-op. Without it, a data directory runs initdb in place (the slow first
 * start), while an in-memory database (tests) starts from the base seed, migrates and writes the
 * migrated seed for the next one. A stale or broken seed is never a problem: a
 * changed migration set has another hash, and an unreadable seed is deleted and rebuilt.
 */
const PGLITE_VERSION = readPgliteVersion();

function readPgliteVersion(): string {
  try {
    const pkg = path.join(path.dirname(requireResolve('@electric-sql/pglite')), '..', 'package.json');
    return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function requireResolve(id: string): string {
  return createRequire(import.meta.url).resolve(id);
}

export function pgliteSeedPath(key: string | null): string {
  const dir = process.env.OVERENS_CACHE_DIR ?? path.join(os.tmpdir(), 'overens-cache');
  return path.join(dir, `pglite-${PGLITE_VERSION}-${key ? `m${key}` : 'base'}.tar.gz`);
}

function hasCluster(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

async function readSeed(key: string | null): Promise<Blob | null> {
  try {
    return new Blob([await fs.promises.readFile(pgliteSeedPath(key))]);
  } catch {
    return null;
  }
}

/** Writes a seed atomically (temp file + rename) so concurrent writers never leave a torn file. */
async function writeSeed(client: PGlite, key: string | null): Promise<Blob> {
  const target = pgliteSeedPath(key);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const blob = await client.dumpDataDir('gzip');
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await fs.promises.writeFile(tmp, Buffer.from(await blob.arrayBuffer()));
  await fs.promises.rename(tmp, target);
  return blob;
}

/** Old migrated seeds (other migration sets) are 4–5 MB each: keep only the current one. */
async function pruneMigratedSeeds(currentKey: string): Promise<void> {
  const current = path.basename(pgliteSeedPath(currentKey));
  const dir = path.dirname(pgliteSeedPath(currentKey));
  const prefix = `pglite-${PGLITE_VERSION}-m`;
  for (const f of await fs.promises.readdir(dir).catch(() => [] as string[])) {
    if (f.startsWith(prefix) && f.endsWith('.tar.gz') && f !== current) {
      await fs.promises.rm(path.join(dir, f), { force: true }).catch(() => {});
    }
  }
}

/** An in-memory PGlite from a seed; a seed that does not load is deleted and null returned. */
async function createFromSeed(key: string | null, logger?: Logger): Promise<PGlite | null> {
  const seed = await readSeed(key);
  if (!seed) return null;
  try {
    return await PGlite.create({ ...pgliteOptions(), loadDataDir: seed });
  } catch (err) {
    logger?.warn({ err, seed: pgliteSeedPath(key) }, 'cached PGlite seed unusable; rebuilding it');
    await fs.promises.rm(pgliteSeedPath(key), { force: true });
    return null;
  }
}

async function openPglite(
  dataDir: string | null,
  logger?: Logger,
  migrations?: OpenDatabaseOptions['migrations'],
): Promise<DatabaseHandle> {
  if (dataDir && hasCluster(dataDir)) {
    const handle = wrapPglite(await PGlite.create(dataDir, pgliteOptions()));
    if (migrations) await migrations.apply(handle);
    return handle;
  }
  if (dataDir) return createOnDisk(dataDir, logger, migrations);
  // In memory (tests): from the cached seeds, filling the cache for the next database.
  if (!migrations) {
    const client = (await createFromSeed(null, logger)) ?? (await PGlite.create(pgliteOptions()));
    return wrapPglite(client);
  }
  let client = await createFromSeed(migrations.key, logger);
  if (client) {
    const handle = wrapPglite(client);
    await migrations.apply(handle);
    return handle;
  }
  client = await createFromSeed(null, logger);
  if (!client) {
    client = await PGlite.create(pgliteOptions());
    // The empty cluster, for the next migration set (saves the in-memory initdb then).
    await writeSeed(client, null).catch((err) => logger?.warn({ err }, 'could not cache the PGlite base seed'));
  }
  const handle = wrapPglite(client);
  await migrations.apply(handle);
  await writeSeed(client, migrations.key)
    .then(() => pruneMigratedSeeds(migrations.key))
    .catch((err) => logger?.warn({ err }, 'could not cache the migrated PGlite template'));
  return handle;
}

/** A new data directory: the cluster is made out of process (from the migrated seed when cached), then opened. */
async function createOnDisk(dataDir: string, logger?: Logger, migrations?: OpenDatabaseOptions['migrations']): Promise<DatabaseHandle> {
  const started = performance.now();
  await fs.promises.mkdir(dataDir, { recursive: true });
  const seedPath = pgliteSeedPath(migrations?.key ?? null);
  const cached = fs.existsSync(seedPath);
  logger?.info(
    { dataDir, cachedTemplate: cached },
    cached
      ? 'initialising embedded database from the cached template…'
      : 'initialising embedded database (first start only, a few seconds)…',
  );
  try {
    await createClusterOutOfProcess(dataDir, cached ? seedPath : null, migrations?.folder);
  } catch (err) {
    if (!cached) throw new Error(`could not initialise the embedded database in ${dataDir}: ${(err as Error).message}`);
    // A seed that does not load is deleted and the cluster made by initdb instead.
    logger?.warn({ err, seed: seedPath }, 'cached PGlite seed unusable; running initdb instead');
    await fs.promises.rm(seedPath, { force: true });
    await fs.promises.rm(dataDir, { recursive: true, force: true });
    await fs.promises.mkdir(dataDir, { recursive: true });
    await createClusterOutOfProcess(dataDir, null, migrations?.folder);
  }
  const handle = wrapPglite(await PGlite.create(dataDir, pgliteOptions()));
  if (migrations) await migrations.apply(handle);
  logger?.info({ dataDir, ms: Math.round(performance.now() - started) }, 'embedded database initialised');
  return handle;
}
