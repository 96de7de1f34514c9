/**
 * What the approval watcher (the sync extension `../sync/extensions/approval-watch.ts`, which voids
 * approvals the live document no longer matches) shares with the approval commands: the running
 * watchers' "no active approvals" caches, which approve() invalidates.
 */
import type { EventBus } from '../events/bus.ts';

/** How long a watcher trusts "this agreement has no active approvals" without asking the database. */
export const NO_APPROVALS_TTL_MS = 10_000;

/**
 * The running watchers' "no active approvals" caches of each server (keyed by its event bus: one per
 * server instance); approve() invalidates the agreement in its server's caches as soon as the approval
 * is committed, without waiting for its own event. Other servers learn of it from the event bus.
 */
const watcherCaches = new WeakMap<EventBus, Set<{ invalidate(agreementId: string): void }>>();

export function approvalsCreated(events: EventBus, agreementId: string): void {
  for (const cache of watcherCaches.get(events) ?? []) cache.invalidate(agreementId);
}

/** A running watcher's cache joins its server's set (keyed by the event bus); returns the leave function. */
export function registerApprovalsCache(events: EventBus, cache: { invalidate(agreementId: string): void }): () => void {
  let caches = watcherCaches.get(events);
  if (!caches) watcherCaches.set(events, (caches = new Set()));
  caches.add(cache);
  return () => caches.delete(cache);
}
