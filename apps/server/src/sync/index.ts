/**
 * Real-time sync (y-websocket protocol at /sync/:agreementId). See README.md in this folder.
 *
 *   const sync = createSyncHub({ db, logger, metricsRegistry, redisUrl, authenticate, authorize, isLocked });
 *   sync.attach(httpServer);
 *   ...
 *   await sync.close(); // flushes everything
 */
import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import { createSuggestionsExtension } from './extensions/suggestions.ts';
import { Hub, type SyncHubOptions } from './hub.ts';
import type { SyncHub } from './hub-contract.ts';
import { createSyncMetrics } from './metrics.ts';
import { createStreamChannel, type StreamChannelOptions } from './redis-stream.ts';
import type { Logger } from './logger.ts';
import type { SyncLimits } from './limits.ts';
import type { SyncDb } from './persistence.ts';
import type { Db } from '../db/client.ts';
import { resolveSession } from '../auth/sessions.ts';
import { getAgreementRow, getMembership } from '../agreements/membership.ts';

export type { SyncHub, SyncStatus, DocumentSyncStatus, SaveState } from './hub-contract.ts';
export type { AuthenticatedUser, Authorization, SyncHubOptions } from './hub.ts';
export { storeInitialState, loadDocument, docFromUpdates } from './persistence.ts';
export { SERVER_AWARENESS_ID } from './connection.ts';
export { CloseCode } from './protocol.ts';
export { isSyncOrigin, originUserId, serverOrigin, type SyncOrigin, type ServerReason } from './origin.ts';

/** The server's dependencies the sync engine uses (a structural slice of AppDeps). */
export interface ServerDepsForSync {
  db: SyncDb;
  config: {
    redisUrl: string | null;
    allowedOrigins: string[];
    trustProxy: boolean;
    sessionTtlMs: number;
    sessionSliding: boolean;
  };
  logger: Logger;
  metrics: { registry: Registry };
  /** Overrides for tests/bench (hooks, limits, intervals). */
  syncOptions?: Partial<SyncHubOptions>;
}

/**
 * Build the hub from the server's deps: session cookie -> user (auth/sessions.ts), membership
 * (agreements/membership.ts), lock state (agreements.status). Tunables come from the environment
 * (see README.md in this folder) and can be overridden with `syncOptions`.
 */
export function createSyncHub(deps: ServerDepsForSync): SyncHub & { readonly processId: string } {
  const { db, config, logger } = deps;
  const metrics = createSyncMetrics(deps.metrics.registry);
  const env = syncEnv(process.env);
  // The suggestions extension changes documents (withdraws agreed marks) through the hub it is part of.
  let hub: Hub | undefined;
  const suggestions = createSuggestionsExtension({ logger, withDocument: (id, fn, origin) => hub!.withDocument(id, fn, origin) });
  const opts: SyncHubOptions = {
    db,
    logger,
    metrics,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    authenticate: async (req) => {
      const token = sessionTokenFromRequest(req);
      if (!token) return null;
      const s = await resolveSession(db as Db, token, { ttlMs: config.sessionTtlMs, sliding: config.sessionSliding });
      return s ? { userId: s.user.id, name: s.user.name } : null;
    },
    authorize: async (userId, agreementId) => {
      const m = await getMembership(db as Db, agreementId, userId);
      return m ? { role: m.role, partyId: m.partyId } : null;
    },
    isLocked: async (agreementId) => (await getAgreementRow(db as Db, agreementId))?.status === 'locked',
    ...env,
    ...deps.syncOptions,
    limits: { ...env.limits, ...deps.syncOptions?.limits },
    extensions: [suggestions, ...(deps.syncOptions?.extensions ?? [])],
  };
  const redisUrl = deps.syncOptions?.relay ? null : config.redisUrl;
  hub = new Hub({ ...opts, relay: opts.relay ?? (redisUrl ? createStreamChannel(redisUrl, logger, metrics, streamEnv(process.env)) : undefined) });
  const close = hub.close.bind(hub);
  hub.close = async () => {
    await suggestions.stop();
    await close();
  };
  return hub;
}

/** OVERENS_SYNC_LEASE_MS / OVERENS_SYNC_STREAM_RETAIN_MS (the cluster channel, only with REDIS_URL). */
export function streamEnv(e: Record<string, string | undefined>): Partial<StreamChannelOptions> {
  const out: Partial<StreamChannelOptions> = {};
  for (const [name, key] of [
    ['OVERENS_SYNC_LEASE_MS', 'leaseMs'],
    ['OVERENS_SYNC_STREAM_RETAIN_MS', 'retainMs'],
  ] as const) {
    const v = e[name];
    if (v === undefined || v.trim() === '') continue;
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new Error(`${name} must be a positive number (got "${v}")`);
    out[key] = x;
  }
  return out;
}

/** OVERENS_SYNC_* environment variables (all optional). */
export function syncEnv(e: Record<string, string | undefined>): Partial<SyncHubOptions> & { limits: Partial<SyncLimits> } {
  const n = (name: string): number | undefined => {
    const v = e[name];
    if (v === undefined || v.trim() === '') return undefined;
    const x = Number(v);
    if (!Number.isFinite(x) || x < 0) throw new Error(`${name} must be a non-negative number (got "${v}")`);
    return x;
  };
  const limits: Partial<SyncLimits> = {};
  const set = <K extends keyof SyncLimits>(k: K, v: number | undefined) => {
    if (v !== undefined) limits[k] = v;
  };
  set('maxMessageBytes', n('OVERENS_SYNC_MAX_MESSAGE_BYTES'));
  set('maxDocumentBytes', n('OVERENS_SYNC_MAX_DOCUMENT_BYTES'));
  set('maxConnectionsPerAgreement', n('OVERENS_SYNC_MAX_CONNECTIONS_PER_AGREEMENT'));
  set('maxConnectionsPerUser', n('OVERENS_SYNC_MAX_CONNECTIONS_PER_USER'));
  set('ipBurst', n('OVERENS_SYNC_IP_BURST'));
  set('ipPerSecond', n('OVERENS_SYNC_IP_PER_SECOND'));
  const out: Partial<SyncHubOptions> & { limits: Partial<SyncLimits> } = { limits };
  const flush = n('OVERENS_SYNC_FLUSH_MS');
  if (flush !== undefined) out.flushIntervalMs = flush;
  const windowMs = n('OVERENS_SYNC_BROADCAST_WINDOW_MS');
  if (windowMs !== undefined) out.broadcastWindowMs = windowMs;
  const idle = n('OVERENS_SYNC_IDLE_UNLOAD_MS');
  if (idle !== undefined) out.idleUnloadMs = idle;
  return out;
}

/** Read the session token from the `overens_session` cookie of an upgrade request. */
export function sessionTokenFromRequest(req: IncomingMessage, cookieName = 'overens_session'): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === cookieName) {
      const v = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(v) || null;
      } catch {
        return null;
      }
    }
  }
  return null;
}
