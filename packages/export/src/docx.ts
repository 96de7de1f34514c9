import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type FileChild,
  type ParagraphChild,
} from 'docx';
import { printedSignatories, safeLinkHref, type AgreementSnapshot, type PartySnapshot, type RichNode } from '@overens/model';
import { columnNeed, fitColumns } from './columns.ts';
import { CONTACT_COLUMNS, CONTACTS_HEADING, contactRows, contactsSectionIndex } from './contacts.ts';
import { docxMeasure } from './docx-measure.ts';
import {
  formatDate,
  formatNumber,
  formatPeriod,
  formatSek,
  inlineRuns,
  isEmptyBody,
  partyName,
  periodLines,
  plainText,
  type InlineRun,
} from './format.ts';
import {
  attachmentLetter,
  CHECKLIST_ANSWER_LABEL,
  CHECKLIST_LABEL,
  CHECKLIST_ORDER,
  CONTRIBUTION_KIND_LABEL,
  countWord,
  FOLLOW_UP_LABEL,
  GENERATED_HEADINGS,
  PARTY_KIND_LABEL,
} from './labels.ts';
import { amendsText, footerPrefix, partyVerificationSuffix, versionText, type ExportMeta } from './meta.ts';
import { buildOutline, headingText, summariseContributions, type OutlineEntry } from './outline.ts';
import { LEGEND_HEADING, LEGEND_TEXT, legendLine, prepareSuggestions, type PreparedSuggestions } from './suggestions.ts';

export const BODY_FONT = 'Cambria';
export const HEAD_FONT = 'Calibri';
export const ACCENT = '1F3A5F';
export const MUTED = '5A636E';
export const RULE = 'AAB3BF';
export const FILL = 'E9EEF4';
const FILL_SOFT = 'F4F6F9';
/** A4 text width in twentieths of a point: 11906 − 2 × 1418 (2.5 cm margins). */
export const TEXT_WIDTH = 11906 - 2 * 1418;
/** Table text size (half-points, as TableText) and cell margins (twips, left + right). */
const TABLE_SIZE = 18;
const CELL_MARGIN = 90;

/**
 * Renders the agreement as a Word document with real heading styles (Title, Heading1–3), tables with
 * repeating header rows (tableHeader) and columns sized for their content, page-number fields, Swedish
 * as the document language and automatic hyphenation on (Word hyphenates with its Swedish dictionary;
 * no soft hyphens are written, so text imported back from the file stays clean). A draft says UTKAST
 * in its header and on its cover; a signing version has no draft mark anywhere.
 */
export async function renderDocx(
  snapshot: AgreementSnapshot,
  meta: ExportMeta,
  /** Another document in the same style (the follow-up report): its subject and its builder. */
  options: { subject?: string; builder?: (s: AgreementSnapshot, meta: ExportMeta) => Pick<DocxBuilder, 'header' | 'footer' | 'body'> } = {},
): Promise<Buffer> {
  const b = options.builder ? options.builder(snapshot, meta) : new DocxBuilder(snapshot, meta);
  const doc = new Document({
    title: snapshot.title,
    subject: options.subject ?? 'Överenskommelse om idéburet offentligt partnerskap (IOP)',
    creator: snapshot.parties.map((p) => p.name).join(', ') || 'Överens',
    lastModifiedBy: 'Överens',
    keywords: `IOP, idéburet offentligt partnerskap, ${versionText(meta)}, SHA-256 ${meta.hash}`,
    description: `${meta.versionLabel}, ${meta.date}. SHA-256 ${meta.hash}`,
    features: { updateFields: true },
    hyphenation: { autoHyphenation: true },
    styles: {
      default: {
        // lineRule auto spelled out: without it LibreOffice reads the line spacing as exact and lines overlap.
        document: {
          run: { font: BODY_FONT, size: 22, language: { value: 'sv-SE' } },
          paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
        },
        title: { run: { font: BODY_FONT, size: 48, bold: true, color: '1B1F24' }, paragraph: { spacing: { after: 240 } } },
        heading1: {
          run: { font: HEAD_FONT, size: 30, bold: true, color: ACCENT },
          paragraph: {
            spacing: { before: 360, after: 140 },
            keepNext: true,
            border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: RULE, space: 2 } },
          },
        },
        heading2: {
          run: { font: HEAD_FONT, size: 24, bold: true, color: '1B1F24' },
          paragraph: { spacing: { before: 200, after: 80 }, keepNext: true },
        },
        heading3: {
          run: { font: HEAD_FONT, size: 22, bold: true, italics: true, color: '1B1F24' },
          paragraph: { spacing: { before: 160, after: 60 }, keepNext: true },
        },
      },
      paragraphStyles: [
        {
          id: 'Muted',
          name: 'Muted',
          basedOn: 'Normal',
          run: { color: MUTED, size: 19, font: HEAD_FONT },
        },
        {
          id: 'TableText',
          name: 'Table Text',
          basedOn: 'Normal',
          run: { font: HEAD_FONT, size: TABLE_SIZE },
          paragraph: { spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO } },
        },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'bullets',
          levels: [0, 1, 2].map((level) => ({
            level,
            format: LevelFormat.BULLET,
            text: level === 1 ? '–' : '•',
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 300 } } },
          })),
        },
        {
          reference: 'numbers',
          levels: [0, 1, 2].map((level) => ({
            level,
            format: level === 1 ? LevelFormat.LOWER_LETTER : LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 300 } } },
          })),
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1418, bottom: 1418, left: 1418, right: 1418, header: 708, footer: 708 },
          },
        },
        headers: { default: b.header() },
        footers: { default: b.footer() },
        children: b.body(),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The agreement's Word builder; its header, footer, table and paragraph helpers are shared with other documents in the same style. */
export class DocxBuilder {
  private readonly outline: OutlineEntry[];
  private listInstance = 0;
  /** The snapshot as written: open suggestions marked or left out (suggestions.ts). */
  protected readonly s: AgreementSnapshot;
  protected readonly suggestions: PreparedSuggestions;

  constructor(
    snapshot: AgreementSnapshot,
    protected readonly meta: ExportMeta,
  ) {
    this.suggestions = prepareSuggestions(snapshot, meta);
    this.s = this.suggestions.snapshot;
    this.outline = buildOutline(this.s);
  }

  header(): Header {
    const children: Paragraph[] = [];
    if (this.meta.mode === 'draft') {
      children.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new TextRun({ text: 'UTKAST', bold: true, size: 32, color: 'B0B7C0', font: HEAD_FONT, characterSpacing: 120 }),
            new TextRun({ text: ' – inte för underskrift', size: 18, color: MUTED, font: HEAD_FONT }),
          ],
        }),
      );
    }
    children.push(
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
        children: [
          new TextRun({ text: this.s.title, size: 16, color: MUTED, font: HEAD_FONT }),
          ...(this.meta.diarienummer
            ? [new TextRun({ text: `\tDnr ${this.meta.diarienummer}`, size: 16, color: MUTED, font: HEAD_FONT })]
            : []),
        ],
      }),
    );
    return new Header({ children });
  }

  footer(): Footer {
    const run = (text: string) => new TextRun({ text, size: 16, color: MUTED, font: HEAD_FONT });
    return new Footer({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          border: { top: { style: BorderStyle.SINGLE, size: 4, color: RULE, space: 4 } },
          children: [
            run(`${footerPrefix(this.meta)} · sida `),
            new TextRun({ children: [PageNumber.CURRENT], size: 16, color: MUTED, font: HEAD_FONT }),
            run(' av '),
            new TextRun({ children: [PageNumber.TOTAL_PAGES], size: 16, color: MUTED, font: HEAD_FONT }),
          ],
        }),
      ],
    });
  }

  body(): FileChild[] {
    const out: FileChild[] = [...this.cover()];
    out.push(
      new Paragraph({
        children: [new PageBreak(), new TextRun({ text: GENERATED_HEADINGS.toc, font: HEAD_FONT, size: 32, bold: true, color: ACCENT })],
        spacing: { after: 240 },
      }),
      new TableOfContents(GENERATED_HEADINGS.toc, { hyperlink: true, headingStyleRange: '1-1' }),
      new Paragraph({ children: [new PageBreak()] }),
    );
    out.push(...this.suggestionLegend());
    for (const entry of this.outline) {
      switch (entry.kind) {
        case 'section': {
          const section = this.s.sections[entry.sectionIndex!]!;
          out.push(this.heading(entry));
          if (isEmptyBody(section.body)) out.push(this.muted('(Avsnittet saknar text.)'));
          else out.push(...this.blocks(section.body.content ?? [], 0));
          if (entry.sectionIndex === contactsSectionIndex(this.s)) out.push(...this.contacts());
          break;
        }
        case 'goals':
          out.push(this.heading(entry), ...this.goals());
          break;
        case 'contributions':
          out.push(this.heading(entry), ...this.contributions());
          break;
        case 'suitability':
          out.push(this.heading(entry), ...this.suitability());
          break;
        case 'attachments':
          out.push(this.heading(entry), ...this.attachments());
          break;
        case 'signatures':
          out.push(this.heading(entry, true), ...this.signatures());
          break;
      }
    }
    return out;
  }

  /* ----- pieces ----- */

  private heading(entry: OutlineEntry, pageBreakBefore = false): Paragraph {
    return new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore, children: [new TextRun(headingText(entry))] });
  }

  protected subheading(text: string): Paragraph {
    return new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(text)] });
  }

  protected para(text: string, opts: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}): Paragraph {
    return new Paragraph({ children: [new TextRun({ text, ...opts })] });
  }

  protected muted(text: string): Paragraph {
    return new Paragraph({ style: 'Muted', children: [new TextRun({ text, italics: true })] });
  }

  private cover(): FileChild[] {
    const out: FileChild[] = [];
    out.push(
      new Paragraph({
        spacing: { before: 1200, after: 240 },
        children: [new TextRun({ text: 'IDÉBURET OFFENTLIGT PARTNERSKAP', font: HEAD_FONT, bold: true, size: 19, color: ACCENT, characterSpacing: 30 })],
      }),
      new Paragraph({ children: [new TextRun({ text: 'Överenskommelse', size: 26, color: MUTED })], spacing: { after: 60 } }),
      new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(this.s.title || 'Namnlös överenskommelse')] }),
      new Paragraph({
        spacing: { before: 360, after: 120 },
        children: [new TextRun({ text: 'MELLAN PARTERNA', font: HEAD_FONT, bold: true, size: 17, color: MUTED, characterSpacing: 20 })],
      }),
    );
    this.s.parties.forEach((p, i) => {
      if (i > 0) out.push(new Paragraph({ children: [new TextRun({ text: 'och', italics: true, color: MUTED })], spacing: { after: 60 } }));
      out.push(
        new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: p.name || 'Namnlös part', bold: true, size: 26 })] }),
        new Paragraph({
          style: 'Muted',
          children: [new TextRun(`${PARTY_KIND_LABEL[p.kind]} · organisationsnummer ${p.orgNumber || '–'}${partyVerificationSuffix(this.meta, p.id)}`)],
        }),
      );
    });
    const facts: Array<[string, string]> = [
      ...periodLines(this.s.period),
      ['Version', this.meta.versionLabel],
      ...(amendsText(this.meta) ? [['Ändrar', amendsText(this.meta)!] as [string, string]] : []),
      ['Datum', this.meta.date],
      ['Kontrollsumma (SHA-256)', this.meta.hash],
      ['Kommunens diarienummer', this.meta.diarienummer ?? ''],
    ];
    out.push(new Paragraph({ spacing: { before: 240 }, children: [] }));
    const rows = facts.map(
      ([label, value]) =>
        new TableRow({
          children: [
            this.cell(label, 2600, { color: MUTED }),
            this.cell(value, TEXT_WIDTH - 2600, label.startsWith('Kontrollsumma') ? { font: 'Consolas', size: 16 } : {}),
          ],
        }),
    );
    out.push(new Table({ rows, width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: [2600, TEXT_WIDTH - 2600] }));
    out.push(
      new Paragraph({
        spacing: { before: 480 },
        children: [
          new TextRun({
            text:
              this.meta.mode === 'signing'
                ? `Slutlig ${versionText(this.meta)} – för underskrift. Innehållet är godkänt av samtliga parter och låst.`
                : 'Arbetsexemplar – inte för underskrift. Texten kan fortfarande ändras.',
            font: HEAD_FONT,
            bold: true,
            size: 19,
            color: this.meta.mode === 'signing' ? ACCENT : '8A2B1D',
          }),
        ],
      }),
    );
    return out;
  }

  protected cell(
    text: string,
    width: number,
    opts: { bold?: boolean; color?: string; fill?: string; align?: 'left' | 'right'; font?: string; size?: number; columnSpan?: number } = {},
  ): TableCell {
    const lines = text.split('\n');
    return new TableCell({
      width: { size: width, type: WidthType.DXA },
      columnSpan: opts.columnSpan,
      shading: opts.fill ? { type: ShadingType.CLEAR, color: 'auto', fill: opts.fill } : undefined,
      margins: { top: 60, bottom: 60, left: CELL_MARGIN, right: CELL_MARGIN },
      children: lines.map(
        (line) =>
          new Paragraph({
            style: 'TableText',
            alignment: opts.align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
            children: [
              new TextRun({
                text: line,
                bold: opts.bold,
                color: opts.color,
                font: opts.font,
                size: opts.size,
              }),
            ],
          }),
      ),
    });
  }

  /** A bordered data table; rows with fewer cells than columns span their first cell over the extra columns. */
  protected table(
    columns: Array<{ header: string; width: number; align?: 'left' | 'right' }>,
    rows: Array<{ cells: string[]; style?: 'normal' | 'group' | 'subtotal' | 'total' }>,
    header = true,
  ): Table {
    const widths = contentWidths(columns, rows, header);
    const trs: TableRow[] = [];
    if (header) {
      trs.push(
        new TableRow({
          tableHeader: true,
          cantSplit: true,
          children: columns.map((c, i) => this.cell(c.header, widths[i]!, { bold: true, color: ACCENT, fill: FILL, align: c.align })),
        }),
      );
    }
    for (const row of rows) {
      const style = row.style ?? 'normal';
      const span = columns.length - row.cells.length;
      const fill = style === 'group' ? FILL_SOFT : style === 'total' ? FILL : undefined;
      const bold = style !== 'normal';
      trs.push(
        new TableRow({
          cantSplit: true,
          children: row.cells.map((text, i) => {
            const colIndex = i === 0 ? 0 : i + span;
            const width = i === 0 ? widths.slice(0, span + 1).reduce((a, b) => a + b, 0) : widths[colIndex]!;
            return this.cell(text, width, {
              bold,
              fill,
              align: columns[colIndex]?.align,
              columnSpan: i === 0 && span > 0 ? span + 1 : undefined,
            });
          }),
        }),
      );
    }
    const border = { style: BorderStyle.SINGLE, size: 4, color: RULE };
    return new Table({
      rows: trs,
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    });
  }

  /** Marked drafts with open suggestions: what underlined and struck-through text means, and whose colour is whose. */
  private suggestionLegend(): FileChild[] {
    const legend = this.suggestions.legend;
    if (legend.length === 0) return [];
    return [
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(LEGEND_HEADING)] }),
      new Paragraph({ children: [new TextRun({ text: LEGEND_TEXT, size: 19 })] }),
      ...legend.map(
        (e) =>
          new Paragraph({
            bullet: { level: 0 },
            children: [new TextRun({ text: legendLine(e), bold: true, size: 19, color: e.colour.replace('#', '').toUpperCase() })],
          }),
      ),
    ];
  }

  /* ----- rich text ----- */

  private inline(runs: InlineRun[]): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const r of runs) {
      if (r.text === '\n') {
        out.push(new TextRun({ text: '', break: 1 }));
        continue;
      }
      const parts = r.text.split('\n');
      // An external hyperlink only for an address the link rule accepts; anything else is plain text.
      const link = safeLinkHref(r.link);
      const mk = (text: string, brk: boolean) =>
        new TextRun({
          text,
          break: brk ? 1 : undefined,
          bold: r.bold || undefined,
          italics: r.italic || undefined,
          underline: r.underline ? {} : undefined,
          strike: r.strike || undefined,
          color: r.suggestion && !link ? this.suggestions.colourOf(r.suggestion.id).replace('#', '').toUpperCase() : undefined,
          font: r.code ? 'Consolas' : undefined,
          style: link ? 'Hyperlink' : undefined,
        });
      const runsOut = parts.map((t, i) => mk(t, i > 0));
      if (link) out.push(new ExternalHyperlink({ link, children: runsOut }));
      else out.push(...runsOut);
    }
    return out;
  }

  /** `depth` counts the lists around these nodes; `list` numbers the first paragraph of a list item. */
  private blocks(nodes: readonly RichNode[], depth: number, list?: { ref: string; instance: number; level: number }): FileChild[] {
    const out: FileChild[] = [];
    for (const node of nodes) {
      switch (node.type) {
        case 'paragraph':
          out.push(
            new Paragraph({
              children: this.inline(inlineRuns(node)),
              ...(list
                ? { numbering: { reference: list.ref, level: Math.min(list.level, 2), instance: list.instance } }
                : depth > 0
                  ? { indent: { left: 360 * depth } }
                  : {}),
            }),
          );
          // Only the first paragraph of a list item carries the bullet or number.
          list = undefined;
          break;
        case 'heading': {
          const level = Number(node.attrs?.['level'] ?? 1);
          out.push(
            new Paragraph({
              heading: level <= 1 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3,
              children: this.inline(inlineRuns(node)),
            }),
          );
          break;
        }
        case 'bulletList':
        case 'orderedList': {
          const ref = node.type === 'bulletList' ? 'bullets' : 'numbers';
          const instance = ++this.listInstance;
          for (const item of node.content ?? []) {
            out.push(...this.blocks(item.content ?? [], depth + 1, { ref, instance, level: depth }));
          }
          break;
        }
        case 'listItem':
          out.push(...this.blocks(node.content ?? [], depth));
          break;
        case 'table':
          out.push(this.richTable(node), new Paragraph({ children: [] }));
          break;
        case 'blockquote':
          for (const c of node.content ?? []) {
            out.push(new Paragraph({ indent: { left: 567 }, children: this.inline(inlineRuns(c)) }));
          }
          break;
        case 'codeBlock':
          out.push(new Paragraph({ children: [new TextRun({ text: plainText(node), font: 'Consolas', size: 18 })] }));
          break;
        case 'horizontalRule':
          out.push(new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: RULE, space: 1 } }, children: [] }));
          break;
        default:
          if (node.content) out.push(...this.blocks(node.content, depth));
      }
    }
    return out;
  }

  private richTable(node: RichNode): Table {
    const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
    const ncols = Math.max(1, ...rows.map((r) => (r.content ?? []).length));
    const texts = (i: number, header: boolean) =>
      rows.filter((r) => (r.content ?? []).every((c) => c.type === 'tableHeader') === header).map((r) => plainText(r.content?.[i] ?? { type: 'paragraph' }));
    const widths = twips(
      fitColumns(
        Array.from({ length: ncols }, (_, i) => {
          const a = columnNeed(texts(i, false), docxMeasure(false, TABLE_SIZE / 2), (2 * CELL_MARGIN) / 20 + 4);
          const b = columnNeed(texts(i, true), docxMeasure(true, TABLE_SIZE / 2), (2 * CELL_MARGIN) / 20 + 4);
          return { min: Math.max(a.min, b.min), word: Math.max(a.word, b.word), max: Math.max(a.max, b.max) };
        }),
        TEXT_WIDTH / 20,
      ),
    );
    const border = { style: BorderStyle.SINGLE, size: 4, color: RULE };
    return new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
      rows: rows.map((r, ri) => {
        const isHeader = (r.content ?? []).every((c) => c.type === 'tableHeader');
        const cells = [...(r.content ?? [])];
        return new TableRow({
          tableHeader: ri === 0 && isHeader ? true : undefined,
          children: Array.from({ length: ncols }, (_, i) => {
            const c = cells[i];
            const paras = (c?.content ?? []).map(
              (pn) =>
                new Paragraph({
                  style: 'TableText',
                  children: this.inline(inlineRuns(pn)),
                }),
            );
            return new TableCell({
              width: { size: widths[i]!, type: WidthType.DXA },
              margins: { top: 60, bottom: 60, left: CELL_MARGIN, right: CELL_MARGIN },
              shading: isHeader ? { type: ShadingType.CLEAR, color: 'auto', fill: FILL } : undefined,
              children: paras.length ? paras : [new Paragraph({ style: 'TableText', children: [] })],
            });
          }),
        });
      }),
    });
  }

  /* ----- generated parts ----- */

  /** The contact persons entered under "Parter", after the section about contacts. */
  private contacts(): FileChild[] {
    const rows = contactRows(this.s);
    if (rows.length === 0) return [this.subheading(CONTACTS_HEADING), this.muted('Inga kontaktpersoner har angetts.')];
    return [
      this.subheading(CONTACTS_HEADING),
      this.table(
        CONTACT_COLUMNS.map((header, i) => ({ header, width: [1.6, 1.4, 1.4, 1.8, 1][i]! })),
        rows.map((cells) => ({ cells })),
      ),
    ];
  }

  private goals(): FileChild[] {
    const goals = this.s.goals;
    if (goals.length === 0) return [this.muted('Inga gemensamma mål har angetts.')];
    const out: FileChild[] = [
      this.para(
        'Parterna har gemensamt formulerat följande mål för partnerskapet, med indikator, utgångsvärde och målvärde. Målen följs upp enligt angiven metod och tidpunkt.',
      ),
    ];
    out.push(
      this.table(
        [
          { header: 'Nr', width: 0 },
          { header: 'Mål', width: 3 },
          { header: 'Indikator', width: 3 },
          { header: 'Utgångsvärde', width: 1.5 },
          { header: 'Målvärde', width: 0.5 },
          { header: 'Uppföljning', width: 1.5 },
        ],
        goals.map((g, i) => ({
          cells: [
            String(i + 1),
            g.goal,
            g.indicator,
            [g.baselineValue, `(${formatDate(g.baselineDate)})`, g.baselineSource ? `Källa: ${g.baselineSource}` : '']
              .filter(Boolean)
              .join('\n'),
            [g.targetValue, g.deadline ?? ''].filter(Boolean).join('\n'),
            [
              g.followUpMethod ? FOLLOW_UP_LABEL[g.followUpMethod] : '–',
              `Ansvarig: ${partyName(this.s.parties, g.responsiblePartyId)}`,
              g.followUpDates.length ? `Tillfällen: ${g.followUpDates.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          ],
        })),
      ),
    );
    const missing: string[] = [];
    goals.forEach((g, i) => {
      const notYet = this.s.parties.filter((p) => !g.acceptedBy[p.id]).map((p) => p.name);
      if (notYet.length) missing.push(`mål ${i + 1} (${notYet.join(', ')})`);
    });
    out.push(
      this.muted(
        missing.length === 0 ? 'Samtliga mål är godkända av alla parter.' : `Ännu inte godkända av alla parter: ${missing.join('; ')}.`,
      ),
    );
    return out;
  }

  private contributions(): FileChild[] {
    if (this.s.contributions.length === 0) return [this.muted('Inga insatser har angetts.')];
    const sum = summariseContributions(this.s);
    const rows: Array<{ cells: string[]; style?: 'normal' | 'group' | 'subtotal' | 'total' }> = [];
    for (const group of sum.byParty) {
      const name = group.party?.name ?? 'Utan angiven part';
      rows.push({ cells: [group.party ? `${name} (${group.party.orgNumber})` : name], style: 'group' });
      for (const c of group.rows) {
        rows.push({
          cells: [
            CONTRIBUTION_KIND_LABEL[c.kind],
            c.description,
            [formatNumber(c.quantity), c.unit].filter(Boolean).join('\u00a0'),
            formatPeriod(c.periodStart, c.periodEnd),
            formatSek(c.valueSek),
          ],
        });
      }
      rows.push({ cells: [`Summa ${name}`, formatSek(group.totalSek)], style: 'subtotal' });
    }
    rows.push({ cells: ['Summa samtliga parter', formatSek(sum.grandTotal)], style: 'total' });
    const parties = sum.byParty.map((g) => g.party);
    const kindRows = sum.byKind.map((k) => ({
      cells: [
        CONTRIBUTION_KIND_LABEL[k.kind],
        ...parties.map((p) => (k.valuedParties.has(p?.id ?? '') ? formatSek(k.perParty.get(p?.id ?? '') ?? 0) : '–')),
        k.valuedParties.size > 0 ? formatSek(k.total) : '–',
      ],
    }));
    return [
      this.para(
        'Parterna bidrar till verksamheten med följande insatser. Värdet anges i kronor där det är känt; insatser utan angivet värde ingår inte i summorna.',
      ),
      this.table(
        [
          { header: 'Slag', width: 0.5 },
          { header: 'Beskrivning', width: 3 },
          { header: 'Omfattning', width: 0.8 },
          { header: 'Period', width: 0.5 },
          { header: 'Värde', width: 0.5, align: 'right' },
        ],
        rows,
      ),
      this.subheading('Summering per slag av insats'),
      this.table(
        [
          { header: 'Slag', width: 1.4 },
          ...parties.map((p) => ({ header: p?.name ?? 'Utan part', width: 1.5, align: 'right' as const })),
          { header: 'Totalt', width: 1.3, align: 'right' },
        ],
        [...kindRows, { cells: ['Totalt', ...sum.byParty.map((g) => formatSek(g.totalSek)), formatSek(sum.grandTotal)], style: 'total' }],
      ),
    ];
  }

  private suitability(): FileChild[] {
    return [
      this.para(
        'Ett idéburet offentligt partnerskap är lämpligt när följande förutsättningar är uppfyllda. Parterna har gemensamt gjort denna bedömning:',
      ),
      this.table(
        [
          { header: 'Förutsättning', width: 3.3 },
          { header: 'Bedömning', width: 0 },
          { header: 'Motivering', width: 3.6 },
        ],
        CHECKLIST_ORDER.map((key, i) => {
          const a = this.s.checklist[key];
          return {
            cells: [
              `${i + 1}. ${CHECKLIST_LABEL[key]}`,
              a?.answer ? CHECKLIST_ANSWER_LABEL[a.answer] : 'Ej besvarad',
              a?.justification || '–',
            ],
          };
        }),
      ),
    ];
  }

  private attachments(): FileChild[] {
    if (this.s.attachments.length === 0) return [this.muted('Överenskommelsen har inga bilagor.')];
    return this.s.attachments.map(
      (a, i) =>
        new Paragraph({
          tabStops: [{ type: TabStopType.LEFT, position: 1300 }],
          indent: { left: 1300, hanging: 1300 },
          children: [
            new TextRun({ text: `Bilaga ${attachmentLetter(i)}`, bold: true, font: HEAD_FONT, color: ACCENT }),
            new TextRun({ text: `\t${a.title || 'Namnlös bilaga'}`, bold: true }),
            ...(a.description ? [new TextRun({ text: a.description, break: 1, color: MUTED, size: 20 })] : []),
          ],
        }),
    );
  }

  private signatures(): FileChild[] {
    const n = Math.max(this.s.parties.length, 1);
    const out: FileChild[] = [
      this.para(`Denna överenskommelse har upprättats i ${countWord(n)} likalydande exemplar, varav parterna har tagit var sitt.`),
      this.para(`Underskrifterna avser ${versionText(this.meta)} av överenskommelsen, med kontrollsumman (SHA-256):`),
      new Paragraph({ children: [new TextRun({ text: this.meta.hash, font: 'Consolas', size: 17 })], spacing: { after: 480 } }),
    ];
    const colW = Math.floor(TEXT_WIDTH / 2);
    const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
    const rows: TableRow[] = [];
    for (let i = 0; i < this.s.parties.length; i += 2) {
      const pair = this.s.parties.slice(i, i + 2);
      const cells = pair.map((p) => new TableCell({ width: { size: colW, type: WidthType.DXA }, margins: { right: 400 }, children: this.signatureBlock(p) }));
      if (cells.length === 1) cells.push(new TableCell({ width: { size: colW, type: WidthType.DXA }, children: [new Paragraph({ children: [] })] }));
      rows.push(new TableRow({ cantSplit: true, children: cells }));
    }
    if (rows.length) {
      out.push(
        new Table({
          rows,
          width: { size: TEXT_WIDTH, type: WidthType.DXA },
          columnWidths: [colW, colW],
          borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
        }),
      );
    }
    return out;
  }

  private signatureBlock(p: PartySnapshot): Paragraph[] {
    const line = (label: string) => [
      new Paragraph({
        spacing: { before: 720, after: 0 },
        border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '1B1F24', space: 1 } },
        children: [],
      }),
      new Paragraph({ spacing: { after: 40 }, children: [new TextRun({ text: label, size: 15, color: MUTED, font: HEAD_FONT })] }),
    ];
    const out: Paragraph[] = [
      new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: `För ${p.name || 'namnlös part'}`, bold: true })] }),
      new Paragraph({ style: 'Muted', children: [new TextRun(`Organisationsnummer ${p.orgNumber || '–'}`)] }),
      ...line('Ort och datum'),
    ];
    // Signatories are people (members with an account); free text only as a fallback, marked as missing.
    const printed = printedSignatories(p);
    const sigs = printed.signatories.length ? printed.signatories : [null];
    for (const s of sigs) {
      out.push(...line('Underskrift'));
      out.push(new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: s?.name || 'Namnförtydligande:' })] }));
      out.push(new Paragraph({ children: [new TextRun({ text: s?.title || 'Titel:', italics: true, color: MUTED, size: 19 })] }));
    }
    if (printed.missing) {
      out.push(
        new Paragraph({
          children: [new TextRun({ text: 'Firmatecknare saknas: ingen med konto i Överens har utsetts att skriva under för parten.', bold: true, size: 16 })],
        }),
      );
    }
    return out;
  }
}

const twips = (points: number[]): number[] => points.map((p) => Math.round(p * 20));

/**
 * Column widths (twips) sized for the content, as in the PDF, but with whole words as the minimum: Word
 * hyphenates by itself (Swedish, autoHyphenation) and may not have Swedish patterns, so a column is
 * made wide enough for its longest word where the page allows. A short row's first cell spans and is left out.
 */
function contentWidths(
  columns: Array<{ header: string; width: number }>,
  rows: Array<{ cells: string[]; style?: 'normal' | 'group' | 'subtotal' | 'total' }>,
  header: boolean,
): number[] {
  const n = columns.length;
  // Cell margins plus a little slack: the word processor's font is not the one measured here.
  const pad = (2 * CELL_MARGIN) / 20 + 4;
  const needs = columns.map((c, i) => {
    // A header may wrap: it asks for its words, not for its whole line.
    const parts = header ? [{ ...columnNeed([c.header], docxMeasure(true, TABLE_SIZE / 2), pad), max: pad }] : [];
    for (const bold of [false, true]) {
      const texts = rows
        .filter((r) => r.style !== 'group' && ((r.style ?? 'normal') !== 'normal') === bold)
        .map((r) => {
          const span = n - r.cells.length;
          return span > 0 && i <= span ? null : (r.cells[i - span] ?? null);
        })
        .filter((t): t is string => t !== null);
      if (texts.length) parts.push(columnNeed(texts, docxMeasure(bold, TABLE_SIZE / 2), pad));
    }
    return parts.reduce((a, b) => ({ min: Math.max(a.min, b.min), word: Math.max(a.word, b.word), max: Math.max(a.max, b.max) }), { min: pad, word: pad, max: pad });
  });
  return twips(fitColumns(needs, TEXT_WIDTH / 20, columns.map((c) => c.width)));
}
