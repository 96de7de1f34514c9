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
import { createSuggestionsExtension } from './suggestions.ts';

export interface SyncExtensionDeps extends SyncHubDeps {
  readonly sync: SyncHub;
}

export function appSyncExtensions(deps: SyncExtensionDeps): Extension[] {
  return [
    // suggestion mode (issue #16): validates suggest-mode updates, withdraws agreed marks on sections with open suggestions
    createSuggestionsExtension({ logger: deps.logger, withDocument: (id, fn, origin) => deps.sync.withDocument(id, fn, origin) }),
  ];
}
