/**
 * The agreed-section guard as a sync extension: client changes are collected per agreement (onChange)
 * and checked together by `resetEditedAgreedSections` (../../sections/agreed-reset.ts), at most once
 * per `intervalMs` (default 2 s) after the first change of a quiet spell, never two checks of one
 * agreement at once (the shared PerDocumentBatcher); once a check found no section agreed, keystrokes
 * are not even collected until a change may have set a map key (core/document-fact.ts). Changes relayed from other processes are guarded
 * where they entered. At engine close what is collected is dropped and a check in progress writes
 * nothing more.
 */
import {
  DEFAULT_AGREED_RESET_INTERVAL_MS,
  resetEditedAgreedSections,
  type AgreedResetDeps,
  type ClientChange,
} from '../../sections/agreed-reset.ts';
import { PerDocumentBatcher } from '../core/debounce.ts';
import { DocumentFact } from '../core/document-fact.ts';
import type { Extension } from '../core/extension.ts';

export interface AgreedGuardOptions {
  /** Client changes are collected per agreement and checked at most once per this interval (default 2 s). */
  intervalMs?: number;
}

export interface AgreedGuardExtension extends Extension {
  /** Resolves when no changes wait to be checked and no check runs (tests). */
  idle(): Promise<void>;
  /** Drop collected changes not yet checked, and wait for a check in progress. */
  stop(): Promise<void>;
}

export function createAgreedGuardExtension(deps: AgreedResetDeps, options: AgreedGuardOptions = {}): AgreedGuardExtension {
  const intervalMs = Math.max(0, options.intervalMs ?? DEFAULT_AGREED_RESET_INTERVAL_MS);
  let stopped = false;
  // "no section is agreed": an agreed mark is a map entry, so typing cannot make one appear; while no
  // change may have set a key since a check found none, a keystroke needs no check
  const noneAgreed = new DocumentFact();
  const batcher = new PerDocumentBatcher<ClientChange>({
    delayMs: intervalMs,
    minIntervalMs: intervalMs,
    run: (agreementId, changes) => resetEditedAgreedSections(deps, agreementId, changes, () => stopped, (doc) => noneAgreed.record(agreementId, doc)),
    onError: (agreementId, err) => deps.logger?.warn({ err, agreementId }, 'agreed-section reset check failed'),
  });
  const stop = async () => {
    stopped = true;
    await batcher.stop();
  };
  return {
    name: 'agreed-guard',
    onChange({ agreementId, update, origin, document }) {
      if (stopped || origin.kind !== 'client' || noneAgreed.holds(document)) return;
      noneAgreed.note(document);
      batcher.add(agreementId, { update, userId: origin.userId });
    },
    onUnload({ agreementId }) {
      noneAgreed.forget(agreementId);
    },
    onDestroy: stop,
    idle: () => batcher.idle(),
    stop,
  };
}
