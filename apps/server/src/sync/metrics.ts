/** Prometheus metrics of the sync engine (registered on the server's registry). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A counter incremented on the hot path (every update / every broadcast): plain number additions,
 * folded into the prom-client counter when it is collected (scrape), which is much cheaper than
 * prom-client's per-call label hashing.
 */
function hotCounter<L extends string>(opts: { name: string; help: string; labelNames?: readonly L[]; registers: Registry[] }) {
  const pending = new Map<string, number>();
  const counter: Counter<L> = new Counter<L>({
    ...opts,
    labelNames: opts.labelNames ?? [],
    collect() {
      for (const [key, n] of pending) {
        if (n === 0) continue;
        if (key === '') counter.inc(n);
        else counter.inc(JSON.parse(key) as Partial<Record<L, string>>, n);
      }
      pending.clear();
    },
  });
  const add = (key: string, n: number) => pending.set(key, (pending.get(key) ?? 0) + n);
  return {
    /** An incrementer for fixed labels (the label key is computed once, not per call). */
    for(labels: Partial<Record<L, string>>): (n?: number) => void {
      const key = JSON.stringify(labels);
      return (n = 1) => add(key, n);
    },
    inc(labelsOrValue?: Partial<Record<L, string>> | number, value?: number): void {
      let key = '';
      let n = 1;
      if (typeof labelsOrValue === 'number') n = labelsOrValue;
      else if (labelsOrValue) {
        key = JSON.stringify(labelsOrValue);
        if (value !== undefined) n = value;
      }
      add(key, n);
    },
  };
}

export function createSyncMetrics(registry: Registry = new Registry()) {
  const registers = [registry];
  return {
    registry,
    connections: new Gauge({ name: 'overens_sync_connections', help: 'Open sync websocket connections', registers }),
    documents: new Gauge({ name: 'overens_sync_documents_loaded', help: 'Documents loaded in memory', registers }),
    pendingBytes: new Gauge({ name: 'overens_sync_pending_bytes', help: 'Update bytes not yet persisted', registers }),
    upgrades: new Counter({ name: 'overens_sync_upgrades_total', help: 'Websocket upgrade attempts by result', labelNames: ['result'] as const, registers }),
    updates: hotCounter({ name: 'overens_sync_updates_total', help: 'Document updates received from clients by result', labelNames: ['result'] as const, registers }),
    deliveries: hotCounter({ name: 'overens_sync_update_deliveries_total', help: 'Update frames written to sockets', registers }),
    protocolErrors: new Counter({ name: 'overens_sync_protocol_errors_total', help: 'Connections closed for protocol errors, by close code', labelNames: ['code'] as const, registers }),
    flushes: new Counter({ name: 'overens_sync_flushes_total', help: 'Persistence transactions by result', labelNames: ['result'] as const, registers }),
    flushedDocuments: new Counter({ name: 'overens_sync_flushed_documents_total', help: 'Per-agreement batches persisted (several share one transaction)', registers }),
    flushedBytes: new Counter({ name: 'overens_sync_flushed_bytes_total', help: 'Update bytes persisted', registers }),
    flushDuration: new Histogram({ name: 'overens_sync_flush_duration_seconds', help: 'Persistence transaction duration', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers }),
    compactions: new Counter({ name: 'overens_sync_compactions_total', help: 'Update-log compactions', registers }),
    readPauses: new Counter({ name: 'overens_sync_read_pauses_total', help: 'Times a socket was paused because its messages arrived faster than the server handles them', registers }),
    relayMessages: new Counter({ name: 'overens_sync_relay_messages_total', help: 'Redis relay messages by direction', labelNames: ['direction'] as const, registers }),
  };
}

export type SyncMetrics = ReturnType<typeof createSyncMetrics>;
