/** Spawn tests/sync/support/burst-client.ts: one client that bursts N single-character updates on go(). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './server.ts';

export interface BurstClient {
  ready: Promise<void>;
  /** Start the burst; resolves when every update was handed to the socket. */
  go(): Promise<void>;
  closes: { code: number; reason: string }[];
  kill(): void;
}

export function spawnBurstClient(url: string, agreementId: string, token: string, n: number): BurstClient {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests/sync/support/burst-client.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, BURST_CLIENT: JSON.stringify({ url, agreementId, token, n }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const closes: { code: number; reason: string }[] = [];
  let sent!: () => void;
  const sentP = new Promise<void>((r) => (sent = r));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type: string; code?: number; reason?: string }) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'sent') sent();
      else if (m.type === 'closed') closes.push({ code: m.code!, reason: m.reason! });
    });
    child.once('exit', (code) => reject(new Error(`burst client exited (${code})`)));
  });
  ready.catch(() => {});
  return {
    ready,
    go: () => {
      child.send({ type: 'go' });
      return sentP;
    },
    closes,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
