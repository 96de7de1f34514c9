import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrateDatabase, MIGRATIONS_FOLDER } from '../src/db/migrate.ts';
import { createTestDatabase, testDrivers } from './support/index.ts';

const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};

describe.each(testDrivers())('migrations on an empty %s database', (driver) => {
  it('apply every committed migration, and a second run changes nothing', async () => {
    const t = await createTestDatabase({ driver, migrate: false });
    try {
      const before = await t.db.execute(sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
      expect(Number(rowsOf<{ n: number }>(before)[0]?.n)).toBe(0);

      await migrateDatabase(t.handle);
      const tables = await listTables(t.db);
      for (const name of [
        'users',
        'sessions',
        'organisations',
        'organisation_members',
        'agreements',
        'agreement_parties',
        'agreement_members',
        'invitations',
        'templates',
        'template_versions',
      ]) {
        expect(tables).toContain(name);
      }
      const applied = await countApplied(t.db);
      expect(applied).toBe(journal.entries.length);

      await migrateDatabase(t.handle); // idempotent
      expect(await countApplied(t.db)).toBe(journal.entries.length);
      expect(await listTables(t.db)).toEqual(tables);
    } finally {
      await t.close();
    }
  });
});

function rowsOf<T>(result: unknown): T[] {
  // postgres.js returns an array; PGlite returns { rows }.
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

async function listTables(db: Awaited<ReturnType<typeof createTestDatabase>>['db']): Promise<string[]> {
  const r = await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
  return rowsOf<{ table_name: string }>(r).map((x) => x.table_name);
}

async function countApplied(db: Awaited<ReturnType<typeof createTestDatabase>>['db']): Promise<number> {
  const r = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(rowsOf<{ n: number }>(r)[0]?.n);
}
