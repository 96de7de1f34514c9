import type { Config } from './config.ts';
import type { Db, DbKind, DatabaseHandle } from './db/client.ts';
import type { EventBus } from './events/bus.ts';
import type { LimiterStore, LoginThrottle } from './http/rate-limit.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { OutboxDispatcher } from './outbox/dispatcher.ts';
import type { SyncHub } from './sync/hub-contract.ts';

/** Everything route handlers and services need; built once per server by startServer(). */
export interface AppDeps {
  db: Db;
  dbKind: DbKind;
  /** Driver-level handle (raw client, close()); most code should use `db`. */
  database: DatabaseHandle;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  sync: SyncHub;
  /** Delivers what commands wrote to the outbox (events, sync effects); see outbox/README.md. */
  outbox: OutboxDispatcher;
  events: EventBus;
  /** Failed-login throttling (in Redis with REDIS_URL, so shared by all processes; in memory otherwise). */
  loginThrottle: LoginThrottle;
  /** Where rate limits keep their counters (Redis or memory); closed by the server's close(). */
  limiters: LimiterStore;
}

/** What the sync hub is built from (everything except itself). */
export type SyncHubDeps = Omit<AppDeps, 'sync' | 'outbox'>;
