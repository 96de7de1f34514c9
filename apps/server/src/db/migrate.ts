import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { REPO_ROOT } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './client.ts';
import * as schema from './schema/index.ts';

export const MIGRATIONS_FOLDER = path.join(REPO_ROOT, 'drizzle');

/** Arbitrary constant for pg_advisory_lock: serialises migrations of processes starting together. */
const MIGRATION_LOCK_ID = 7_301_424_812;

/**
 * Applies the committed SQL migrations in drizzle/ (idempotent: drizzle records applied ones in
 * drizzle.__drizzle_migrations). On PostgreSQL several processes may start at once (scale-out), so the
 * run holds a session advisory lock on its own single connection.
 */
export async function migrateDatabase(handle: DatabaseHandle, logger?: Logger): Promise<void> {
  const started = performance.now();
  if (handle.kind === 'pglite') {
    await migratePglite(handle.raw, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    // One dedicated connection: the advisory lock is per session, so lock and migrations share it.
    const client = postgres(handle.url, { max: 1, onnotice: () => {} });
    try {
      await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
      try {
        await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
      }
    } finally {
      await client.end({ timeout: 5 });
    }
  }
  logger?.info({ db: handle.kind, ms: Math.round(performance.now() - started) }, 'database migrations applied');
}

/** Cheap liveness probe for /api/health. */
export async function pingDatabase(handle: Pick<DatabaseHandle, 'db'>): Promise<void> {
  await handle.db.execute(sql`select 1`);
}

/** Hash of the committed migrations (journal + SQL), the cache key of the migrated PGlite seed. */
export function migrationsKey(): string {
  const h = createHash('sha256');
  const files = fs.readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).sort();
  h.update(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json')));
  for (const f of files) h.update(f).update(fs.readFileSync(path.join(MIGRATIONS_FOLDER, f)));
  return h.digest('hex').slice(0, 16);
}

/** Opens the database and applies pending migrations (PGlite: from the cached migrated seed when possible). */
export async function openMigratedDatabase(opts: Omit<OpenDatabaseOptions, 'migrations'>): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const handle = await openDatabase(opts);
    try {
      await migrateDatabase(handle, opts.logger);
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
    return handle;
  }
  return openDatabase({ ...opts, migrations: { key: migrationsKey(), folder: MIGRATIONS_FOLDER, apply: (h) => migrateDatabase(h, opts.logger) } });
}
