/**
 * Worker-thread entry of the DOCX import (started by isolated.ts): unzips, parses and matches one file off
 * the main thread, so a hostile file costs this thread's time and heap, not the server's event loop.
 * In (workerData): { docx, template, limits }. Out: { ok: true, proposal } | { ok: false, error }.
 * No top-level await and no import.meta: in development this file runs as an esbuild CommonJS bundle.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Template } from '@overens/model';
import { ImportError, type ImportErrorCode } from './errors.ts';
import type { ImportLimits } from './limits.ts';
import { proposeImport, type ImportProposal } from './propose.ts';

export interface ImportJob {
  docx: Uint8Array;
  template: Template;
  limits: ImportLimits;
}

export type ImportReply =
  | { ok: true; proposal: ImportProposal }
  | { ok: false; error: { code: ImportErrorCode; messages: { sv: string; en: string }; status: number } };

const job = workerData as ImportJob;
proposeImport(job.docx, job.template, job.limits).then(
  (proposal) => parentPort!.postMessage({ ok: true, proposal } satisfies ImportReply),
  (e: unknown) => {
    // Anything but a refused file is a bug: rethrown, it reaches the parent as the worker's 'error'.
    if (!(e instanceof ImportError)) throw e;
    parentPort!.postMessage({ ok: false, error: { code: e.code, messages: e.messages, status: e.status } } satisfies ImportReply);
  },
);
