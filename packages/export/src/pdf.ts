import PDFDocument from 'pdfkit';
import { safeLinkHref, type AgreementSnapshot, type PartySnapshot, type RichNode } from '@overens/model';
import { parsedFonts, type FontName } from './fonts.ts';
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
import { footerPrefix, versionText, type ExportMeta } from './meta.ts';
import { buildOutline, headingText, summariseContributions, type OutlineEntry } from './outline.ts';

type Doc = PDFKit.PDFDocument;

const MARGIN = { top: 82, bottom: 82, left: 74, right: 74 };
const INK = '#1b1f24';
const ACCENT = '#1f3a5f';
const MUTED = '#5a636e';
const RULE = '#aab3bf';
const FILL = '#e9eef4';
const FILL_SOFT = '#f4f6f9';
const LINK = '#1d4f91';
const BODY_SIZE = 10.5;
const TOC_LINE = 21;

export const WATERMARK_TEXT = 'UTKAST';

/** Renders the agreement as a PDF/A-2b document (A4, embedded DejaVu fonts). */
export async function renderPdf(snapshot: AgreementSnapshot, meta: ExportMeta): Promise<Buffer> {
  const authors = snapshot.parties.map((p) => p.name).join(', ');
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    lang: 'sv-SE',
    displayTitle: true,
    info: {
      Title: snapshot.title,
      Author: authors || 'Överens',
      Subject: 'Överenskommelse om idéburet offentligt partnerskap (IOP)',
      Keywords: `IOP, idéburet offentligt partnerskap, ${versionText(meta)}, SHA-256 ${meta.hash}`,
      Creator: 'Överens',
      CreationDate: new Date(`${meta.date}T12:00:00Z`),
    },
  });
  for (const [name, font] of parsedFonts()) doc.registerFont(name, font as unknown as Buffer);

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const r = new Renderer(doc, snapshot, meta);
  r.render();
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

interface Column {
  header: string;
  width: number; // relative
  align?: 'left' | 'right';
}
type RowStyle = 'normal' | 'group' | 'subtotal' | 'total';
interface Row {
  cells: string[];
  style?: RowStyle;
}

class Renderer {
  private readonly outline: OutlineEntry[];
  private readonly pageOf = new Map<string, number>();
  private readonly width: number;

  constructor(
    private readonly doc: Doc,
    private readonly s: AgreementSnapshot,
    private readonly meta: ExportMeta,
  ) {
    this.outline = buildOutline(s);
    this.width = 595.28 - MARGIN.left - MARGIN.right;
  }

  render(): void {
    const doc = this.doc;
    doc.addPage();
    this.cover();

    // Reserve the table of contents; it is written once the page of every heading is known.
    const tocStart = this.pageIndex() + 1;
    const perFirst = Math.floor((this.bottom() - MARGIN.top - 48) / TOC_LINE);
    const perNext = Math.floor((this.bottom() - MARGIN.top) / TOC_LINE);
    const tocPages = this.outline.length <= perFirst ? 1 : 1 + Math.ceil((this.outline.length - perFirst) / perNext);
    for (let i = 0; i < tocPages; i++) doc.addPage();
    doc.outline.addItem(GENERATED_HEADINGS.toc);

    doc.addPage();
    for (const entry of this.outline) {
      switch (entry.kind) {
        case 'section':
          this.section(entry);
          break;
        case 'goals':
          this.goals(entry);
          break;
        case 'contributions':
          this.contributions(entry);
          break;
        case 'suitability':
          this.suitability(entry);
          break;
        case 'attachments':
          this.attachments(entry);
          break;
        case 'signatures':
          this.signatures(entry);
          break;
      }
    }
    this.toc(tocStart, perFirst, perNext);
    this.decorate();
  }

  /* ----- page helpers ----- */

  private pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  private bottom(): number {
    return 841.89 - MARGIN.bottom;
  }

  private ensureSpace(h: number): void {
    if (this.doc.y + h > this.bottom()) this.doc.addPage();
  }

  private font(name: FontName, size: number, color = INK): Doc {
    return this.doc.font(name).fontSize(size).fillColor(color);
  }

  private rule(y: number, color = RULE, width = 0.6, x = MARGIN.left, w = this.width): void {
    this.doc.save().moveTo(x, y).lineTo(x + w, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  /* ----- cover ----- */

  private cover(): void {
    const doc = this.doc;
    const x = MARGIN.left;
    doc.save().rect(0, 0, 595.28, 10).fill(ACCENT).restore();
    doc.y = 96;
    this.font('Sans-Bold', 9.5, ACCENT).text('IDÉBURET OFFENTLIGT PARTNERSKAP', x, doc.y, {
      characterSpacing: 1.6,
      width: this.width,
    });
    doc.moveDown(1.4);
    this.font('Serif', 13, MUTED).text('Överenskommelse', { width: this.width });
    doc.moveDown(0.25);
    this.font('Serif-Bold', 24, INK).text(this.s.title || 'Namnlös överenskommelse', {
      width: this.width,
      lineGap: 2,
    });
    doc.moveDown(0.8);
    this.rule(doc.y, ACCENT, 1.2, x, 64);
    doc.moveDown(1.4);

    this.font('Sans-Bold', 8.5, MUTED).text('MELLAN PARTERNA', x, doc.y, { characterSpacing: 1.2 });
    doc.moveDown(0.6);
    this.s.parties.forEach((p, i) => {
      if (i > 0) {
        this.font('Serif-Italic', 10, MUTED).text('och', x, doc.y);
        doc.moveDown(0.35);
      }
      this.font('Serif-Bold', 13, INK).text(p.name || 'Namnlös part', x, doc.y, { width: this.width });
      this.font('Sans', 9.5, MUTED).text(`${PARTY_KIND_LABEL[p.kind]} · organisationsnummer ${p.orgNumber || '–'}`, {
        width: this.width,
      });
      doc.moveDown(0.6);
    });
    if (this.s.parties.length === 0) this.font('Serif-Italic', 11, MUTED).text('Inga parter angivna.');

    doc.moveDown(1.2);
    const facts: Array<[string, string]> = [
      ...periodLines(this.s.period),
      ['Version', this.meta.versionLabel],
      ['Datum', this.meta.date],
    ];
    const labelW = 150;
    for (const [label, value] of facts) {
      const y = doc.y;
      this.font('Sans', 9, MUTED).text(label, x, y, { width: labelW });
      this.font('Serif', 10.5, INK).text(value, x + labelW, y, { width: this.width - labelW });
      doc.y = Math.max(doc.y, y + 14) + 5;
    }
    const hy = doc.y;
    this.font('Sans', 9, MUTED).text('Kontrollsumma (SHA-256)', x, hy, { width: labelW });
    this.font('Mono', 7.5, INK).text(this.meta.hash, x + labelW, hy + 1.5, { width: this.width - labelW });
    doc.y = Math.max(doc.y, hy + 14) + 16;

    // The kommun's registration number: printed if known, otherwise a field to fill in by hand.
    const by = doc.y;
    const bw = 250;
    doc.save().lineWidth(0.8).strokeColor(RULE).rect(x, by, bw, 42).stroke().restore();
    this.font('Sans', 7.5, MUTED).text('Kommunens diarienummer', x + 8, by + 6, { width: bw - 16 });
    if (this.meta.diarienummer) this.font('Serif', 11.5, INK).text(this.meta.diarienummer, x + 8, by + 20);
    doc.y = by + 42;

    // Status at the foot of the cover.
    const sy = this.bottom() - 44;
    this.rule(sy - 10);
    if (this.meta.mode === 'signing') {
      this.font('Sans-Bold', 9.5, ACCENT).text(`Slutlig ${versionText(this.meta)} – för underskrift`, x, sy, {
        width: this.width,
      });
      this.font('Sans', 8.5, MUTED).text(
        'Innehållet är godkänt av samtliga parter och låst. Kontrollsumman identifierar exakt den text som godkänts.',
        { width: this.width },
      );
    } else {
      this.font('Sans-Bold', 9.5, '#8a2b1d').text('Arbetsexemplar – inte för underskrift', x, sy, { width: this.width });
      this.font('Sans', 8.5, MUTED).text(
        'Texten kan fortfarande ändras. Underskrift sker på den slutliga, låsta versionen.',
        { width: this.width },
      );
    }
  }

  /* ----- table of contents ----- */

  private toc(start: number, perFirst: number, perNext: number): void {
    const doc = this.doc;
    let page = start;
    doc.switchToPage(page);
    doc.y = MARGIN.top;
    this.font('Sans-Bold', 16, ACCENT).text(GENERATED_HEADINGS.toc, MARGIN.left, doc.y);
    let y = MARGIN.top + 48;
    let onPage = 0;
    let capacity = perFirst;
    for (const e of this.outline) {
      if (onPage >= capacity) {
        page += 1;
        doc.switchToPage(page);
        y = MARGIN.top;
        onPage = 0;
        capacity = perNext;
      }
      const pageNo = String((this.pageOf.get(e.id) ?? 0) + 1);
      const numW = 26;
      const pnW = 30;
      const titleX = MARGIN.left + numW;
      const titleMax = this.width - numW - pnW - 12;
      const fontName: FontName = e.kind === 'section' ? 'Serif' : 'Serif-Italic';
      this.font('Serif', 10.5, MUTED).text(e.number ? `${e.number}.` : '', MARGIN.left, y, {
        width: numW - 6,
        lineBreak: false,
      });
      this.font(fontName, 10.5, INK);
      let title = e.title;
      while (doc.widthOfString(title) > titleMax && title.length > 4) title = `${title.slice(0, -2)}…`;
      doc.text(title, titleX, y, { lineBreak: false, goTo: e.id });
      const endX = titleX + doc.widthOfString(title) + 4;
      this.font('Serif', 10.5, INK).text(pageNo, MARGIN.left + this.width - pnW, y, {
        width: pnW,
        align: 'right',
        lineBreak: false,
        goTo: e.id,
      });
      const dotEnd = MARGIN.left + this.width - doc.widthOfString(pageNo) - 5;
      if (dotEnd > endX + 4) {
        doc
          .save()
          .moveTo(endX, y + 9)
          .lineTo(dotEnd, y + 9)
          .lineWidth(0.7)
          .dash(0.7, { space: 2.6 })
          .strokeColor(RULE)
          .stroke()
          .undash()
          .restore();
      }
      y += TOC_LINE;
      onPage += 1;
    }
  }

  /* ----- headings and rich text ----- */

  private heading(entry: OutlineEntry, newPage = false): void {
    const doc = this.doc;
    if (newPage) {
      if (doc.y > MARGIN.top + 1) doc.addPage();
    } else {
      if (doc.y > MARGIN.top + 1) doc.moveDown(0.9);
      this.ensureSpace(86);
    }
    this.pageOf.set(entry.id, this.pageIndex());
    doc.addNamedDestination(entry.id, 'XYZ', null, doc.y, null);
    doc.outline.addItem(headingText(entry));
    const y = doc.y;
    if (entry.number) {
      this.font('Sans-Bold', 13.5, ACCENT).text(`${entry.number}.`, MARGIN.left, y, { width: 28, lineBreak: false });
    }
    const tx = entry.number ? MARGIN.left + 28 : MARGIN.left;
    this.font('Sans-Bold', 13.5, ACCENT).text(entry.title, tx, y, { width: this.width - (tx - MARGIN.left) });
    doc.moveDown(0.2);
    this.rule(doc.y, RULE, 0.5);
    doc.moveDown(0.55);
    doc.x = MARGIN.left;
  }

  private subheading(text: string): void {
    const doc = this.doc;
    doc.moveDown(0.5);
    this.ensureSpace(60);
    this.font('Sans-Bold', 10.5, INK).text(text, MARGIN.left, doc.y, { width: this.width });
    doc.moveDown(0.3);
  }

  private paragraph(text: string, opts: { font?: FontName; size?: number; color?: string; gap?: number } = {}): void {
    this.font(opts.font ?? 'Serif', opts.size ?? BODY_SIZE, opts.color ?? INK).text(text, MARGIN.left, this.doc.y, {
      width: this.width,
      lineGap: 2.2,
      paragraphGap: opts.gap ?? 6,
    });
  }

  private runs(runs: InlineRun[], x: number, width: number, size: number, base: 'Serif' | 'Sans' = 'Serif'): void {
    const doc = this.doc;
    const clean = runs.filter((r) => r.text.length > 0);
    if (clean.length === 0) {
      doc.moveDown(0.5);
      return;
    }
    clean.forEach((r, i) => {
      let f: FontName;
      if (r.code) f = 'Mono';
      else if (base === 'Sans') f = r.bold ? 'Sans-Bold' : 'Sans';
      else f = r.bold && r.italic ? 'Serif-BoldItalic' : r.bold ? 'Serif-Bold' : r.italic ? 'Serif-Italic' : 'Serif';
      // A link annotation only for an address the link rule accepts; anything else is plain text.
      const link = safeLinkHref(r.link);
      this.font(f, r.code ? size - 1 : size, link ? LINK : INK);
      const opts: PDFKit.Mixins.TextOptions = {
        continued: i < clean.length - 1,
        link,
        underline: r.underline || !!link,
        strike: r.strike,
        lineGap: 2.2,
        paragraphGap: 6,
        width,
      } as PDFKit.Mixins.TextOptions;
      if (i === 0) doc.text(r.text, x, doc.y, opts);
      else doc.text(r.text, opts);
    });
  }

  private blocks(nodes: readonly RichNode[], x: number, width: number): void {
    const doc = this.doc;
    for (const node of nodes) {
      switch (node.type) {
        case 'paragraph':
          this.ensureSpace(16);
          this.runs(inlineRuns(node), x, width, BODY_SIZE);
          break;
        case 'heading': {
          const level = Number(node.attrs?.['level'] ?? 1);
          doc.moveDown(0.35);
          this.ensureSpace(50);
          this.font('Sans-Bold', level <= 1 ? 11.5 : 10.5, INK).text(plainText(node), x, doc.y, {
            width,
            paragraphGap: 4,
          });
          break;
        }
        case 'bulletList':
        case 'orderedList': {
          const start = Number(node.attrs?.['start'] ?? 1);
          (node.content ?? []).forEach((item, i) => {
            this.ensureSpace(16);
            const y = doc.y;
            const marker = node.type === 'bulletList' ? '•' : `${start + i}.`;
            this.font('Serif', BODY_SIZE, INK).text(marker, x, y, { width: 16, lineBreak: false });
            doc.y = y;
            this.blocks(item.content ?? [], x + 18, width - 18);
          });
          doc.moveDown(0.2);
          break;
        }
        case 'listItem':
          this.blocks(node.content ?? [], x, width);
          break;
        case 'blockquote': {
          const y0 = doc.y;
          this.blocks(node.content ?? [], x + 14, width - 14);
          if (doc.y > y0) this.doc.save().rect(x + 2, y0, 2, doc.y - y0 - 6).fill(RULE).restore();
          break;
        }
        case 'table':
          this.richTable(node, x, width);
          break;
        case 'horizontalRule':
          doc.moveDown(0.3);
          this.rule(doc.y, RULE, 0.5, x, width);
          doc.moveDown(0.6);
          break;
        case 'codeBlock':
          this.font('Mono', 9, INK).text(plainText(node), x, doc.y, { width, paragraphGap: 6 });
          break;
        default:
          if (node.content) this.blocks(node.content, x, width);
          else if (node.text) this.font('Serif', BODY_SIZE).text(node.text, x, doc.y, { width });
      }
    }
    doc.x = MARGIN.left;
  }

  private richTable(node: RichNode, x: number, width: number): void {
    const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
    if (rows.length === 0) return;
    const first = rows[0]!;
    const headerRow = (first.content ?? []).every((c) => c.type === 'tableHeader');
    const ncols = Math.max(...rows.map((r) => (r.content ?? []).length), 1);
    const cellTexts = (r: RichNode): string[] => {
      const cells = (r.content ?? []).map((c) => plainText(c).trim());
      while (cells.length < ncols) cells.push('');
      return cells;
    };
    const columns: Column[] = (headerRow ? cellTexts(first) : new Array<string>(ncols).fill('')).map((h) => ({
      header: h,
      width: 1,
    }));
    const body = (headerRow ? rows.slice(1) : rows).map((r) => ({ cells: cellTexts(r) }));
    this.table(columns, body, { x, width, header: headerRow, size: 9 });
  }

  /* ----- tables ----- */

  private table(
    columns: Column[],
    rows: Row[],
    opts: { x?: number; width?: number; header?: boolean; size?: number } = {},
  ): void {
    const doc = this.doc;
    const x0 = opts.x ?? MARGIN.left;
    const total = opts.width ?? this.width;
    const size = opts.size ?? 8.8;
    const pad = 4.5;
    const rel = columns.reduce((a, c) => a + c.width, 0);
    const widths = columns.map((c) => (c.width / rel) * total);
    const showHeader = opts.header !== false;

    // A row with fewer cells than columns lets its first cell span the extra columns (labels of sum rows).
    const cellWidths = (cells: string[]): number[] => {
      const span = columns.length - cells.length;
      if (span <= 0) return widths;
      const first = widths.slice(0, span + 1).reduce((a, b) => a + b, 0);
      return [first, ...widths.slice(span + 1)];
    };
    const alignOf = (cells: string[], i: number): 'left' | 'right' =>
      columns[i + Math.max(0, columns.length - cells.length)]?.align ?? 'left';
    const measure = (cells: string[], bold: boolean): number => {
      doc.font(bold ? 'Cond-Bold' : 'Cond').fontSize(size);
      const ws = cellWidths(cells);
      let h = 0;
      cells.forEach((t, i) => {
        h = Math.max(h, doc.heightOfString(t || ' ', { width: ws[i]! - 2 * pad, lineGap: 1.2 }));
      });
      return h + 2 * pad;
    };
    const drawRow = (cells: string[], y: number, h: number, style: RowStyle | 'header'): void => {
      const bold = style !== 'normal';
      const fill =
        style === 'header' ? FILL : style === 'group' ? FILL_SOFT : style === 'total' ? FILL : null;
      if (style === 'group') {
        doc.save().rect(x0, y, total, h).fill(FILL_SOFT).restore();
        doc.save().lineWidth(0.5).strokeColor(RULE).rect(x0, y, total, h).stroke().restore();
        this.font('Cond-Bold', size, INK).text(cells[0] ?? '', x0 + pad, y + pad, { width: total - 2 * pad });
        return;
      }
      let x = x0;
      const ws = cellWidths(cells);
      cells.forEach((t, i) => {
        const w = ws[i]!;
        if (fill) doc.save().rect(x, y, w, h).fill(fill).restore();
        doc.save().lineWidth(0.5).strokeColor(RULE).rect(x, y, w, h).stroke().restore();
        this.font(bold ? 'Cond-Bold' : 'Cond', size, style === 'header' ? ACCENT : INK).text(t, x + pad, y + pad, {
          width: w - 2 * pad,
          align: alignOf(cells, i),
          lineGap: 1.2,
        });
        x += w;
      });
    };

    const headerCells = columns.map((c) => c.header);
    const headerH = showHeader ? measure(headerCells, true) : 0;
    const startTable = (): number => {
      let y = doc.y;
      if (showHeader) {
        drawRow(headerCells, y, headerH, 'header');
        y += headerH;
      }
      return y;
    };
    const firstRowH = rows[0] ? measure(rows[0].cells, rows[0].style !== 'normal' && !!rows[0].style) : 0;
    this.ensureSpace(headerH + firstRowH + 4);
    let y = startTable();
    for (const row of rows) {
      const style = row.style ?? 'normal';
      const cells = style === 'group' ? [row.cells[0] ?? ''] : row.cells;
      const h =
        style === 'group'
          ? (doc.font('Cond-Bold').fontSize(size), doc.heightOfString(cells[0] || ' ', { width: total - 2 * pad }) + 2 * pad)
          : measure(cells, style !== 'normal');
      if (y + h > this.bottom()) {
        doc.addPage();
        doc.y = MARGIN.top;
        y = startTable();
      }
      drawRow(cells, y, h, style);
      y += h;
    }
    doc.x = MARGIN.left;
    doc.y = y + 10;
  }

  /* ----- parts ----- */

  private section(entry: OutlineEntry): void {
    const section = this.s.sections[entry.sectionIndex!]!;
    this.heading(entry);
    if (isEmptyBody(section.body)) {
      this.paragraph('(Avsnittet saknar text.)', { font: 'Serif-Italic', color: MUTED });
      return;
    }
    this.blocks(section.body.content ?? [], MARGIN.left, this.width);
  }

  private goals(entry: OutlineEntry): void {
    this.heading(entry);
    const goals = this.s.goals;
    if (goals.length === 0) {
      this.paragraph('Inga gemensamma mål har angetts.', { font: 'Serif-Italic', color: MUTED });
      return;
    }
    this.paragraph(
      'Parterna har gemensamt formulerat följande mål för partnerskapet, med indikator, utgångsvärde och målvärde. Målen följs upp enligt angiven metod och tidpunkt.',
    );
    const rows: Row[] = goals.map((g, i) => ({
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
    }));
    this.table(
      [
        { header: 'Nr', width: 0.5 },
        { header: 'Mål', width: 1.65 },
        { header: 'Indikator', width: 1.65 },
        { header: 'Utgångsvärde', width: 2.35 },
        { header: 'Målvärde, senast', width: 1.3 },
        { header: 'Uppföljning', width: 2.35 },
      ],
      rows,
      { size: 8.5 },
    );
    const missing: string[] = [];
    goals.forEach((g, i) => {
      const notYet = this.s.parties.filter((p) => !g.acceptedBy[p.id]).map((p) => p.name);
      if (notYet.length) missing.push(`mål ${i + 1} (${notYet.join(', ')})`);
    });
    this.paragraph(
      missing.length === 0
        ? 'Samtliga mål är godkända av alla parter.'
        : `Ännu inte godkända av alla parter: ${missing.join('; ')}.`,
      { font: 'Serif-Italic', size: 9.5, color: MUTED },
    );
  }

  private contributions(entry: OutlineEntry): void {
    this.heading(entry);
    const sum = summariseContributions(this.s);
    if (this.s.contributions.length === 0) {
      this.paragraph('Inga insatser har angetts.', { font: 'Serif-Italic', color: MUTED });
      return;
    }
    this.paragraph(
      'Parterna bidrar till verksamheten med följande insatser. Värdet anges i kronor där det är känt; insatser utan angivet värde ingår inte i summorna.',
    );
    const rows: Row[] = [];
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
    this.table(
      [
        { header: 'Slag', width: 1.3 },
        { header: 'Beskrivning', width: 3.1 },
        { header: 'Omfattning', width: 1.3 },
        { header: 'Period', width: 1.9 },
        { header: 'Värde', width: 1.4, align: 'right' },
      ],
      rows,
    );

    this.subheading('Summering per slag av insats');
    const parties = sum.byParty.map((g) => g.party);
    const kindRows: Row[] = sum.byKind.map((k) => ({
      cells: [
        CONTRIBUTION_KIND_LABEL[k.kind],
        ...parties.map((p) => (k.valuedParties.has(p?.id ?? '') ? formatSek(k.perParty.get(p?.id ?? '') ?? 0) : '–')),
        k.valuedParties.size > 0 ? formatSek(k.total) : '–',
      ],
    }));
    kindRows.push({
      cells: ['Totalt', ...sum.byParty.map((g) => formatSek(g.totalSek)), formatSek(sum.grandTotal)],
      style: 'total',
    });
    this.table(
      [
        { header: 'Slag', width: 1.4 },
        ...parties.map((p) => ({ header: p?.name ?? 'Utan part', width: 1.5, align: 'right' as const })),
        { header: 'Totalt', width: 1.3, align: 'right' },
      ],
      kindRows,
    );
  }

  private suitability(entry: OutlineEntry): void {
    this.heading(entry);
    this.paragraph(
      'Ett idéburet offentligt partnerskap är lämpligt när följande förutsättningar är uppfyllda. Parterna har gemensamt gjort denna bedömning:',
    );
    const rows: Row[] = CHECKLIST_ORDER.map((key, i) => {
      const a = this.s.checklist[key];
      return {
        cells: [
          `${i + 1}. ${CHECKLIST_LABEL[key]}`,
          a?.answer ? CHECKLIST_ANSWER_LABEL[a.answer] : 'Ej besvarad',
          a?.justification || '–',
        ],
      };
    });
    this.table(
      [
        { header: 'Förutsättning', width: 3.3 },
        { header: 'Bedömning', width: 1.25 },
        { header: 'Motivering', width: 3.6 },
      ],
      rows,
      { size: 9 },
    );
  }

  private attachments(entry: OutlineEntry): void {
    const doc = this.doc;
    this.heading(entry);
    if (this.s.attachments.length === 0) {
      this.paragraph('Överenskommelsen har inga bilagor.', { font: 'Serif-Italic', color: MUTED });
      return;
    }
    this.s.attachments.forEach((a, i) => {
      this.ensureSpace(30);
      const y = doc.y;
      this.font('Sans-Bold', 10, ACCENT).text(`Bilaga ${attachmentLetter(i)}`, MARGIN.left, y, {
        width: 70,
        lineBreak: false,
      });
      this.font('Serif-Bold', BODY_SIZE, INK).text(a.title || 'Namnlös bilaga', MARGIN.left + 72, y, {
        width: this.width - 72,
      });
      if (a.description) {
        this.font('Serif', 9.5, MUTED).text(a.description, MARGIN.left + 72, doc.y, { width: this.width - 72 });
      }
      doc.moveDown(0.6);
    });
  }

  private signatures(entry: OutlineEntry): void {
    const doc = this.doc;
    this.heading(entry, true);
    const n = Math.max(this.s.parties.length, 1);
    this.paragraph(
      `Denna överenskommelse har upprättats i ${countWord(n)} likalydande exemplar, varav parterna har tagit var sitt.`,
    );
    this.paragraph(
      `Underskrifterna avser ${versionText(this.meta)} av överenskommelsen, med kontrollsumman (SHA-256):`,
      { gap: 2 },
    );
    this.font('Mono', 8, INK).text(this.meta.hash, MARGIN.left, doc.y, { width: this.width });
    doc.moveDown(2.4);

    const gap = 28;
    const colW = (this.width - gap) / 2;
    const parties = this.s.parties;
    for (let i = 0; i < parties.length; i += 2) {
      const pair = parties.slice(i, i + 2);
      const headH = Math.max(...pair.map((p) => this.signatureHeadHeight(p, colW)));
      const sigs = Math.max(...pair.map((p) => Math.max(p.signatories.length, 1)));
      this.ensureSpace(headH + 46 + sigs * 78);
      const y0 = doc.y;
      let yMax = y0;
      pair.forEach((p, j) => {
        const yEnd = this.signatureBlock(p, MARGIN.left + j * (colW + gap), y0, colW, headH);
        yMax = Math.max(yMax, yEnd);
      });
      doc.y = yMax + 26;
    }
    doc.x = MARGIN.left;
  }

  private signatureHeadHeight(p: PartySnapshot, w: number): number {
    this.doc.font('Serif-Bold').fontSize(11);
    const nameH = this.doc.heightOfString(`För ${p.name || 'namnlös part'}`, { width: w });
    this.doc.font('Sans').fontSize(8.5);
    return nameH + this.doc.heightOfString('Organisationsnummer', { width: w });
  }

  /** One party's block: organisation, place and date, then a signature line per signatory. Returns the end y. */
  private signatureBlock(p: PartySnapshot, x: number, y: number, w: number, headH: number): number {
    const doc = this.doc;
    this.font('Serif-Bold', 11, INK).text(`För ${p.name || 'namnlös part'}`, x, y, { width: w });
    this.font('Sans', 8.5, MUTED).text(`Organisationsnummer ${p.orgNumber || '–'}`, x, doc.y, { width: w });
    let cy = y + headH + 34;
    this.rule(cy, INK, 0.6, x, w);
    this.font('Sans', 7.5, MUTED).text('Ort och datum', x, cy + 3, { width: w });
    const signatories = p.signatories.length > 0 ? p.signatories : [null];
    for (const sig of signatories) {
      cy += 56;
      this.rule(cy, INK, 0.6, x, w);
      this.font('Sans', 7.5, MUTED).text('Underskrift', x, cy + 3, { width: w });
      this.font('Serif', 10, INK).text(sig?.name || 'Namnförtydligande:', x, cy + 14, { width: w });
      this.font('Serif-Italic', 9, MUTED).text(sig?.title || 'Titel:', x, doc.y, { width: w });
      cy = doc.y;
    }
    return cy;
  }

  /* ----- running header, footer and watermark on every page ----- */

  private decorate(): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const total = range.count;
    const prefix = footerPrefix(this.meta);
    for (let i = range.start; i < range.start + total; i++) {
      doc.switchToPage(i);
      const savedBottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const w = doc.page.width;
      const h = doc.page.height;
      if (i > range.start) {
        this.font('Sans', 7.5, MUTED).text(this.s.title, MARGIN.left, 46, {
          width: this.width * 0.7,
          lineBreak: false,
          ellipsis: true,
        });
        if (this.meta.diarienummer) {
          this.font('Sans', 7.5, MUTED).text(`Dnr ${this.meta.diarienummer}`, MARGIN.left, 46, {
            width: this.width,
            align: 'right',
            lineBreak: false,
          });
        }
        this.rule(58, RULE, 0.4);
      }
      this.rule(h - 56, RULE, 0.4);
      this.font('Sans', 7.5, MUTED).text(`${prefix} · sida ${i + 1} av ${total}`, MARGIN.left, h - 48, {
        width: this.width,
        align: 'center',
        lineBreak: false,
      });
      if (this.meta.mode === 'draft') {
        doc.save();
        doc.rotate(-52, { origin: [w / 2, h / 2] });
        doc.fillOpacity(0.13);
        this.font('Sans-Bold', 118, '#7a8591').text(WATERMARK_TEXT, 0, h / 2 - 70, {
          width: w,
          align: 'center',
          lineBreak: false,
        });
        doc.restore();
      }
      doc.page.margins.bottom = savedBottom;
    }
  }
}
