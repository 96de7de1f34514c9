#!/usr/bin/env node
// `pnpm start`: build the web app if its sources changed since the last build, then run the server
// (TypeScript through tsx, in this process, so signals reach the server's graceful shutdown directly).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'apps/web/dist/index.html');
const sources = ['apps/web/src', 'apps/web/index.html', 'apps/web/vite.config.ts', 'packages/model/src'].map((p) => join(root, p));

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const builtAt = existsSync(dist) ? statSync(dist).mtimeMs : 0;
if (builtAt < Math.max(...sources.map(newestMtime))) {
  console.log('[överens] building the web app (only when its sources changed)…');
  const result = spawnSync('pnpm', ['--filter', '@overens/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[överens] the web app did not build; see the output above.');
    process.exit(result.status ?? 1);
  }
}

process.env.OVERENS_DATA_DIR ??= join(root, 'data');
process.env.OVERENS_WEB_DIST ??= join(root, 'apps/web/dist');
const { register } = await import('tsx/esm/api');
register();
await import(join(root, 'apps/server/src/main.ts'));
