/** Prometheus metrics of the sync engine (registered on the server's registry). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export function createSyncMetrics(registry: Registry = new Registry()) {
  const registers = [registry];
  return {
    registry,
    connections: new Gauge({ name: 'overens_sync_connections', help: 'Open sync websocket connections', registers }),
    documents: new Gauge({ name: 'overens_sync_documents_loaded', help: 'Documents loaded in memory', registers }),
    pendingBytes: new Gauge({ name: 'overens_sync_pending_bytes', help: 'Update bytes not yet persisted', registers }),
    upgrades: new Counter({ name: 'overens_sync_upgrades_total', help: 'Websocket upgrade attempts by result', labelNames: ['result'] as const, registers }),
    updates: new Counter({ name: 'overens_sync_updates_total', help: 'Document updates received from clients by result', labelNames: ['result'] as const, registers }),
    deliveries: new Counter({ name: 'overens_sync_update_deliveries_total', help: 'Update frames written to sockets', registers }),
    protocolErrors: new Counter({ name: 'overens_sync_protocol_errors_total', help: 'Connections closed for protocol errors, by close code', labelNames: ['code'] as const, registers }),
    flushes: new Counter({ name: 'overens_sync_flushes_total', help: 'Persistence transactions by result', labelNames: ['result'] as const, registers }),
    flushedDocuments: new Counter({ name: 'overens_sync_flushed_documents_total', help: 'Per-agreement batches persisted (several share one transaction)', registers }),
    flushedBytes: new Counter({ name: 'overens_sync_flushed_bytes_total', help: 'Update bytes persisted', registers }),
    flushDuration: new Histogram({ name: 'overens_sync_flush_duration_seconds', help: 'Persistence transaction duration', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers }),
    compactions: new Counter({ name: 'overens_sync_compactions_total', help: 'Update-log compactions', registers }),
    relayMessages: new Counter({ name: 'overens_sync_relay_messages_total', help: 'Redis relay messages by direction', labelNames: ['direction'] as const, registers }),
  };
}

export type SyncMetrics = ReturnType<typeof createSyncMetrics>;
