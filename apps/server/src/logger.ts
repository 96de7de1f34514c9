import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout (one object per line). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'overens', pid: process.pid, ...bindings } });
}
