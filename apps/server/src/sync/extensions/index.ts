/**
 * The application's sync extensions: THE list the server registers (server.ts createDeps passes it
 * to createSyncHub; tests and benchmarks append their own through `syncOptions.extensions`).
 * One extension per file in this folder, its test beside it. Add a new one here, one line each.
 *
 * `deps.sync` is the hub the extensions are registered on and `deps.outbox` the dispatcher built on
 * it; they exist only once the hub is built, so read them inside hooks, never while building the list.
 */
import type { SyncHubDeps } from '../../deps.ts';
import type { OutboxDispatcher } from '../../outbox/dispatcher.ts';
import type { SyncHub } from '../hub-contract.ts';
import type { Extension } from '../core/extension.ts';
import { createSuggestionsExtension } from './suggestions.ts';
import { createApprovalWatchExtension } from './approval-watch.ts';
import { createAgreedGuardExtension } from './agreed-guard.ts';
import { createCheckpointsExtension } from './checkpoints.ts';

export interface SyncExtensionDeps extends SyncHubDeps {
  readonly sync: SyncHub;
  readonly outbox?: OutboxDispatcher;
}

export function appSyncExtensions(deps: SyncExtensionDeps): Extension[] {
  return [
    // suggestion mode (issue #16): validates suggest-mode updates, withdraws agreed marks on sections with open suggestions
    createSuggestionsExtension({ logger: deps.logger, withDocument: (id, fn, origin) => deps.sync.withDocument(id, fn, origin) }),
    // voids approvals the live document no longer matches (checks throttled, "no active approvals" cached)
    createApprovalWatchExtension(deps),
    // an edit to an agreed section withdraws the agreement, whatever the client does (checked every 2 s)
    createAgreedGuardExtension(deps),
    // an automatic checkpoint once editing has been quiet (OVERENS_CHECKPOINT_*)
    createCheckpointsExtension(deps),
  ];
}
