/**
 * Automatic checkpoints as a sync extension: once editing on an agreement has been quiet for `idleMs`
 * (default 2 minutes, OVERENS_CHECKPOINT_IDLE_MS), at most once per `minIntervalMs` (default 10
 * minutes, OVERENS_CHECKPOINT_MIN_INTERVAL_MS), a checkpoint of the live document is saved
 * (`saveCheckpoint` in versions/service.ts: only when something changed since the latest version).
 *
 * Scheduling is the shared PerDocumentBatcher with a quiet period: a change only records its time (no
 * timer set or cleared per keystroke); the one timer per agreement re-arms itself while editing goes
 * on. A failed checkpoint is logged and not retried until the next quiet period (it does not count
 * for the interval). With several processes each may see the same edits (cluster); the latest-version
 * check inside the transaction that locks the agreement row keeps them from saving twice.
 */
import { AUTO_CHECKPOINT_NAME, envInt, saveCheckpoint, type CheckpointOptions, type VersionDeps } from '../../versions/service.ts';
import { PerDocumentBatcher } from '../core/debounce.ts';
import type { Extension } from '../core/extension.ts';

export interface CheckpointsExtension extends Extension {
  /** Agreements with a checkpoint waiting (or being saved). */
  pending(): number;
  /** Drop the waiting checkpoints; resolves once one being saved is done. */
  stop(): Promise<void>;
}

export function createCheckpointsExtension(deps: VersionDeps, options: CheckpointOptions = {}): CheckpointsExtension {
  const idleMs = options.idleMs ?? envInt('OVERENS_CHECKPOINT_IDLE_MS', 2 * 60_000);
  const minIntervalMs = options.minIntervalMs ?? envInt('OVERENS_CHECKPOINT_MIN_INTERVAL_MS', 10 * 60_000);
  const name = options.name ?? AUTO_CHECKPOINT_NAME;
  const batcher = new PerDocumentBatcher<never>({
    delayMs: 0,
    quietMs: idleMs,
    minIntervalMs,
    throttleFailures: false,
    unref: true,
    run: async (agreementId) => {
      await saveCheckpoint(deps, agreementId, { name, minIntervalMs });
    },
    onError: (agreementId, err) => deps.logger?.warn({ err, agreementId }, 'automatic checkpoint failed; retrying after the next idle period'),
  });
  const stop = () => batcher.stop();
  return {
    name: 'checkpoints',
    onChange({ agreementId, origin }) {
      // A restore records its own version; do not follow it with a checkpoint of the same state.
      if (origin.kind === 'server' && origin.reason === 'restore') return;
      batcher.add(agreementId);
    },
    onDestroy: stop,
    pending: () => batcher.size,
    stop,
  };
}
