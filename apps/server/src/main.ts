import { ConfigError, loadConfig } from './config.ts';
import { openMigratedDatabase } from './db/migrate.ts';
import { createLogger } from './logger.ts';

/** Entry point: `pnpm start` (repo root) or `tsx apps/server/src/main.ts`. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const started = performance.now();
  // Open (and migrate) the database while the rest of the server's modules load: PGlite compiles
  // its WebAssembly off the main thread and tsx transpiles in its loader thread, so the two overlap.
  const databasePromise = openMigratedDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  databasePromise.catch(() => {}); // awaited below; avoid an unhandled-rejection warning meanwhile
  const [{ startServer }, { seedDemo }] = await Promise.all([import('./server.ts'), import('./demo.ts')]);
  const database = await databasePromise;
  const server = await startServer(config, { logger, database, skipMigrations: true, ownsDatabase: true });
  if (config.demo) {
    const logins = await seedDemo(server.deps);
    const lines = [
      '',
      '  Överens demo: two users share the agreement "' + logins.agreementTitle + '".',
      '  Open ' + server.url + ' in two browser windows (one private) and sign in as:',
      ...logins.users.map((u) => `    ${u.label.padEnd(10)} ${u.email}  /  ${u.password}   (${u.organisation})`),
      '  Demo passwords are public: do not use OVERENS_DEMO on a server others can reach.',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  // processMs: since the process started (module loading included); ms: database + app + listen.
  logger.info({ ms: Math.round(performance.now() - started), processMs: Math.round(process.uptime() * 1000) }, 'ready');
  // The one line a person starting it looks for, among the JSON logs.
  const openAt = config.host === '0.0.0.0' || config.host === '::' ? `http://localhost:${server.port}` : server.url;
  process.stdout.write(`\n  Överens is running: open ${openAt}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'received signal, shutting down gracefully');
    // Last resort: if something hangs (a stuck flush), exit anyway so an orchestrator can restart us.
    setTimeout(() => {
      logger.error('graceful shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs * 3).unref();
    server
      .close()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
