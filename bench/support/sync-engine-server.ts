/**
 * Benchmark child: the sync engine alone (createSyncHub with the real session/membership hooks and
 * PostgreSQL persistence) on a bare node:http server — i.e. without the rest of the application
 * (approval voiding, automatic versions, agreed-section resets that also listen to every change).
 */
import http from 'node:http';
import { loadConfig } from '../../apps/server/src/config.ts';
import { openDatabase } from '../../apps/server/src/db/client.ts';
import { migrateDatabase } from '../../apps/server/src/db/migrate.ts';
import { createLogger } from '../../apps/server/src/logger.ts';
import { createMetrics } from '../../apps/server/src/metrics.ts';
import { createSyncHub } from '../../apps/server/src/sync/index.ts';
import { seed, type SeedSpec } from '../../tests/sync/support/seed.ts';
import { answerProfileRequests } from './profile-window.ts';

const config = loadConfig(process.env, { dataDir: null });
const logger = createLogger(config.logLevel);
const database = await openDatabase({ databaseUrl: config.databaseUrl, logger });
await migrateDatabase(database, logger);
await seed(database.db, JSON.parse(process.env.BENCH_SEED!) as SeedSpec);
const metrics = createMetrics();
const hub = createSyncHub({ db: database.db, config, logger, metrics });
const server = http.createServer((_req, res) => {
  res.writeHead(404);
  res.end();
});
hub.attach(server);

async function counter(name: string, label?: Record<string, string>): Promise<number> {
  const m = metrics.registry.getSingleMetric(name);
  if (!m) return 0;
  const v = await m.get();
  return v.values.filter((x) => !label || Object.entries(label).every(([k, val]) => x.labels[k] === val)).reduce((n, x) => n + x.value, 0);
}
answerProfileRequests(process.env.BENCH_CPU_PROF);
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') {
    void (async () => {
      const cpu = process.cpuUsage();
      process.send!({
        type: 'stats',
        cpuMs: (cpu.user + cpu.system) / 1000,
        sysMs: cpu.system / 1000,
        rss: process.memoryUsage().rss,
        flushes: await counter('overens_sync_flushes_total', { result: 'ok' }),
        flushedDocuments: await counter('overens_sync_flushed_documents_total'),
        deliveries: await counter('overens_sync_update_deliveries_total'),
      });
    })();
  }
});
process.on('SIGTERM', () => {
  void hub
    .close()
    .then(() => database.close())
    .then(() => process.exit(0));
});
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.stdout.write(`BENCH_SERVER ${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
