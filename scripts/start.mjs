#!/usr/bin/env node
// `pnpm start`: build the web app and compile the server when their sources changed since the last
// build, then run the compiled server in this process (so signals reach its graceful shutdown directly).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer, serverBuildIsStale } from './build-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => console.log(`[överens] ${line}`);
const dist = join(root, 'apps/web/dist/index.html');
const webSources = ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'apps/web/public', 'packages/model/src'].map((p) => join(root, p));

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const builtAt = existsSync(dist) ? statSync(dist).mtimeMs : 0;
if (builtAt < Math.max(...webSources.map(newestMtime))) {
  say('building the web app (only when its sources changed)…');
  const result = spawnSync('pnpm', ['--filter', '@overens/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[överens] the web app did not build; see the output above.');
    process.exit(result.status ?? 1);
  }
}

if (serverBuildIsStale()) {
  say('compiling the server (only when its sources changed)…');
  const started = performance.now();
  await buildServer();
  say(`server compiled in ${Math.round(performance.now() - started)} ms`);
}

process.env.OVERENS_DATA_DIR ??= join(root, 'data');
process.env.OVERENS_WEB_DIST ??= join(root, 'apps/web/dist');
await import(pathToFileURL(join(root, 'apps/server/dist/main.js')).href);
