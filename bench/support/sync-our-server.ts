/**
 * Benchmark child: the real Överens server on PostgreSQL (DATABASE_URL), seeded with the bench
 * agreements. Answers IPC 'stats' with its own CPU time, RSS and persistence counters.
 */
import { loadConfig } from '../../apps/server/src/config.ts';
import { startServer } from '../../apps/server/src/server.ts';
import { seed, type SeedSpec } from '../../tests/sync/support/seed.ts';
import { answerProfileRequests } from './profile-window.ts';

const server = await startServer(loadConfig(process.env, { dataDir: null }));
const spec = JSON.parse(process.env.BENCH_SEED!) as SeedSpec;
await seed(server.deps.db, spec);

async function counter(name: string, label?: Record<string, string>): Promise<number> {
  const m = server.deps.metrics.registry.getSingleMetric(name);
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
  void server.close().then(() => process.exit(0));
});
process.stdout.write(`BENCH_SERVER ${JSON.stringify({ url: server.url })}\n`);
