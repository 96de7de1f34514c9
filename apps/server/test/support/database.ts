import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle, type Db, type DbKind } from '../../src/db/client.ts';
import { migrateDatabase, openMigratedDatabase } from '../../src/db/migrate.ts';

export interface TestDatabase {
  kind: DbKind;
  db: Db;
  handle: DatabaseHandle;
  /** postgres:// URL of the fresh database (null for PGlite). Other processes can connect to it. */
  url: string | null;
  close(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Force a driver. Default: postgres when DATABASE_URL is set, else pglite. */
  driver?: DbKind;
  /** Apply the migrations (default true). */
  migrate?: boolean;
}

/** The drivers storage tests must cover: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function testDrivers(): DbKind[] {
  if (!process.env.DATABASE_URL && process.env.OVERENS_REQUIRE_SERVICES === '1') {
    // CI sets OVERENS_REQUIRE_SERVICES: never silently skip the PostgreSQL half.
    throw new Error('OVERENS_REQUIRE_SERVICES=1 but DATABASE_URL is not set: the PostgreSQL tests cannot run');
  }
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A fresh, migrated database for one test file (share it across the file's tests: PGlite in memory
 * costs ~1 s to start, a PostgreSQL database ~0.2 s).
 * - PGlite: in memory (started from the cached initdb seed, see db/client.ts).
 * - PostgreSQL (DATABASE_URL set): a new database `overens_t_<random>` on that server, dropped by close().
 */
export async function createTestDatabase(opts: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const driver = opts.driver ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite');
  if (driver === 'pglite') {
    const handle = opts.migrate === false ? await openDatabase({ dataDir: null }) : await openMigratedDatabase({ dataDir: null });
    return { kind: 'pglite', db: handle.db, handle, url: null, close: () => handle.close() };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('createTestDatabase({driver: "postgres"}) needs DATABASE_URL');
  const name = `overens_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = await openDatabase({ databaseUrl: url, maxConnections: 5 });
  if (opts.migrate !== false) await migrateDatabase(handle);
  let closed = false;
  return {
    kind: 'postgres',
    db: handle.db,
    handle,
    url,
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
      const admin2 = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await admin2.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin2.end({ timeout: 5 });
      }
    },
  };
}
