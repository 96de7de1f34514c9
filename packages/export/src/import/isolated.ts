/**
 * Runs proposeImport in worker threads with a time and heap limit, a few files at a time. A worker that
 * overruns its time, runs out of heap or fails in any way but refusing the file is terminated and takes all
 * its memory with it. Workers that answered are kept warm for the next file (a cold worker parses the largest
 * allowed file several times slower), up to 100 files each and for a minute of idleness.
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
  /** The same, as the proposal's JSON text: nothing large is parsed or serialised on the calling thread. */
  proposeJson(docx: Uint8Array, template: Template, limits: IsolatedImportLimits): Promise<string>;
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
  const proposeJson = async (docx: Uint8Array, template: Template, limits: IsolatedImportLimits): Promise<string> => {
    // Plainly wrong files (empty, too large, not a zip) need no worker.
    const buf = checkDocxBuffer(docx, limits.maxBytes);
    await acquire();
    try {
      return await runWorker(buf, template, limits);
    } finally {
      release();
    }
  };
  return {
    get running() {
      return running;
    },
    proposeJson,
    propose: async (docx, template, limits) => JSON.parse(await proposeJson(docx, template, limits)) as ImportProposal,
  };
}

/** Files one worker parses before it is replaced, and how long an idle worker is kept. */
const JOBS_PER_WORKER = 100;
const IDLE_MS = 60_000;

interface Warm {
  worker: Worker;
  memoryMb: number;
  jobs: number;
  idleTimer?: NodeJS.Timeout;
}
const idle: Warm[] = [];

async function takeWorker(memoryMb: number): Promise<Warm> {
  const i = idle.findIndex((w) => w.memoryMb === memoryMb);
  if (i >= 0) {
    const [w] = idle.splice(i, 1);
    clearTimeout(w!.idleTimer);
    return w!;
  }
  const src = await workerSource();
  const worker = new Worker('file' in src ? src.file : src.code, {
    eval: !('file' in src),
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
  worker.unref(); // an idle import worker never keeps the process alive
  const w: Warm = { worker, memoryMb, jobs: 0 };
  // Errors go to the job that is running (its own listener); an idle worker that dies leaves the list.
  worker.on('error', () => {});
  worker.on('exit', () => {
    const at = idle.indexOf(w);
    if (at >= 0) idle.splice(at, 1);
    clearTimeout(w.idleTimer);
  });
  return w;
}

function keepWarm(w: Warm): void {
  if (w.jobs >= JOBS_PER_WORKER) return void w.worker.terminate();
  w.idleTimer = setTimeout(() => void w.worker.terminate(), IDLE_MS); // 'exit' takes it off the list
  w.idleTimer.unref();
  idle.push(w);
}

async function runWorker(buf: Buffer, template: Template, limits: IsolatedImportLimits): Promise<string> {
  const { timeoutMs, memoryMb, ...parse } = limits;
  const w = await takeWorker(memoryMb);
  w.jobs++;
  const docx = new Uint8Array(buf); // an own copy: its memory moves to the worker
  const job: ImportJob = { docx, template, limits: parse };
  const { worker } = w;
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void, reuse: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reuse) keepWarm(w);
      else void worker.terminate();
      fn();
    };
    const onMessage = (reply: ImportReply) =>
      settle(() => (reply.ok ? resolve(reply.json) : reject(new ImportError(reply.error.code, reply.error.messages, reply.error.status))), true);
    const onError = (err: Error & { code?: string }) =>
      settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? importErrors.memoryLimit(memoryMb) : err), false);
    const onExit = (code: number) => settle(() => reject(new Error(`import worker exited (${code}) without an answer`)), false);
    const timer = setTimeout(() => settle(() => reject(importErrors.timeLimit(timeoutMs)), false), timeoutMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(job, [docx.buffer as ArrayBuffer]);
  });
}
