/**
 * Worker-thread entry of the DOCX import (started by isolated.ts): unzips, parses and matches files off the
 * main thread, so a hostile file costs this thread's time and heap, not the server's event loop.
 * Each message is one job { docx, template, limits }; each answer { ok: true, json } | { ok: false, error }.
 * The proposal is sent as JSON text: the parent copies one string instead of rebuilding a large object graph
 * on its own thread. No top-level await and no import.meta: in development this runs as a CommonJS bundle.
 */
import { parentPort } from 'node:worker_threads';
import type { Template } from '@overens/model';
import { ImportError, type ImportErrorCode } from './errors.ts';
import type { ImportLimits } from './limits.ts';
import { proposeImport } from './propose.ts';

export interface ImportJob {
  docx: Uint8Array;
  template: Template;
  limits: ImportLimits;
}

export type ImportReply =
  | { ok: true; json: string }
  | { ok: false; error: { code: ImportErrorCode; messages: { sv: string; en: string }; status: number } };

parentPort!.on('message', (job: ImportJob) => {
  proposeImport(job.docx, job.template, job.limits).then(
    (proposal) => parentPort!.postMessage({ ok: true, json: JSON.stringify(proposal) } satisfies ImportReply),
    (e: unknown) => {
      // Anything but a refused file is a bug: rethrown, it reaches the parent as the worker's 'error'.
      if (!(e instanceof ImportError)) throw e;
      parentPort!.postMessage({ ok: false, error: { code: e.code, messages: e.messages, status: e.status } } satisfies ImportReply);
    },
  );
});
