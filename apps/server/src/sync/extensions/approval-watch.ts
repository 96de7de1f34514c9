/**
 * The approval watcher as a sync extension: voids approvals the live document no longer matches
 * (`checkApprovals` in ../../commands/approvals.ts does the check and the voiding), scheduled on the
 * shared PerDocumentBatcher, with a per-process "no active approvals" cache.
 */
import { agreementsWithActiveApprovals, checkApprovals, type ApprovalDeps } from '../../commands/approvals.ts';
import { NO_APPROVALS_TTL_MS, registerApprovalsCache } from '../../approvals/watcher.ts';
import { originUserId, type SyncOrigin } from '../origin.ts';
import { PerDocumentBatcher } from '../core/debounce.ts';
import type { Extension } from '../core/extension.ts';

/** After a failed check (database down) the next one waits this long. */
const RETRY_AFTER_FAILURE_MS = 5000;

export interface ApprovalWatcherOptions {
  /** At most one check per agreement per this interval while edits keep coming (default 1 s). */
  minIntervalMs?: number;
  /** How long "no active approvals" is trusted without a query (default 10 s; 0 = never cached). */
  noApprovalsTtlMs?: number;
}

export interface ApprovalWatcherStats {
  /** Checks that ran the approvals query. */
  queries: number;
  /** Checks answered by the "no active approvals" cache (no database query, no hashing). */
  cacheHits: number;
  /** Times a cached "no active approvals" was dropped (approval created here, or an approval event). */
  invalidations: number;
  /** Queries that renewed the cached answers of all agreements in use at once. */
  renewals: number;
}

export interface ApprovalWatchExtension extends Extension {
  /** Stop taking changes; the changes collected so far are still checked once (also at engine close). */
  stop(): Promise<void>;
  idle(): Promise<void>;
  stats(): ApprovalWatcherStats;
  /** Renew the cached answers of the agreements in use (the timer does it every half TTL; `now` for tests). */
  renewCache(now?: number): Promise<void>;
}

interface NoApprovalsEntry {
  /** Bumped on every invalidation: a query that started before one must not cache its answer. */
  generation: number;
  /** "No active approvals" is trusted until then (0 = not cached). */
  noneUntil: number;
  /** Users whose changes were let through on the cached answer since it was cached. */
  skippedUsers: Set<string>;
  skipped: boolean;
  lastUsed: number;
  unsubscribe: () => void;
}

/**
 * Voids stale approvals as the document changes (onChange). Checks are serialised per agreement and
 * throttled: the first change after a quiet spell is checked at once, a burst of keystrokes after it
 * costs at most one check per `minIntervalMs` (each check reads the database and hashes the document,
 * which must not happen per keystroke).
 *
 * Most agreements have no active approvals, so a check first consults a per-process cache of "agreement
 * X has no active approvals" (then it costs no query). The cache must hold across processes sharing the
 * database: an entry is dropped when this process creates an approval, on any `approval.*` event on the
 * event bus (Redis-backed with REDIS_URL, so approvals made in other processes count; the subscription
 * is in place before the query whose answer is cached, and an invalidation during the query keeps it
 * from being cached), and after `noApprovalsTtlMs` in any case (events can be lost while Redis is
 * down); while the agreement is in use, one query for all such agreements renews their answers every
 * half TTL (renewCache). Changes let through on a cached answer are checked again when the entry is
 * invalidated, so an edit that raced with an approval made elsewhere still voids it.
 */
export function createApprovalWatchExtension(deps: ApprovalDeps, options: ApprovalWatcherOptions = {}): ApprovalWatchExtension {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const ttlMs = Math.max(0, options.noApprovalsTtlMs ?? NO_APPROVALS_TTL_MS);
  const stats: ApprovalWatcherStats = { queries: 0, cacheHits: 0, invalidations: 0, renewals: 0 };
  let stopped = false;

  /* ----- the "no active approvals" cache ----- */
  const entries = new Map<string, NoApprovalsEntry>();
  const dropEntry = (agreementId: string, entry: NoApprovalsEntry) => {
    entry.unsubscribe();
    if (entries.get(agreementId) === entry) entries.delete(agreementId);
  };
  const invalidate = (agreementId: string) => {
    const entry = entries.get(agreementId);
    if (!entry) return;
    entry.generation++;
    if (entry.noneUntil > 0) stats.invalidations++;
    entry.noneUntil = 0;
    if (entry.skipped && !stopped) {
      // Changes were let through while we believed there was nothing to void: look at them now.
      const users = [...entry.skippedUsers];
      entry.skippedUsers.clear();
      entry.skipped = false;
      changed(agreementId, users);
    }
  };
  const leaveCaches = ttlMs > 0 ? registerApprovalsCache(deps.events, { invalidate }) : () => {};
  const entryFor = (agreementId: string): NoApprovalsEntry => {
    let entry = entries.get(agreementId);
    if (!entry) {
      const unsubscribe = deps.events.subscribe(agreementId, (event) => {
        if (event.type.startsWith('approval.')) invalidate(agreementId);
      });
      entries.set(agreementId, (entry = { generation: 0, noneUntil: 0, skippedUsers: new Set(), skipped: false, lastUsed: 0, unsubscribe }));
    }
    entry.lastUsed = Date.now();
    return entry;
  };
  // Entries (and their event subscriptions) of agreements nobody edits any more go after a while.
  const sweeper = ttlMs > 0
    ? setInterval(() => {
        const now = Date.now();
        for (const [agreementId, entry] of entries) if (now - entry.lastUsed > ttlMs && entry.noneUntil <= now) dropEntry(agreementId, entry);
      }, ttlMs)
    : null;
  sweeper?.unref?.();

  // While people type, each agreement's "none" would run out every TTL and cost a query of its own
  // (200 agreements: 20 queries/s). Instead one query every half TTL renews the answers of all
  // agreements in use whose answer runs out within the next half: still never older than the TTL.
  let renewing: Promise<void> | null = null;
  const renewCache = (now = Date.now()): Promise<void> => {
    renewing ??= renewAnswers(now).finally(() => (renewing = null));
    return renewing;
  };
  const renewAnswers = async (now: number) => {
    try {
      const due = [...entries].filter(([, e]) => e.noneUntil > now && e.noneUntil - now <= ttlMs / 2 && now - e.lastUsed <= ttlMs);
      if (due.length === 0 || stopped) return;
      const generations = due.map(([, e]) => e.generation);
      stats.renewals++;
      const withApprovals = await agreementsWithActiveApprovals(deps.db, due.map(([id]) => id));
      due.forEach(([agreementId, entry], i) => {
        // invalidated meanwhile, dropped, or stopped: the answer is not ours to renew
        if (entry.generation !== generations[i] || entries.get(agreementId) !== entry || stopped) return;
        if (withApprovals.has(agreementId)) invalidate(agreementId);
        else entry.noneUntil = now + ttlMs;
      });
    } catch (err) {
      // the answers run out as before; each agreement is then checked on its own
      deps.logger?.warn({ err: String(err) }, 'approval cache renewal failed');
    }
  };
  const renewer = ttlMs > 0 ? setInterval(() => void renewCache(), Math.max(1, ttlMs / 2)) : null;
  renewer?.unref?.();

  const check = async (agreementId: string, users: string[]) => {
    if (ttlMs === 0) {
      stats.queries++;
      await checkApprovals(deps, agreementId, users);
      return;
    }
    const entry = entryFor(agreementId);
    if (entry.noneUntil > Date.now()) {
      stats.cacheHits++;
      entry.skipped = true;
      for (const u of users) entry.skippedUsers.add(u);
      return;
    }
    const generation = entry.generation;
    stats.queries++;
    const result = await checkApprovals(deps, agreementId, users);
    // Cache "none" only if nothing invalidated it while we asked, and the entry is still the live one.
    if (result.active === 0 && entry.generation === generation && entries.get(agreementId) === entry && !stopped) {
      entry.noneUntil = Date.now() + ttlMs;
    }
  };

  // Serialised per agreement and throttled by the shared per-document batcher: the first change after
  // a quiet spell is checked at once, a burst after it at most once per minIntervalMs. A failed check
  // (database down) keeps who changed what and is retried, so an edit made during an outage still
  // voids the approvals once the database is back.
  const batcher = new PerDocumentBatcher<string>({
    delayMs: 0,
    minIntervalMs,
    retryAfterMs: RETRY_AFTER_FAILURE_MS,
    run: (agreementId, users) => check(agreementId, [...new Set(users)]),
    onError: (agreementId, err) => deps.logger?.warn({ err: String(err), agreementId }, 'approval voiding check failed; will retry'),
  });
  const changed = (agreementId: string, users: Iterable<string>) => batcher.add(agreementId, ...users);
  const onChange = ({ agreementId, origin }: { agreementId: string; origin: SyncOrigin }) => {
    if (stopped) return;
    const uid = originUserId(origin);
    // Per keystroke: when the agreement is known to have no active approvals, only note who changed
    // it (looked at if that turns out wrong, see invalidate) instead of scheduling a check.
    const entry = ttlMs > 0 && !batcher.has(agreementId) ? entries.get(agreementId) : undefined;
    if (entry && entry.noneUntil > Date.now()) {
      stats.cacheHits++;
      entry.skipped = true;
      entry.lastUsed = Date.now();
      if (uid) entry.skippedUsers.add(uid);
      return;
    }
    changed(agreementId, uid ? [uid] : []);
  };
  const idle = async () => {
    await batcher.idle();
  };
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    stopped = true;
    leaveCaches();
    if (sweeper) clearInterval(sweeper);
    if (renewer) clearInterval(renewer);
    await renewing;
    // changes collected so far are still checked once (an approval they void must not survive a restart)
    await batcher.stop({ drain: true });
    for (const [agreementId, entry] of entries) dropEntry(agreementId, entry);
  })());
  return {
    name: 'approval-watch',
    onChange,
    onDestroy: stop,
    idle,
    stats: () => ({ ...stats }),
    renewCache,
    stop,
  };
}
