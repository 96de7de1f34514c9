/**
 * Child of bench/socket-write-floor.bench.ts: accepts TCP connections, then on request writes one
 * small pre-built buffer to every socket, `rounds` times, `intervalMs` apart (the shape of a sync
 * fan-out), and reports its own CPU time per write. Nothing else runs in this process.
 */
import net from 'node:net';

const sockets: net.Socket[] = [];
const server = net.createServer((s) => {
  s.setNoDelay(true);
  s.on('data', () => {});
  s.on('error', () => {});
  sockets.push(s);
});
const frame = Buffer.alloc(Number(process.env.FLOOR_FRAME_BYTES ?? 31), 7);

process.on('message', (m: { type: string; rounds: number; intervalMs: number }) => {
  if (m.type !== 'run') return;
  void (async () => {
    const before = process.cpuUsage();
    let writes = 0;
    for (let i = 0; i < m.rounds; i++) {
      for (const s of sockets) {
        s.write(frame);
        writes++;
      }
      await new Promise((r) => setTimeout(r, m.intervalMs));
    }
    const cpu = process.cpuUsage(before);
    process.send!({ type: 'result', writes, userUs: cpu.user / writes, sysUs: cpu.system / writes });
  })();
});
server.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (server.address() as net.AddressInfo).port }));
