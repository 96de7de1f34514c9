/**
 * The CPU a Node process on this machine spends per small socket write when it does nothing else:
 * a child (socket-write-floor-server.ts) holds `sockets` loopback connections and writes a small
 * buffer to each, 50 times per second, for `rounds` rounds; its own process.cpuUsage() per write is
 * returned. Used by bench:write-floor and, once per round, by bench:sync (same conditions as the
 * servers it compares).
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export interface WriteFloor {
  writes: number;
  /** µs of user and kernel CPU per write */
  userUs: number;
  sysUs: number;
}

export async function measureWriteFloor({ sockets = 50, rounds = 250, frameBytes = 31 } = {}): Promise<WriteFloor> {
  const child = fork(fileURLToPath(new URL('./socket-write-floor-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FLOOR_FRAME_BYTES: String(frameBytes) },
  });
  const clients: net.Socket[] = [];
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`write-floor child exited with ${code}`)));
    });
    for (let i = 0; i < sockets; i++) {
      const c = net.connect(port, '127.0.0.1');
      c.on('data', () => {});
      c.on('error', () => {});
      await new Promise((r) => c.once('connect', r));
      clients.push(c);
    }
    await new Promise((r) => setTimeout(r, 300));
    child.send({ type: 'run', rounds, intervalMs: 20 });
    return await new Promise<WriteFloor>((resolve) =>
      child.on('message', (m: WriteFloor & { type: string }) => {
        if (m.type === 'result') resolve({ writes: m.writes, userUs: m.userUs, sysUs: m.sysUs });
      }),
    );
  } finally {
    for (const c of clients) c.destroy();
    child.kill();
  }
}
