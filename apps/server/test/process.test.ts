import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { api, login, registerUser } from './support/index.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Proc {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs the real entry point (what `pnpm start` runs) on an embedded database in `dataDir`. */
async function startProcess(dataDir: string): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', PORT: '0', HOST: '127.0.0.1', OVERENS_DATA_DIR: dataDir, OVERENS_WEB_DIST: '/nonexistent', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const m = /Överens listening on (http:\/\/[^"\s]+)/.exec(out);
      if (m) {
        clearInterval(check);
        resolve(m[1]!);
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`server exited ${child.exitCode}:\n${out}`));
      }
    }, 50);
  });
  return { child, url, output: () => out, exited };
}

describe('the server process (embedded database)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'overens-proc-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts on a fresh data directory, shuts down cleanly on SIGTERM, and keeps the data for the next start', async () => {
    const first = await startProcess(dataDir);
    let user;
    try {
      expect(first.output()).toMatch(/initialising embedded database/);
      const health = await api(first.url, 'GET', '/api/health');
      expect(await health.json()).toMatchObject({ status: 'ok', db: 'pglite' });
      user = await registerUser(first.url);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shut down cleanly/);

    const second = await startProcess(dataDir);
    try {
      expect(second.output()).not.toMatch(/initialising embedded database/);
      const cookie = await login(second.url, user.email, user.password);
      expect((await api(second.url, 'GET', '/api/me', { cookie })).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);
  }, 180_000);
});
