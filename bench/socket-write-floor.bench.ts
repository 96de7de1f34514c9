/**
 * `pnpm bench:write-floor` — the CPU a Node process spends per small socket write on this machine,
 * with nothing else to do: the floor under "server CPU per delivered update" for any server that
 * sends each update to each client in its own write (ours and the y-websocket reference alike).
 * bench:sync measures the same floor once per round and reports it beside scenario A.
 *
 * 50 loopback connections (like scenario A), a 31-byte buffer (a one-character Yjs update frame) to
 * each, 50 times per second for 5 s. Reported: median over runs of the writer's user, kernel and total
 * CPU µs per write. Env: FLOOR_SOCKETS (50), FLOOR_RUNS (5), FLOOR_FRAME_BYTES (31).
 */
import os from 'node:os';
import { median } from './support/median.ts';
import { measureWriteFloor, type WriteFloor } from './support/write-floor.ts';

const sockets = Number(process.env.FLOOR_SOCKETS ?? 50);
const runs = Number(process.env.FLOOR_RUNS ?? 5);
const frameBytes = Number(process.env.FLOOR_FRAME_BYTES ?? 31);

const results: WriteFloor[] = [];
for (let i = 0; i < runs; i++) results.push(await measureWriteFloor({ sockets, frameBytes }));
console.log(`Load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}; ${sockets} sockets, ${frameBytes}-byte writes, ${runs} runs of ${results[0]!.writes} writes`);
console.log('| CPU per write (µs) | user | kernel | total |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| median of ${runs} runs | ${median(results.map((r) => r.userUs)).toFixed(1)} | ${median(results.map((r) => r.sysUs)).toFixed(1)} | ${median(results.map((r) => r.userUs + r.sysUs)).toFixed(1)} |`,
);
console.log(JSON.stringify(results));
process.exit(0);
