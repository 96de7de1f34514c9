export type ImportErrorCode =
  | 'empty'
  | 'too_large'
  | 'encrypted'
  | 'legacy_doc'
  | 'not_docx'
  | 'corrupt'
  | 'no_content'
  | 'inflated_too_large'
  | 'too_many_parts'
  | 'too_many_paragraphs'
  | 'too_many_headings'
  | 'too_many_tables'
  | 'time_limit'
  | 'memory_limit'
  | 'busy';

/** A file that cannot be imported, with a message in Swedish and English for the person who uploaded it. */
export class ImportError extends Error {
  readonly code: ImportErrorCode;
  readonly messages: { sv: string; en: string };
  /** Suggested HTTP status: 413 for too large, 415 for the wrong kind of file, 503 when busy, 422 otherwise. */
  readonly status: number;

  constructor(code: ImportErrorCode, messages: { sv: string; en: string }, status: number) {
    super(messages.en);
    this.name = 'ImportError';
    this.code = code;
    this.messages = messages;
    this.status = status;
  }
}

export const DEFAULT_MAX_IMPORT_BYTES = 10 * 1024 * 1024;

const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
/** 20000 → "20 000" (Swedish digit grouping; readable in both languages). */
const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

/** "The document has more than N <what>" in both languages; `limit` names the configured cap. */
function tooMany(code: ImportErrorCode, sv: string, en: string, limit: number): ImportError {
  return new ImportError(
    code,
    {
      sv: `Dokumentet har fler än ${count(limit)} ${sv}, vilket är den största tillåtna mängden vid import. Dela upp dokumentet eller korta ner det.`,
      en: `The document has more than ${count(limit)} ${en}, the most an import allows. Split the document or shorten it.`,
    },
    422,
  );
}

export const importErrors = {
  empty: () =>
    new ImportError('empty', { sv: 'Filen är tom.', en: 'The file is empty.' }, 422),
  tooLarge: (size: number, max: number) =>
    new ImportError(
      'too_large',
      {
        sv: `Filen är för stor (${mb(size)} MB). Största tillåtna storlek är ${mb(max)} MB.`,
        en: `The file is too large (${mb(size)} MB). The largest allowed size is ${mb(max)} MB.`,
      },
      413,
    ),
  encrypted: () =>
    new ImportError(
      'encrypted',
      {
        sv: 'Filen är lösenordsskyddad (krypterad). Ta bort lösenordet i Word och ladda upp filen igen.',
        en: 'The file is password-protected (encrypted). Remove the password in Word and upload the file again.',
      },
      422,
    ),
  legacyDoc: () =>
    new ImportError(
      'legacy_doc',
      {
        sv: 'Filen är ett äldre Word-dokument (.doc). Spara den som .docx i Word och ladda upp den igen.',
        en: 'The file is an old Word document (.doc). Save it as .docx in Word and upload it again.',
      },
      415,
    ),
  notDocx: () =>
    new ImportError(
      'not_docx',
      {
        sv: 'Filen är inte ett Word-dokument (.docx).',
        en: 'The file is not a Word document (.docx).',
      },
      415,
    ),
  corrupt: () =>
    new ImportError(
      'corrupt',
      {
        sv: 'Word-dokumentet kunde inte läsas. Filen kan vara skadad; öppna och spara den i Word och försök igen.',
        en: 'The Word document could not be read. The file may be damaged; open and save it in Word and try again.',
      },
      422,
    ),
  noContent: () =>
    new ImportError(
      'no_content',
      { sv: 'Dokumentet innehåller ingen text.', en: 'The document contains no text.' },
      422,
    ),
  /** The parts mammoth reads would inflate beyond the cap (declared in the zip, or counted while inflating). */
  inflatedTooLarge: (max: number) =>
    new ImportError(
      'inflated_too_large',
      {
        sv: `Word-dokumentet packas upp till mer än ${mb(max)} MB, vilket är den största tillåtna uppackade storleken vid import.`,
        en: `The Word document unpacks to more than ${mb(max)} MB, the largest unpacked size an import allows.`,
      },
      413,
    ),
  tooManyParts: (max: number) =>
    new ImportError(
      'too_many_parts',
      {
        sv: `Word-dokumentet består av fler än ${count(max)} delar (filer i zip-arkivet), vilket är det största tillåtna antalet vid import.`,
        en: `The Word document consists of more than ${count(max)} parts (files in the zip archive), the most an import allows.`,
      },
      422,
    ),
  tooManyParagraphs: (max: number) => tooMany('too_many_paragraphs', 'stycken', 'paragraphs', max),
  tooManyHeadings: (max: number) => tooMany('too_many_headings', 'rubriker', 'headings', max),
  tooManyTables: (max: number) => tooMany('too_many_tables', 'tabeller', 'tables', max),
  timeLimit: (ms: number) =>
    new ImportError(
      'time_limit',
      {
        sv: `Dokumentet tog längre tid att läsa än gränsen på ${String(ms / 1000).replace('.', ',')} sekunder och avbröts. Dela upp dokumentet eller förenkla det.`,
        en: `Reading the document took longer than the limit of ${ms / 1000} seconds and was stopped. Split the document or simplify it.`,
      },
      422,
    ),
  memoryLimit: (megabytes: number) =>
    new ImportError(
      'memory_limit',
      {
        sv: `Dokumentet krävde mer minne än gränsen på ${megabytes} MB och avbröts. Dela upp dokumentet eller förenkla det.`,
        en: `Reading the document needed more memory than the limit of ${megabytes} MB and was stopped. Split the document or simplify it.`,
      },
      422,
    ),
  busy: (queued: number) =>
    new ImportError(
      'busy',
      {
        sv: `Servern läser redan ${count(queued)} dokument och tar inte emot fler just nu. Försök igen om en stund.`,
        en: `The server is already reading ${count(queued)} documents and takes no more right now. Try again in a moment.`,
      },
      503,
    ),
};

const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Encrypted OOXML lives in an OLE compound file with an "EncryptionInfo" stream (names are UTF-16LE). */
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo', 'utf16le');

/** Throws an ImportError for a file that is clearly not an importable .docx, before anything parses it. */
export function checkDocxBuffer(buf: Uint8Array, maxBytes = DEFAULT_MAX_IMPORT_BYTES): Buffer {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length === 0) throw importErrors.empty();
  if (b.length > maxBytes) throw importErrors.tooLarge(b.length, maxBytes);
  if (b.length >= 8 && b.subarray(0, 8).equals(OLE_SIGNATURE)) {
    throw b.includes(ENCRYPTION_INFO) ? importErrors.encrypted() : importErrors.legacyDoc();
  }
  if (b.length < 4 || !b.subarray(0, 4).equals(ZIP_SIGNATURE)) throw importErrors.notDocx();
  return b;
}
