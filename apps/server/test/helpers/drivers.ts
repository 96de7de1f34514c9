/**
 * Runs a server test against both database drivers: embedded PGlite (always) and PostgreSQL when
 * DATABASE_URL is set (a fresh database on that server, dropped afterwards).
 */
import postgres from 'postgres';
import { startServer, type RunningServer } from '../../src/server.ts';

export type Driver = 'pglite' | 'postgres';

export const drivers: Driver[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestServer extends RunningServer {
  stop(): Promise<void>;
}

export async function startServerOn(driver: Driver, overrides: Record<string, unknown> = {}): Promise<TestServer> {
  let drop: (() => Promise<void>) | null = null;
  let databaseUrl: string | null = null;
  if (driver === 'postgres') {
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    const name = `overens_cv_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };
  }
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: null, databaseUrl, redisUrl: null, logLevel: 'warn', ...overrides });
  return {
    ...server,
    async stop() {
      await server.close();
      await drop?.();
    },
  };
}
