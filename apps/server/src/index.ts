/** Public entry of @overens/server (for tests/ and bench/): start a server, build an app, read config. */
export { startServer, createDeps, type RunningServer, type StartOptions } from './server.ts';
export { createApp } from './app.ts';
export { loadConfig, ConfigError, REPO_ROOT, type Config } from './config.ts';
export type { AppDeps } from './deps.ts';
export { openDatabase, type DatabaseHandle, type Db, type DbKind } from './db/client.ts';
export { migrateDatabase, openMigratedDatabase } from './db/migrate.ts';
export { seedDemo } from './demo.ts';
