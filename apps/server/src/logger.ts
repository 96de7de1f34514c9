import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout (one object per line) — what a log collector wants. A person running
 * `pnpm start` in a terminal gets the same records as readable lines instead (LOG_FORMAT=json keeps JSON
 * there too; LOG_FORMAT=pretty forces lines). Pretty-printing runs in this thread, not a worker.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  const options = { level, base: { service: 'overens', pid: process.pid, ...bindings } };
  const format = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty') return pino(options);
  // Loaded only here: a server logging JSON never pays for the pretty-printer.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pino(options, pretty({ sync: true, singleLine: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss' }));
}
