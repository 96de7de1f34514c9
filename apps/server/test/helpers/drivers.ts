/**
 * Runs a server test against both database drivers through the shared test support: embedded PGlite
 * (always) and PostgreSQL when DATABASE_URL is set (a fresh database on that server, dropped afterwards).
 */
import type { Config } from '../../src/config.ts';
import { createTestDatabase, startTestServer, testDrivers, type TestServer as SupportServer } from '../support/index.ts';

export type Driver = ReturnType<typeof testDrivers>[number];

export const drivers: Driver[] = testDrivers();

export interface TestServer extends SupportServer {
  stop(): Promise<void>;
}

export async function startServerOn(driver: Driver, overrides: Partial<Config> = {}): Promise<TestServer> {
  const database = await createTestDatabase({ driver });
  const server = await startTestServer({ ...overrides, database });
  return {
    ...server,
    async stop() {
      await server.close();
      await database.close();
    },
  };
}
