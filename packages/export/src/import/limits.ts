import { importErrors } from './errors.ts';

/**
 * What one import may cost. Every cap is checked before the expensive step it bounds: the compressed size
 * before unzipping, the inflated size while inflating, paragraphs and tables on the raw XML before mammoth
 * builds its document tree, headings before matching.
 */
export interface ImportLimits {
  /** Size of the uploaded .docx (compressed). */
  maxBytes: number;
  /** Total inflated bytes of the zip parts the import reads (declared sizes and actual bytes). */
  maxInflatedBytes: number;
  /** Files in the zip archive. */
  maxParts: number;
  /** `w:p` elements in the parts read (body, footnotes, endnotes, comments; table cells included). */
  maxParagraphs: number;
  /** Headings that become sections or sub-headings. */
  maxHeadings: number;
  /** `w:tbl` elements. */
  maxTables: number;
}

export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = {
  maxBytes: 10 * 1024 * 1024,
  maxInflatedBytes: 32 * 1024 * 1024,
  maxParts: 1000,
  maxParagraphs: 10_000,
  maxHeadings: 1_000,
  maxTables: 200,
};

// Any namespace prefix: a hostile file need not call WordprocessingML "w".
// XML names may use almost any Unicode letter (<ä:p xmlns:ä="…">), so the prefix is anything up to a colon.
const PARAGRAPH = /<(?:[^\s<>/:!?]+:)?p[\s/>]/g;
const TABLE = /<(?:[^\s<>/:!?]+:)?tbl[\s/>]/g;

function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

/** Counts paragraphs and tables across the XML parts read so far; throws once a cap is exceeded. */
export class ContentCounter {
  paragraphs = 0;
  tables = 0;
  constructor(private readonly limits: Pick<ImportLimits, 'maxParagraphs' | 'maxTables'>) {}

  add(xml: string): void {
    this.paragraphs += countMatches(PARAGRAPH, xml);
    if (this.paragraphs > this.limits.maxParagraphs) throw importErrors.tooManyParagraphs(this.limits.maxParagraphs);
    this.tables += countMatches(TABLE, xml);
    if (this.tables > this.limits.maxTables) throw importErrors.tooManyTables(this.limits.maxTables);
  }
}
