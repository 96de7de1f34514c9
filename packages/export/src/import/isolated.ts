/**
 * Runs proposeImport in worker threads with a time and heap limit, a few files at a time. One fresh worker
 * per file: a worker that overruns is terminated and takes all its memory with it, and nothing is shared
 * between uploads.
 *
 * Where the worker comes from:
 * - compiled (scripts/build-server.mjs emits src/import/worker.ts as its own entry): `worker.js` beside this
 *   module, or `import/worker.js` beside the bundle this module was bundled into (packages/export/dist/);
 * - TypeScript sources (vitest, tsx): Node 20 cannot apply tsx's loader inside worker threads, so worker.ts
 *   is bundled once per process with esbuild (a dev dependency) into CommonJS and run with `eval`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Template } from '@overens/model';
import { checkDocxBuffer, ImportError, importErrors } from './errors.ts';
import type { ImportLimits } from './limits.ts';
import type { ImportProposal } from './propose.ts';
import type { ImportJob, ImportReply } from './worker.ts';

export interface IsolatedImportLimits extends ImportLimits {
  /** The worker is terminated after this long (start-up included). */
  timeoutMs: number;
  /** Old-generation heap of the worker (V8 resourceLimits.maxOldGenerationSizeMb). */
  memoryMb: number;
}

/** Imports that may wait per worker slot before new ones are refused with 503. */
const QUEUE_PER_WORKER = 8;

type WorkerSource = { file: URL } | { code: string };
let source: Promise<WorkerSource> | undefined;

function workerSource(): Promise<WorkerSource> {
  source ??= (async () => {
    for (const rel of ['./worker.js', './import/worker.js']) {
      const url = new URL(rel, import.meta.url);
      if (existsSync(fileURLToPath(url))) return { file: url };
    }
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    return { code: out.outputFiles[0]!.text };
  })();
  source.catch(() => (source = undefined)); // a failed build is retried by the next import
  return source;
}

export interface ImportPool {
  /** Checks size and signature here, then parses and matches in a worker. Throws ImportError. */
  propose(docx: Uint8Array, template: Template, limits: IsolatedImportLimits): Promise<ImportProposal>;
  /** Workers running now. */
  readonly running: number;
}

/** A pool of at most `workers` concurrent import workers; up to 8 imports per worker wait, more get `busy`. */
export function createImportPool(workers: number, queuePerWorker = QUEUE_PER_WORKER): ImportPool {
  let running = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (): Promise<void> => {
    if (running < workers) {
      running++;
      return;
    }
    if (waiting.length >= workers * queuePerWorker) throw importErrors.busy(running + waiting.length);
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next(); // the slot passes on
    else running--;
  };
  return {
    get running() {
      return running;
    },
    async propose(docx, template, limits) {
      // Plainly wrong files (empty, too large, not a zip) need no worker.
      const buf = checkDocxBuffer(docx, limits.maxBytes);
      await acquire();
      try {
        return await runWorker(buf, template, limits);
      } finally {
        release();
      }
    },
  };
}

async function runWorker(buf: Buffer, template: Template, limits: IsolatedImportLimits): Promise<ImportProposal> {
  const { timeoutMs, memoryMb, ...parse } = limits;
  const src = await workerSource();
  const docx = new Uint8Array(buf); // an own copy: its memory moves to the worker
  const job: ImportJob = { docx, template, limits: parse };
  return new Promise<ImportProposal>((resolve, reject) => {
    const worker = new Worker('file' in src ? src.file : src.code, {
      eval: !('file' in src),
      workerData: job,
      transferList: [docx.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(importErrors.timeLimit(timeoutMs))), timeoutMs);
    worker.once('message', (reply: ImportReply) =>
      settle(() => (reply.ok ? resolve(reply.proposal) : reject(new ImportError(reply.error.code, reply.error.messages, reply.error.status)))),
    );
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? importErrors.memoryLimit(memoryMb) : err)),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`import worker exited (${code}) without an answer`))));
  });
}
