/**
 * The application's sync extensions: THE list the server registers (server.ts createDeps passes it
 * to createSyncHub; tests and benchmarks append their own through `syncOptions.extensions`).
 * One extension per file in this folder, its test beside it. Add a new one here, one line each.
 *
 * `deps.sync` is the hub the extensions are registered on; it exists only once the hub is built, so
 * read it inside hooks, never while building the list.
 */
import type { SyncHubDeps } from '../../deps.ts';
import type { SyncHub } from '../hub-contract.ts';
import type { Extension } from '../core/extension.ts';

export interface SyncExtensionDeps extends SyncHubDeps {
  readonly sync: SyncHub;
}

export function appSyncExtensions(deps: SyncExtensionDeps): Extension[] {
  void deps;
  return [
    // suggestions (issue #16): validates suggest-mode updates — registered here by its author
  ];
}
