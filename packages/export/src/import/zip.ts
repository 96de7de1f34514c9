/**
 * A zip reader with an inflation budget, in the shape mammoth reads a .docx through (`exists`, `read`).
 * JSZip (mammoth's own reader) inflates whatever the archive holds; here the central directory is read
 * first, an entry whose declared size exceeds what is left of the budget is refused before inflating, and
 * the actual inflated bytes are capped while inflating (a zip may lie about its sizes).
 */
import { inflateRawSync } from 'node:zlib';
import { importErrors } from './errors.ts';

interface Entry {
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The central directory: entry name → where its data is. Throws ImportError for anything malformed. */
function readDirectory(buf: Buffer, maxParts: number): Map<string, Entry> {
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw importErrors.notDocx();
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  // zip64 markers: no Word document under the upload cap needs them.
  if (count === 0xffff || offset === 0xffffffff || size === 0xffffffff) throw importErrors.corrupt();
  if (count > maxParts) throw importErrors.tooManyParts(maxParts);
  if (offset + size > eocd) throw importErrors.corrupt();

  const entries = new Map<string, Entry>();
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) throw importErrors.corrupt();
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const declaredSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    if (flags & 0x1) throw importErrors.encrypted();
    if (entries.has(name)) throw importErrors.corrupt();
    entries.set(name, { method, compressedSize, declaredSize, localOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export class BoundedZip {
  private readonly entries: Map<string, Entry>;
  /** Inflated bytes handed out so far. */
  inflated = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly limits: { maxInflatedBytes: number; maxParts: number },
  ) {
    this.entries = readDirectory(buf, limits.maxParts);
  }

  exists(name: string): boolean {
    return this.entries.has(name);
  }

  /** The inflated bytes of one part, counted against the budget. */
  bytes(name: string): Buffer {
    const e = this.entries.get(name);
    if (!e) throw importErrors.corrupt();
    const budget = this.limits.maxInflatedBytes - this.inflated;
    if (e.declaredSize > budget) throw importErrors.inflatedTooLarge(this.limits.maxInflatedBytes);
    const b = this.buf;
    if (e.localOffset + 30 > b.length || b.readUInt32LE(e.localOffset) !== LOCAL) throw importErrors.corrupt();
    const start = e.localOffset + 30 + b.readUInt16LE(e.localOffset + 26) + b.readUInt16LE(e.localOffset + 28);
    if (start + e.compressedSize > b.length) throw importErrors.corrupt();
    const raw = b.subarray(start, start + e.compressedSize);
    let out: Buffer;
    if (e.method === 0) {
      if (raw.length > budget) throw importErrors.inflatedTooLarge(this.limits.maxInflatedBytes);
      out = raw;
    } else if (e.method === 8) {
      try {
        // zlib checks maxOutputLength after every output chunk and stops there: a bomb is cut off after
        // at most the remaining budget (plus one chunk) of inflated bytes, never inflated in full.
        out = inflateRawSync(raw, { maxOutputLength: Math.max(1, budget), chunkSize: 64 * 1024 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw importErrors.inflatedTooLarge(this.limits.maxInflatedBytes);
        throw importErrors.corrupt();
      }
    } else {
      throw importErrors.corrupt();
    }
    this.inflated += out.length;
    return out;
  }

  /** mammoth's zip interface: `read(name, "utf-8")` for XML, `read(name, "base64")` or raw bytes for media. */
  read(name: string, encoding?: string): Promise<string | Uint8Array> {
    try {
      const bytes = this.bytes(name);
      if (encoding === 'base64') return Promise.resolve(bytes.toString('base64'));
      if (encoding) return Promise.resolve(new TextDecoder(encoding).decode(bytes));
      return Promise.resolve(new Uint8Array(bytes));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
