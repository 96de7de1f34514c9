/**
 * Approval for signing, voiding on change, locking as final version N, unlocking — split by concern:
 *   content.ts               the live document's snapshot, hash and validation
 *   ../queries/approvals.ts  read models (approval state, final versions)
 *   ../commands/approvals.ts approve, lock, unlock, void (transaction + audit + outbox)
 *   watcher.ts               the watchers' "no active approvals" caches (the watcher itself: ../sync/extensions/approval-watch.ts)
 * This module re-exports them for existing importers.
 */
export * from './content.ts';
export * from '../queries/approvals.ts';
export * from '../commands/approvals.ts';
export * from './watcher.ts';
