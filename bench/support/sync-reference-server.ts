/**
 * Benchmark child: the y-websocket project's reference server (y-websocket@1.5.4 bin/utils
 * setupWSConnection, documents in memory) on the same URL layout (/sync/:agreementId).
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';
import { answerProfileRequests } from './profile-window.ts';

const require = createRequire(import.meta.url);
const { setupWSConnection } = require('y-websocket-reference/bin/utils') as {
  setupWSConnection(conn: unknown, req: http.IncomingMessage, opts: { docName: string; gc?: boolean }): void;
};

const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((_req, res) => {
  res.writeHead(200);
  res.end('ok');
});
server.on('upgrade', (req, socket, head) => {
  const docName = (req.url ?? '/').split('?')[0]!.replace(/^\/sync\//, '');
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});
answerProfileRequests(process.env.BENCH_CPU_PROF);
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'stats') {
    const cpu = process.cpuUsage();
    process.send!({ type: 'stats', cpuMs: (cpu.user + cpu.system) / 1000,
        sysMs: cpu.system / 1000, rss: process.memoryUsage().rss, flushes: 0, deliveries: 0 });
  }
});
process.on('SIGTERM', () => process.exit(0));
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  process.stdout.write(`BENCH_SERVER ${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
