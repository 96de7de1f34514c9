import { SOFT_HYPHEN } from './hyphenate.ts';

/** Width of a string in points in the font and size the caller set. */
export type Measure = (text: string) => number;

/**
 * The pieces a line may break between: words (with the space after them) split further at soft
 * hyphens (a break there shows "-") and after hard hyphens and dashes between letters (a break there
 * shows nothing extra; dates and number ranges stay whole).
 */
interface Piece {
  text: string;
  /** The piece ends a word: a break after it needs no hyphen and drops the space. */
  space: boolean;
  /** A break after this piece prints a hyphen (soft hyphen point). */
  hyphen: boolean;
}

function pieces(paragraph: string): Piece[] {
  const out: Piece[] = [];
  for (const word of paragraph.split(/ +/).filter(Boolean)) {
    // After a soft hyphen, or a hyphen or dash between letters ("IOP-avtal"); never inside "2029-06-30" or "15–18".
    const parts = word.split(/(?<=\u00ad|\p{L}[-–](?=\p{L}))/u);
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const soft = part.endsWith(SOFT_HYPHEN);
      out.push({ text: soft ? part.slice(0, -1) : part, space: last, hyphen: soft });
    });
  }
  return out;
}

/** A line of a broken cell: its text, and whether the break after it printed a hyphen (the word goes on). */
export interface Line {
  text: string;
  hyphen: boolean;
}

/**
 * Greedy line breaking for table cells: breaks only between words, at soft hyphens (printing "-") and
 * after hyphens already in the text, so a word is never cut where it may not be. A single piece wider
 * than the line (the column was sized for the content, so only when even that failed) is cut by
 * characters with a hyphen, never silently. Hard line breaks ("\n") are kept.
 */
export function breakLines(text: string, width: number, measure: Measure): Line[] {
  const lines: Line[] = [];
  for (const paragraph of text.split('\n')) {
    const ps = pieces(paragraph);
    if (ps.length === 0) {
      lines.push({ text: '', hyphen: false });
      continue;
    }
    let line = '';
    // Whether the line would end with a printed hyphen if it broke after the last piece (a soft hyphen).
    let pendingHyphen = false;
    const flush = () => {
      lines.push({ text: line.trimEnd(), hyphen: pendingHyphen });
      line = '';
      pendingHyphen = false;
    };
    for (const p of ps) {
      const candidate = line + p.text;
      const tail = p.hyphen ? '-' : '';
      if (line === '' || measure(candidate.trimEnd() + tail) <= width) {
        if (line === '' && measure(p.text + tail) > width) {
          // Emergency: the piece alone does not fit; cut it with visible hyphens.
          let rest = p.text;
          while (measure(rest + tail) > width && rest.length > 1) {
            let n = rest.length - 1;
            while (n > 1 && measure(`${rest.slice(0, n)}-`) > width) n--;
            line = rest.slice(0, n);
            pendingHyphen = true;
            flush();
            rest = rest.slice(n);
          }
          line = rest;
        } else {
          line = candidate;
        }
      } else {
        flush();
        line = p.text;
      }
      pendingHyphen = p.hyphen;
      if (p.space) {
        line += ' ';
        pendingHyphen = false;
      }
    }
    flush();
  }
  return lines;
}

/** The lines as printed: a hyphen where a word was broken. */
export function wrapLines(text: string, width: number, measure: Measure): string[] {
  return breakLines(text, width, measure).map((l) => (l.hyphen ? `${l.text}-` : l.text));
}

/** The widest piece that cannot be broken (with its hyphen): the narrowest a column may be. */
export function minContentWidth(text: string, measure: Measure): number {
  let max = 0;
  for (const paragraph of text.split('\n')) {
    for (const p of pieces(paragraph)) max = Math.max(max, measure(p.text + (p.hyphen ? '-' : '')));
  }
  return max;
}

/** The widest hard line, unbroken: the width a column would like. */
export function maxContentWidth(text: string, measure: Measure): number {
  let max = 0;
  for (const line of text.split('\n')) max = Math.max(max, measure(line.replaceAll(SOFT_HYPHEN, '').trim()));
  return max;
}
