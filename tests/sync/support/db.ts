/**
 * Databases for sync tests: a fresh PostgreSQL database on DATABASE_URL's server when it is set
 * (always in CI), otherwise PGlite (in memory, or a data directory for tests that restart processes).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export interface TestDatabase {
  kind: 'postgres' | 'pglite';
  /** postgres:// URL of the fresh database, or null for PGlite. */
  url: string | null;
  /** PGlite data directory (null = in memory, or PostgreSQL). */
  dataDir: string | null;
  drop(): Promise<void>;
}

export function postgresAdminUrl(): string | null {
  return process.env.DATABASE_URL?.trim() || null;
}

export async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `overens_sync_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: u.toString(),
    dataDir: null,
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

/** PostgreSQL if DATABASE_URL is set, else PGlite (in memory unless `onDisk`). */
export async function createTestDatabase(opts: { onDisk?: boolean } = {}): Promise<TestDatabase> {
  const admin = postgresAdminUrl();
  if (admin) return createPostgresDatabase(admin);
  const dataDir = opts.onDisk ? fs.mkdtempSync(path.join(os.tmpdir(), 'overens-sync-pglite-')) : null;
  return {
    kind: 'pglite',
    url: null,
    dataDir,
    async drop() {
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Tests that need several processes on one database require PostgreSQL: fail loudly without it. */
export async function requirePostgresDatabase(): Promise<TestDatabase> {
  const admin = postgresAdminUrl();
  if (!admin) {
    throw new Error('This test needs PostgreSQL (several server processes share one database): set DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  }
  return createPostgresDatabase(admin);
}

export function requireRedisUrl(): string {
  const url = process.env.REDIS_URL?.trim();
  if (!url) throw new Error('This test needs Redis: set REDIS_URL=redis://127.0.0.1:6379');
  return url;
}
