import type { PartySnapshot, PeriodSnapshot, RichNode, RichMark } from '@overens/model';

const sek = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 });

/** "1 250 000 kr" (with no-break spaces, as Swedish typesetting wants). */
export function formatSek(value: number | null): string {
  return value == null ? '–' : `${sek.format(value).replace(/\s/g, '\u00a0')}\u00a0kr`;
}

export function formatNumber(value: number | null): string {
  return value == null ? '' : sek.format(value).replace(/\s/g, '\u00a0');
}

export function formatDate(iso: string | null): string {
  return iso ?? '–';
}

export function formatPeriod(start: string | null, end: string | null): string {
  if (!start && !end) return '–';
  return `${start ?? '…'} – ${end ?? '…'}`;
}

export function periodLines(period: PeriodSnapshot): Array<[string, string]> {
  return [
    ['Avtalsperiod', formatPeriod(period.start, period.end)],
    ['Uppsägningstid', period.noticeMonths == null ? '–' : `${period.noticeMonths} månader`],
    ['Omförhandling påbörjas senast', formatDate(period.renegotiationBy)],
  ];
}

export function partyName(parties: readonly PartySnapshot[], id: string | null): string {
  if (!id) return '–';
  return parties.find((p) => p.id === id)?.name ?? '–';
}

/* ----- rich text helpers shared by the renderers ----- */

export interface InlineRun {
  text: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  code: boolean;
  link: string | null;
  /** An open suggestion this text belongs to (marked drafts; see suggestions.ts). */
  suggestion: { kind: 'insertion' | 'deletion'; id: string } | null;
}

function hasMark(marks: readonly RichMark[] | undefined, type: string): RichMark | undefined {
  return marks?.find((m) => m.type === type);
}

/** The inline content of a paragraph or heading as styled runs; hard breaks become "\n". */
export function inlineRuns(node: RichNode): InlineRun[] {
  const runs: InlineRun[] = [];
  const walk = (n: RichNode): void => {
    if (n.type === 'text' && n.text) {
      const link = hasMark(n.marks, 'link');
      const href = link?.attrs?.['href'];
      const ins = hasMark(n.marks, 'insertion');
      const del = ins ? undefined : hasMark(n.marks, 'deletion');
      const sug = ins ?? del;
      runs.push({
        text: n.text,
        bold: !!hasMark(n.marks, 'bold'),
        italic: !!hasMark(n.marks, 'italic'),
        // As Word shows tracked changes: insertions underlined, deletions struck through.
        underline: !!hasMark(n.marks, 'underline') || !!ins,
        strike: !!hasMark(n.marks, 'strike') || !!del,
        code: !!hasMark(n.marks, 'code'),
        link: typeof href === 'string' && href ? href : null,
        suggestion: sug ? { kind: ins ? 'insertion' : 'deletion', id: String(sug.attrs?.['id'] ?? '') } : null,
      });
    } else if (n.type === 'hardBreak') {
      runs.push({ text: '\n', bold: false, italic: false, underline: false, strike: false, code: false, link: null, suggestion: null });
    } else {
      for (const c of n.content ?? []) walk(c);
    }
  };
  for (const c of node.content ?? []) walk(c);
  return runs;
}

/** All text in a node, blocks separated by newlines. */
export function plainText(node: RichNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const parts = (node.content ?? []).map(plainText);
  const isBlockContainer = (node.content ?? []).some((c) => c.type !== 'text' && c.type !== 'hardBreak');
  return parts.join(isBlockContainer ? '\n' : '');
}

/** True when a body has no text at all (an untouched section). */
export function isEmptyBody(node: RichNode): boolean {
  return plainText(node).trim() === '' && !(node.content ?? []).some((c) => c.type === 'table');
}
