import PDFDocument from 'pdfkit';
import { printedSignatories, safeLinkHref, type AgreementSnapshot, type PartySnapshot, type RichNode } from '@overens/model';
import { columnNeed, fitColumns, type ColumnNeed } from './columns.ts';
import { CONTACT_COLUMNS, CONTACTS_HEADING, contactRows, contactsSectionIndex } from './contacts.ts';
import { parsedFonts, type FontName } from './fonts.ts';
import { hyphenate } from './hyphenate.ts';
import { breakLines, type Line } from './wrap.ts';
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

export type Doc = PDFKit.PDFDocument;
export type Struct = PDFKit.PDFStructureElement;

/** Printed under a party whose signatory is not a member with an account (free text or nobody). */
const MISSING_SIGNATORY = 'Firmatecknare saknas: ingen med konto i Överens har utsetts att skriva under för parten.';

export const MARGIN = { top: 82, bottom: 82, left: 74, right: 74 };
export const INK = '#1b1f24';
export const ACCENT = '#1f3a5f';
export const MUTED = '#5a636e';
export const RULE = '#aab3bf';
export const FILL = '#e9eef4';
const FILL_SOFT = '#f4f6f9';
const LINK = '#1d4f91';
export const BODY_SIZE = 10.5;
const TOC_LINE = 21;

export const WATERMARK_TEXT = 'UTKAST';

/**
 * Renders the agreement as a tagged PDF (A4, embedded DejaVu fonts) that claims PDF/A-2b.
 *
 * Tagged: a structure tree in reading order (Document; H1 title, H2 parts, H3/H4 headings from the
 * text; P, L/LI/Lbl/LBody, Table/TR/TH/TD, TOC/TOCI, Link), /Lang sv-SE, DisplayDocTitle, and every
 * other mark on the page (running header, footer, watermark, rules, cell fills and borders) as an
 * Artifact. The XMP says PDF/A-2 conformance B (visual appearance: fonts embedded, sRGB output intent,
 * XMP metadata) and not A: level A also requires every part of the logical structure to meet ISO
 * 32000's tagged-PDF rules, which we have not verified with a conformance checker (veraPDF), so
 * claiming it would not be honest. U+00AD soft hyphens never reach the page: table text is broken
 * into lines here, with a real hyphen where a word breaks.
 */
export async function renderPdf(
  snapshot: AgreementSnapshot,
  meta: ExportMeta,
  /** Another document in the same style (the follow-up report): its subject and its renderer. */
  options: { subject?: string; renderer?: (doc: Doc, s: AgreementSnapshot, meta: ExportMeta) => { render(): void } } = {},
): Promise<Buffer> {
  const authors = snapshot.parties.map((p) => p.name).join(', ');
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: 'sv-SE',
    displayTitle: true,
    info: {
      Title: snapshot.title,
      Author: authors || 'Överens',
      Subject: options.subject ?? 'Överenskommelse om idéburet offentligt partnerskap (IOP)',
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

  const r = options.renderer ? options.renderer(doc, snapshot, meta) : new Renderer(doc, snapshot, meta);
  r.render();
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

export interface Column {
  header: string;
  /** Relative share of the room left once every column has what its content needs. */
  width: number;
  align?: 'left' | 'right';
}
export type RowStyle = 'normal' | 'group' | 'subtotal' | 'total';
export interface Row {
  cells: string[];
  style?: RowStyle;
}

/** The agreement's renderer; its page and structure helpers are shared with other documents in the same style. */
export class Renderer {
  private readonly outline: OutlineEntry[];
  private readonly pageOf = new Map<string, number>();
  protected readonly width: number;
  protected readonly root: Struct;
  /** The snapshot as drawn: open suggestions marked or left out (suggestions.ts). */
  protected readonly s: AgreementSnapshot;
  protected readonly suggestions: PreparedSuggestions;

  constructor(
    protected readonly doc: Doc,
    snapshot: AgreementSnapshot,
    protected readonly meta: ExportMeta,
  ) {
    this.suggestions = prepareSuggestions(snapshot, meta);
    const s = this.suggestions.snapshot;
    this.s = s;
    this.outline = buildOutline(s);
    this.width = 595.28 - MARGIN.left - MARGIN.right;
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  render(): void {
    const doc = this.doc;
    doc.addPage();
    this.cover();

    // Reserve the table of contents; it is written once the page of every heading is known. Its
    // structure elements are placed now, so the reading order is cover, contents, sections.
    const tocStart = this.pageIndex() + 1;
    const perFirst = Math.floor((this.bottom() - MARGIN.top - 48) / TOC_LINE);
    const perNext = Math.floor((this.bottom() - MARGIN.top) / TOC_LINE);
    const tocPages = this.outline.length <= perFirst ? 1 : 1 + Math.ceil((this.outline.length - perFirst) / perNext);
    for (let i = 0; i < tocPages; i++) doc.addPage();
    doc.outline.addItem(GENERATED_HEADINGS.toc);
    const tocHeading = this.group(this.root, 'H2');
    const tocList = this.group(this.root, 'TOC');

    doc.addPage();
    this.suggestionLegend();
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
    this.toc(tocStart, perFirst, perNext, tocHeading, tocList);
    this.decorate();
  }

  /* ----- structure helpers ----- */

  /** A structure element that will hold other elements. */
  protected group(parent: Struct, type: string, options: Record<string, unknown> = {}): Struct {
    const el = this.doc.struct(type, options as { title?: string });
    parent.add(el);
    return el;
  }

  /** A structure element whose content is what `draw` puts on the page, drawn now. Nothing in `draw` may open marked content. */
  protected leaf(parent: Struct, type: string, draw: () => void, options: Record<string, unknown> = {}): void {
    parent.add(this.doc.struct(type, options as { title?: string }, draw));
  }

  /** Marks that are not content (rules, fills, borders, running header and footer, watermark). */
  protected artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout', attached?: string[]): void {
    this.doc.markContent('Artifact', { type, ...(attached ? { attached } : {}) });
    draw();
    this.doc.endMarkedContent();
  }

  /* ----- page helpers ----- */

  protected pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  protected bottom(): number {
    return 841.89 - MARGIN.bottom;
  }

  protected ensureSpace(h: number): void {
    if (this.doc.y + h > this.bottom()) this.doc.addPage();
  }

  protected font(name: FontName, size: number, color = INK): Doc {
    return this.doc.font(name).fontSize(size).fillColor(color);
  }

  protected rule(y: number, color = RULE, width = 0.6, x = MARGIN.left, w = this.width): void {
    this.artifact(() => this.doc.save().moveTo(x, y).lineTo(x + w, y).lineWidth(width).strokeColor(color).stroke().restore());
  }

  /* ----- cover ----- */

  private cover(): void {
    const doc = this.doc;
    const root = this.root;
    const x = MARGIN.left;
    this.artifact(() => doc.save().rect(0, 0, 595.28, 10).fill(ACCENT).restore());
    doc.y = 96;
    this.leaf(root, 'P', () =>
      this.font('Sans-Bold', 9.5, ACCENT).text('IDÉBURET OFFENTLIGT PARTNERSKAP', x, doc.y, {
        characterSpacing: 1.6,
        width: this.width,
      }),
    );
    doc.moveDown(1.4);
    this.leaf(root, 'P', () => this.font('Serif', 13, MUTED).text('Överenskommelse', { width: this.width }));
    doc.moveDown(0.25);
    this.leaf(root, 'H1', () =>
      this.font('Serif-Bold', 24, INK).text(this.s.title || 'Namnlös överenskommelse', {
        width: this.width,
        lineGap: 2,
      }),
    );
    doc.moveDown(0.8);
    this.rule(doc.y, ACCENT, 1.2, x, 64);
    doc.moveDown(1.4);

    this.leaf(root, 'P', () => this.font('Sans-Bold', 8.5, MUTED).text('MELLAN PARTERNA', x, doc.y, { characterSpacing: 1.2 }));
    doc.moveDown(0.6);
    this.s.parties.forEach((p, i) => {
      if (i > 0) {
        this.leaf(root, 'P', () => this.font('Serif-Italic', 10, MUTED).text('och', x, doc.y));
        doc.moveDown(0.35);
      }
      this.leaf(root, 'P', () => {
        this.font('Serif-Bold', 13, INK).text(p.name || 'Namnlös part', x, doc.y, { width: this.width });
        this.font('Sans', 9.5, MUTED).text(`${PARTY_KIND_LABEL[p.kind]} · organisationsnummer ${p.orgNumber || '–'}${partyVerificationSuffix(this.meta, p.id)}`, {
          width: this.width,
        });
      });
      doc.moveDown(0.6);
    });
    if (this.s.parties.length === 0) this.leaf(root, 'P', () => this.font('Serif-Italic', 11, MUTED).text('Inga parter angivna.'));

    doc.moveDown(1.2);
    const facts: Array<[string, string]> = [
      ...periodLines(this.s.period),
      ['Version', this.meta.versionLabel],
      ...(amendsText(this.meta) ? [['Ändrar', amendsText(this.meta)!] as [string, string]] : []),
      ['Datum', this.meta.date],
    ];
    const labelW = 150;
    for (const [label, value] of facts) {
      const y = doc.y;
      this.leaf(root, 'P', () => {
        this.font('Sans', 9, MUTED).text(label, x, y, { width: labelW });
        this.font('Serif', 10.5, INK).text(value, x + labelW, y, { width: this.width - labelW });
      });
      doc.y = Math.max(doc.y, y + 14) + 5;
    }
    const hy = doc.y;
    this.leaf(root, 'P', () => {
      this.font('Sans', 9, MUTED).text('Kontrollsumma (SHA-256)', x, hy, { width: labelW });
      this.font('Mono', 7.5, INK).text(this.meta.hash, x + labelW, hy + 1.5, { width: this.width - labelW });
    });
    doc.y = Math.max(doc.y, hy + 14) + 16;

    // The kommun's registration number: printed if known, otherwise a field to fill in by hand.
    const by = doc.y;
    const bw = 250;
    this.artifact(() => doc.save().lineWidth(0.8).strokeColor(RULE).rect(x, by, bw, 42).stroke().restore());
    this.leaf(root, 'P', () => {
      this.font('Sans', 7.5, MUTED).text('Kommunens diarienummer', x + 8, by + 6, { width: bw - 16 });
      if (this.meta.diarienummer) this.font('Serif', 11.5, INK).text(this.meta.diarienummer, x + 8, by + 20);
    });
    doc.y = by + 42;

    // Status at the foot of the cover.
    const sy = this.bottom() - 44;
    this.rule(sy - 10);
    this.leaf(root, 'P', () => {
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
    });
  }

  /* ----- table of contents ----- */

  private toc(start: number, perFirst: number, perNext: number, heading: Struct, list: Struct): void {
    const doc = this.doc;
    let page = start;
    doc.switchToPage(page);
    doc.y = MARGIN.top;
    heading.add(() => this.font('Sans-Bold', 16, ACCENT).text(GENERATED_HEADINGS.toc, MARGIN.left, doc.y));
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
      this.font(fontName, 10.5, INK);
      let title = e.title;
      while (doc.widthOfString(title) > titleMax && title.length > 4) title = `${title.slice(0, -2)}…`;
      const endX = titleX + doc.widthOfString(title) + 4;
      const item = this.group(list, 'TOCI');
      this.leaf(item, 'Link', () => {
        this.font('Serif', 10.5, MUTED).text(e.number ? `${e.number}.` : '', MARGIN.left, y, {
          width: numW - 6,
          lineBreak: false,
        });
        this.font(fontName, 10.5, INK).text(title, titleX, y, { lineBreak: false, goTo: e.id });
        this.font('Serif', 10.5, INK).text(pageNo, MARGIN.left + this.width - pnW, y, {
          width: pnW,
          align: 'right',
          lineBreak: false,
          goTo: e.id,
        });
      });
      const dotEnd = MARGIN.left + this.width - doc.widthOfString(pageNo) - 5;
      if (dotEnd > endX + 4) {
        this.artifact(() =>
          doc
            .save()
            .moveTo(endX, y + 9)
            .lineTo(dotEnd, y + 9)
            .lineWidth(0.7)
            .dash(0.7, { space: 2.6 })
            .strokeColor(RULE)
            .stroke()
            .undash()
            .restore(),
        );
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
    const tx = entry.number ? MARGIN.left + 28 : MARGIN.left;
    this.leaf(this.root, 'H2', () => {
      if (entry.number) {
        this.font('Sans-Bold', 13.5, ACCENT).text(`${entry.number}. `, MARGIN.left, y, { width: 28, lineBreak: false });
      }
      this.font('Sans-Bold', 13.5, ACCENT).text(entry.title, tx, y, { width: this.width - (tx - MARGIN.left) });
    });
    doc.moveDown(0.2);
    this.rule(doc.y, RULE, 0.5);
    doc.moveDown(0.55);
    doc.x = MARGIN.left;
  }

  protected subheading(text: string, parent: Struct = this.root): void {
    const doc = this.doc;
    doc.moveDown(0.5);
    this.ensureSpace(60);
    this.leaf(parent, 'H3', () => this.font('Sans-Bold', 10.5, INK).text(text, MARGIN.left, doc.y, { width: this.width }));
    doc.moveDown(0.3);
  }

  protected paragraph(text: string, opts: { font?: FontName; size?: number; color?: string; gap?: number } = {}, parent: Struct = this.root): void {
    this.leaf(parent, 'P', () =>
      this.font(opts.font ?? 'Serif', opts.size ?? BODY_SIZE, opts.color ?? INK).text(text, MARGIN.left, this.doc.y, {
        width: this.width,
        lineGap: 2.2,
        paragraphGap: opts.gap ?? 6,
      }),
    );
  }

  /** A paragraph of styled runs; a link run is its own Link element, so its annotation is tagged too. */
  private runs(runs: InlineRun[], x: number, width: number, size: number, parent: Struct, base: 'Serif' | 'Sans' = 'Serif'): void {
    const doc = this.doc;
    const clean = runs.filter((r) => r.text.length > 0);
    if (clean.length === 0) {
      doc.moveDown(0.5);
      return;
    }
    const para = this.group(parent, 'P');
    clean.forEach((r, i) => {
      let f: FontName;
      if (r.code) f = 'Mono';
      else if (base === 'Sans') f = r.bold ? 'Sans-Bold' : 'Sans';
      else f = r.bold && r.italic ? 'Serif-BoldItalic' : r.bold ? 'Serif-Bold' : r.italic ? 'Serif-Italic' : 'Serif';
      // A link annotation only for an address the link rule accepts; anything else is plain text.
      const link = safeLinkHref(r.link);
      const draw = () => {
        this.font(f, r.code ? size - 1 : size, link ? LINK : r.suggestion ? this.suggestions.colourOf(r.suggestion.id) : INK);
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
      };
      if (link) this.leaf(para, 'Link', draw);
      else para.add(draw);
    });
  }

  private blocks(nodes: readonly RichNode[], x: number, width: number, parent: Struct): void {
    const doc = this.doc;
    for (const node of nodes) {
      switch (node.type) {
        case 'paragraph':
          this.ensureSpace(16);
          this.runs(inlineRuns(node), x, width, BODY_SIZE, parent);
          break;
        case 'heading': {
          const level = Number(node.attrs?.['level'] ?? 1);
          doc.moveDown(0.35);
          this.ensureSpace(50);
          this.leaf(parent, level <= 1 ? 'H3' : 'H4', () =>
            this.font('Sans-Bold', level <= 1 ? 11.5 : 10.5, INK).text(plainText(node), x, doc.y, {
              width,
              paragraphGap: 4,
            }),
          );
          break;
        }
        case 'bulletList':
        case 'orderedList': {
          const start = Number(node.attrs?.['start'] ?? 1);
          const list = this.group(parent, 'L');
          (node.content ?? []).forEach((item, i) => {
            this.ensureSpace(16);
            const y = doc.y;
            const marker = node.type === 'bulletList' ? '•' : `${start + i}.`;
            const li = this.group(list, 'LI');
            this.leaf(li, 'Lbl', () => this.font('Serif', BODY_SIZE, INK).text(marker, x, y, { width: 16, lineBreak: false }));
            doc.y = y;
            this.blocks(item.content ?? [], x + 18, width - 18, this.group(li, 'LBody'));
          });
          doc.moveDown(0.2);
          break;
        }
        case 'listItem':
          this.blocks(node.content ?? [], x, width, parent);
          break;
        case 'blockquote': {
          const y0 = doc.y;
          this.blocks(node.content ?? [], x + 14, width - 14, this.group(parent, 'BlockQuote'));
          if (doc.y > y0) this.artifact(() => doc.save().rect(x + 2, y0, 2, doc.y - y0 - 6).fill(RULE).restore());
          break;
        }
        case 'table':
          this.richTable(node, x, width, parent);
          break;
        case 'horizontalRule':
          doc.moveDown(0.3);
          this.rule(doc.y, RULE, 0.5, x, width);
          doc.moveDown(0.6);
          break;
        case 'codeBlock':
          this.leaf(parent, 'P', () => this.font('Mono', 9, INK).text(plainText(node), x, doc.y, { width, paragraphGap: 6 }));
          break;
        default:
          if (node.content) this.blocks(node.content, x, width, parent);
          else if (node.text) this.leaf(parent, 'P', () => this.font('Serif', BODY_SIZE).text(node.text!, x, doc.y, { width }));
      }
    }
    doc.x = MARGIN.left;
  }

  private richTable(node: RichNode, x: number, width: number, parent: Struct): void {
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
    this.table(columns, body, { x, width, header: headerRow, size: 9, parent });
  }

  /* ----- tables ----- */

  /**
   * A bordered table, tagged Table/TR/TH/TD. Columns are sized for their content (see fitColumns) and
   * cell text is hyphenated with Swedish patterns and broken here, line by line, so a word breaks only
   * at a hyphenation point and with a visible hyphen. The header row repeats (as an artefact) on each
   * page the table continues on.
   */
  protected table(
    columns: Column[],
    rows: Row[],
    opts: { x?: number; width?: number; header?: boolean; size?: number; parent?: Struct } = {},
  ): void {
    const doc = this.doc;
    const x0 = opts.x ?? MARGIN.left;
    const total = opts.width ?? this.width;
    const size = opts.size ?? 8.8;
    const pad = 4.5;
    const lineGap = 1.2;
    const showHeader = opts.header !== false;
    const n = columns.length;
    // Line breaking measures the same strings many times: cache the widths per table.
    const widthCache = [new Map<string, number>(), new Map<string, number>()];
    const measure = (bold: boolean) => {
      const cache = widthCache[bold ? 1 : 0]!;
      return (text: string) => {
        let w = cache.get(text);
        if (w === undefined) {
          w = doc.font(bold ? 'Cond-Bold' : 'Cond').fontSize(size).widthOfString(text);
          cache.set(text, w);
        }
        return w;
      };
    };
    const isBold = (style: RowStyle | 'header') => style !== 'normal';

    const headerCells = columns.map((c) => hyphenate(c.header));
    const body = rows.map((r) => ({ style: r.style ?? 'normal', cells: (r.style === 'group' ? [r.cells[0] ?? ''] : r.cells).map(hyphenate) }));

    // What each column's content needs; a short row's first cell spans the extra columns and is left out.
    const needs: ColumnNeed[] = columns.map((_, i) => {
      const parts: ColumnNeed[] = [];
      // A header may wrap: it asks for its words, not for its whole line.
      if (showHeader) parts.push({ ...columnNeed([headerCells[i]!], measure(true), 2 * pad), max: 2 * pad });
      for (const bold of [false, true]) {
        const texts = body
          .filter((r) => r.style !== 'group' && isBold(r.style) === bold)
          .map((r) => {
            const span = n - r.cells.length;
            if (span > 0 && i <= span) return null;
            return r.cells[i - span] ?? null;
          })
          .filter((t): t is string => t !== null);
        if (texts.length) parts.push(columnNeed(texts, measure(bold), 2 * pad));
      }
      return parts.reduce((a, b) => ({ min: Math.max(a.min, b.min), word: Math.max(a.word, b.word), max: Math.max(a.max, b.max) }), { min: 2 * pad, word: 2 * pad, max: 2 * pad });
    });
    const widths = fitColumns(needs, total, columns.map((c) => c.width));

    const cellWidths = (cells: string[]): number[] => {
      const span = n - cells.length;
      if (span <= 0) return widths;
      const first = widths.slice(0, span + 1).reduce((a, b) => a + b, 0);
      return [first, ...widths.slice(span + 1)];
    };
    const alignOf = (cells: string[], i: number): 'left' | 'right' => columns[i + Math.max(0, n - cells.length)]?.align ?? 'left';
    const lineHeight = (bold: boolean) => doc.font(bold ? 'Cond-Bold' : 'Cond').fontSize(size).currentLineHeight(true) + lineGap;
    const layouts = new Map<string[], { ws: number[]; lines: Line[][]; h: number }>();
    const layout = (cells: string[], style: RowStyle | 'header') => {
      const known = layouts.get(cells);
      if (known) return known;
      const ws = style === 'group' ? [total] : cellWidths(cells);
      const lines: Line[][] = cells.map((t, i) => breakLines(t, ws[i]! - 2 * pad, measure(isBold(style))));
      const h = Math.max(...lines.map((l) => l.length), 1) * lineHeight(isBold(style)) - lineGap + 2 * pad;
      layouts.set(cells, { ws, lines, h });
      return { ws, lines, h };
    };

    const table = this.group(opts.parent ?? this.root, 'Table');
    const drawRow = (cells: string[], y: number, style: RowStyle | 'header', tagged: boolean): number => {
      const { ws, lines, h } = layout(cells, style);
      const fill = style === 'header' || style === 'total' ? FILL : style === 'group' ? FILL_SOFT : null;
      this.artifact(() => {
        let x = x0;
        ws.forEach((w) => {
          if (fill) doc.save().rect(x, y, w, h).fill(fill).restore();
          doc.save().lineWidth(0.5).strokeColor(RULE).rect(x, y, w, h).stroke().restore();
          x += w;
        });
      });
      const bold = isBold(style);
      const color = style === 'header' ? ACCENT : INK;
      const tr = tagged ? this.group(table, 'TR') : null;
      let x = x0;
      ws.forEach((w, i) => {
        const cx = x;
        const align = style === 'group' ? 'left' : alignOf(cells, i);
        const cellLines = lines[i]!;
        this.font(bold ? 'Cond-Bold' : 'Cond', size, color);
        const lh = lineHeight(bold);
        const at = (k: number) => {
          const l = cellLines[k]!;
          const lx = align === 'right' ? cx + w - pad - doc.widthOfString(l.hyphen ? `${l.text}-` : l.text) : cx + pad;
          return { lx, ly: y + pad + k * lh };
        };
        // Each line is its own marked content; the hyphen a line break added is an artefact between them,
        // so the cell's text reads back as the words it holds ("gymnasiebehörighet", not "gymnasie- behörighet").
        const drawLine = (k: number) => {
          const l = cellLines[k]!;
          const { lx, ly } = at(k);
          const last = k === cellLines.length - 1;
          this.font(bold ? 'Cond-Bold' : 'Cond', size, color).text(l.hyphen || last ? l.text : `${l.text} `, lx, ly, { lineBreak: false });
        };
        const drawHyphen = (k: number) => {
          const l = cellLines[k]!;
          const { lx, ly } = at(k);
          this.font(bold ? 'Cond-Bold' : 'Cond', size, color);
          doc.text('-', lx + doc.widthOfString(l.text), ly, { lineBreak: false });
        };
        if (tr) {
          const cell = this.group(tr, style === 'header' ? 'TH' : 'TD', style === 'header' ? { scope: 'Column' } : {});
          cellLines.forEach((l, k) => {
            if (l.text) cell.add(() => drawLine(k));
            if (l.hyphen) this.artifact(() => drawHyphen(k));
          });
        } else {
          this.artifact(() => cellLines.forEach((l, k) => (drawLine(k), l.hyphen && drawHyphen(k))), 'Pagination');
        }
        x += w;
      });
      return h;
    };

    const headerH = showHeader ? layout(headerCells, 'header').h : 0;
    const firstH = body[0] ? layout(body[0].cells, body[0].style).h : 0;
    this.ensureSpace(headerH + firstH + 4);
    let y = doc.y;
    if (showHeader) y += drawRow(headerCells, y, 'header', true);
    for (const row of body) {
      const h = layout(row.cells, row.style).h;
      if (y + h > this.bottom()) {
        doc.addPage();
        y = MARGIN.top;
        if (showHeader) y += drawRow(headerCells, y, 'header', false);
      }
      y += drawRow(row.cells, y, row.style, true);
    }
    doc.x = MARGIN.left;
    doc.y = y + 10;
  }

  /* ----- parts ----- */

  private section(entry: OutlineEntry): void {
    const section = this.s.sections[entry.sectionIndex!]!;
    this.heading(entry);
    if (isEmptyBody(section.body)) this.paragraph('(Avsnittet saknar text.)', { font: 'Serif-Italic', color: MUTED });
    else this.blocks(section.body.content ?? [], MARGIN.left, this.width, this.root);
    if (entry.sectionIndex === contactsSectionIndex(this.s)) this.contacts();
  }

  /** Marked drafts with open suggestions: what underlined and struck-through text means, and whose colour is whose. */
  private suggestionLegend(): void {
    const legend = this.suggestions.legend;
    if (legend.length === 0) return;
    const doc = this.doc;
    this.subheading(LEGEND_HEADING);
    this.paragraph(LEGEND_TEXT, { size: 9.5 });
    const list = this.group(this.root, 'L');
    for (const e of legend) {
      const item = this.group(list, 'LI');
      this.ensureSpace(16);
      const y = doc.y;
      this.artifact(() => doc.save().rect(MARGIN.left + 2, y + 2.5, 8, 8).fill(e.colour).restore());
      this.leaf(item, 'LBody', () =>
        this.font('Sans-Bold', 9.5, e.colour).text(legendLine(e), MARGIN.left + 16, y, { width: this.width - 16, lineGap: 2, paragraphGap: 3 }),
      );
    }
    doc.x = MARGIN.left;
    doc.moveDown(0.8);
  }

  /** The contact persons entered under "Parter", after the section about contacts. */
  private contacts(): void {
    this.subheading(CONTACTS_HEADING);
    const rows = contactRows(this.s);
    if (rows.length === 0) {
      this.paragraph('Inga kontaktpersoner har angetts.', { font: 'Serif-Italic', color: MUTED });
      return;
    }
    this.table(
      CONTACT_COLUMNS.map((header, i) => ({ header, width: [1.6, 1.4, 1.4, 1.8, 1][i]! })),
      rows.map((cells) => ({ cells })),
      { size: 8.8 },
    );
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
        { header: 'Nr', width: 0 },
        { header: 'Mål', width: 3 },
        { header: 'Indikator', width: 3 },
        { header: 'Utgångsvärde', width: 1.5 },
        { header: 'Målvärde, senast', width: 0.5 },
        { header: 'Uppföljning', width: 1.5 },
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
        { header: 'Slag', width: 0.5 },
        { header: 'Beskrivning', width: 3 },
        { header: 'Omfattning', width: 0.8 },
        { header: 'Period', width: 0.5 },
        { header: 'Värde', width: 0.5, align: 'right' },
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
        { header: 'Bedömning', width: 0 },
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
    const list = this.group(this.root, 'L');
    this.s.attachments.forEach((a, i) => {
      this.ensureSpace(30);
      const y = doc.y;
      const li = this.group(list, 'LI');
      this.leaf(li, 'Lbl', () =>
        this.font('Sans-Bold', 10, ACCENT).text(`Bilaga ${attachmentLetter(i)}`, MARGIN.left, y, {
          width: 70,
          lineBreak: false,
        }),
      );
      const lbody = this.group(li, 'LBody');
      this.leaf(lbody, 'P', () => {
        this.font('Serif-Bold', BODY_SIZE, INK).text(a.title || 'Namnlös bilaga', MARGIN.left + 72, y, {
          width: this.width - 72,
        });
        if (a.description) {
          this.font('Serif', 9.5, MUTED).text(a.description, MARGIN.left + 72, doc.y, { width: this.width - 72 });
        }
      });
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
    this.leaf(this.root, 'P', () => this.font('Mono', 8, INK).text(this.meta.hash, MARGIN.left, doc.y, { width: this.width }));
    doc.moveDown(2.4);

    const gap = 28;
    const colW = (this.width - gap) / 2;
    const parties = this.s.parties;
    for (let i = 0; i < parties.length; i += 2) {
      const pair = parties.slice(i, i + 2);
      const headH = Math.max(...pair.map((p) => this.signatureHeadHeight(p, colW)));
      const sigs = Math.max(...pair.map((p) => Math.max(printedSignatories(p).signatories.length, 1)));
      const marks = pair.some((p) => printedSignatories(p).missing) ? 24 : 0;
      this.ensureSpace(headH + 46 + sigs * 78 + marks);
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

  /** One party's block (a Div): organisation, place and date, then a signature line per signatory. Returns the end y. */
  private signatureBlock(p: PartySnapshot, x: number, y: number, w: number, headH: number): number {
    const doc = this.doc;
    const div = this.group(this.root, 'Div');
    this.leaf(div, 'P', () => {
      this.font('Serif-Bold', 11, INK).text(`För ${p.name || 'namnlös part'}`, x, y, { width: w });
      this.font('Sans', 8.5, MUTED).text(`Organisationsnummer ${p.orgNumber || '–'}`, x, doc.y, { width: w });
    });
    let cy = y + headH + 34;
    this.rule(cy, INK, 0.6, x, w);
    this.leaf(div, 'P', () => this.font('Sans', 7.5, MUTED).text('Ort och datum', x, cy + 3, { width: w }));
    // Signatories are people (members with an account); free text only as a fallback, marked as missing.
    const printed = printedSignatories(p);
    const signatories = printed.signatories.length > 0 ? printed.signatories : [null];
    for (const sig of signatories) {
      cy += 56;
      this.rule(cy, INK, 0.6, x, w);
      const lineY = cy;
      this.leaf(div, 'P', () => {
        this.font('Sans', 7.5, MUTED).text('Underskrift', x, lineY + 3, { width: w });
        this.font('Serif', 10, INK).text(sig?.name || 'Namnförtydligande:', x, lineY + 14, { width: w });
        this.font('Serif-Italic', 9, MUTED).text(sig?.title || 'Titel:', x, doc.y, { width: w });
      });
      cy = doc.y;
    }
    if (printed.missing) {
      const y1 = cy + 4;
      this.leaf(div, 'P', () => this.font('Sans-Bold', 7.5, INK).text(MISSING_SIGNATORY, x, y1, { width: w }));
      cy = doc.y;
    }
    return cy;
  }

  /* ----- running header, footer and watermark on every page: artefacts ----- */

  protected decorate(): void {
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
        this.artifact(
          () => {
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
            doc.save().moveTo(MARGIN.left, 58).lineTo(MARGIN.left + this.width, 58).lineWidth(0.4).strokeColor(RULE).stroke().restore();
          },
          'Pagination',
          ['Top'],
        );
      }
      this.artifact(
        () => {
          doc.save().moveTo(MARGIN.left, h - 56).lineTo(MARGIN.left + this.width, h - 56).lineWidth(0.4).strokeColor(RULE).stroke().restore();
          this.font('Sans', 7.5, MUTED).text(`${prefix} · sida ${i + 1} av ${total}`, MARGIN.left, h - 48, {
            width: this.width,
            align: 'center',
            lineBreak: false,
          });
        },
        'Pagination',
        ['Bottom'],
      );
      if (this.meta.mode === 'draft') {
        this.artifact(() => {
          doc.save();
          doc.rotate(-52, { origin: [w / 2, h / 2] });
          doc.fillOpacity(0.13);
          this.font('Sans-Bold', 118, '#7a8591').text(WATERMARK_TEXT, 0, h / 2 - 70, {
            width: w,
            align: 'center',
            lineBreak: false,
          });
          doc.restore();
        }, 'Pagination');
      }
      doc.page.margins.bottom = savedBottom;
    }
  }
}
