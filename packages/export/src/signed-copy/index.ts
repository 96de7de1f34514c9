/**
 * Reading an uploaded signed copy: is it really a PDF, how many pages, and does its text carry the
 * final version's hash text (the export prints "version N · SHA-256 <first 12 hex>" on every page and the
 * full hash on the cover and the signature page)? The PDF is parsed with pdfjs-dist in a worker thread
 * with a time and heap limit, one at a time per slot, so a hostile file costs a worker, never the
 * server's event loop.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The worker beside this module: the source (tests, tsx) or the compiled one in dist/ (scripts/build-server.mjs). */
function workerUrl(): URL {
  for (const rel of ['./extract-worker.mjs', './signed-copy-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error('signed-copy text worker not found beside ' + import.meta.url);
}

export type SignedCopyErrorCode = 'not-a-pdf' | 'pdf-unreadable' | 'pdf-too-many-pages' | 'pdf-too-complex' | 'file-too-large' | 'busy';

export class SignedCopyError extends Error {
  constructor(
    readonly code: SignedCopyErrorCode,
    readonly status: 413 | 415 | 422 | 503,
    message: string,
  ) {
    super(message);
  }
}

export interface PdfTextLimits {
  maxBytes: number;
  /** Default 500 pages. */
  maxPages?: number;
  /** The worker is terminated after this long (default 30 s). */
  timeoutMs?: number;
  /** Worker heap (default 512 MB). */
  memoryMb?: number;
}

/** A PDF starts with "%PDF-" within its first 1024 bytes (ISO 32000-1, 7.5.2). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

/** Throws SignedCopyError unless the bytes are a plausible PDF within the size cap. */
export function checkPdf(bytes: Uint8Array, maxBytes: number): void {
  if (bytes.byteLength > maxBytes) throw new SignedCopyError('file-too-large', 413, `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  if (bytes.byteLength < 8 || !looksLikePdf(bytes)) {
    throw new SignedCopyError('not-a-pdf', 415, 'the file is not a PDF: upload the signed agreement as a PDF (scan it to PDF, or download the PDF from your e-signature service)');
  }
}

let running = 0;
const MAX_CONCURRENT = 2;
const MAX_WAITING = 8;
const waiting: Array<() => void> = [];

async function acquire(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running++;
    return;
  }
  if (waiting.length >= MAX_WAITING) throw new SignedCopyError('busy', 503, 'too many signed copies are being read right now; try again in a minute');
  await new Promise<void>((resolve) => waiting.push(resolve));
}
function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** The PDF's text (pages joined by newlines) and page count, read in a worker thread. */
export async function extractPdfText(bytes: Uint8Array, limits: PdfTextLimits): Promise<{ pages: number; text: string }> {
  checkPdf(bytes, limits.maxBytes);
  await acquire();
  try {
    return await runWorker(bytes, limits);
  } finally {
    release();
  }
}

function runWorker(bytes: Uint8Array, limits: PdfTextLimits): Promise<{ pages: number; text: string }> {
  const worker = new Worker(workerUrl(), {
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb ?? 512 },
  });
  worker.unref();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new SignedCopyError('pdf-too-complex', 422, 'the PDF took too long to read; upload a simpler PDF (e.g. scanned at a lower resolution)'))),
      limits.timeoutMs ?? 30_000,
    );
    worker.on('message', (reply: { ok: true; pages: number; text: string } | { ok: false; code: SignedCopyErrorCode; detail: string }) => {
      finish(() => {
        if (reply.ok) resolve({ pages: reply.pages, text: reply.text });
        else if (reply.code === 'pdf-too-many-pages') reject(new SignedCopyError('pdf-too-many-pages', 422, `the PDF has too many pages (${reply.detail}); at most ${limits.maxPages ?? 500}`));
        else reject(new SignedCopyError('pdf-unreadable', 422, 'the file starts like a PDF but cannot be read as one; export or scan it again and upload the new file'));
      });
    });
    worker.on('error', (err) => finish(() => reject(new SignedCopyError('pdf-too-complex', 422, `the PDF could not be read within the limits (${String(err.message).slice(0, 100)})`))));
    worker.on('exit', () => finish(() => reject(new SignedCopyError('pdf-too-complex', 422, 'the PDF could not be read within the limits'))));
    const copy = new Uint8Array(bytes); // the worker gets its own copy
    worker.postMessage({ pdf: copy, maxPages: limits.maxPages ?? 500 }, [copy.buffer]);
  });
}

/** Whether the text carries the version's hash: the full hash, or the footer's "SHA-256 <12 hex>". */
export function textMatchesHash(text: string, hash: string): boolean {
  const squashed = text.replace(/\s+/g, '').toLowerCase();
  const h = hash.toLowerCase();
  return squashed.includes(h) || squashed.includes(`sha-256${h.slice(0, 12)}`);
}
