/**
 * A real Överens server as a child process for restart/crash/scale-out tests: seeds the test data
 * (idempotent), starts the server (config from the environment, like main.ts), prints
 * `SYNC_TEST_SERVER {"url":…}` and shuts down gracefully on SIGTERM.
 */
import { loadConfig } from '../../../apps/server/src/config.ts';
import { startServer } from '../../../apps/server/src/server.ts';
import { seed, type SeedSpec } from './seed.ts';

const config = loadConfig(process.env, { dataDir: process.env.OVERENS_DATA_DIR ? process.env.OVERENS_DATA_DIR : null });
const server = await startServer(config);
const spec = JSON.parse(process.env.SYNC_TEST_SEED ?? 'null') as SeedSpec | null;
if (spec) await seed(server.deps.db, spec);
process.stdout.write(`SYNC_TEST_SERVER ${JSON.stringify({ url: server.url, pid: process.pid })}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  server
    .close()
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
});
