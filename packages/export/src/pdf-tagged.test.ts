import { beforeAll, describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '@overens/model';
import { renderPdf } from './pdf.ts';
import { buildOutline, headingText } from './outline.ts';
import { exportFixture, exportMeta } from './testing/fixture.ts';
import { parseStructText, pdfInfo, pdfStructText, pdfStructure, type StructNode } from './testing/poppler.ts';

const headings = (nodes: StructNode[]) => nodes.filter((n) => /^H\d$/.test(n.type));
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('renderPdf: a tagged PDF (structure, language, title, artefacts)', () => {
  const snapshot = exportFixture();
  let signing: Buffer;
  let draft: Buffer;
  let nodes: StructNode[];
  // pdfinfo -struct-text re-reads a page per marked-content sequence: slow, so once per file.
  let structSigning: string;
  let structDraft: string;

  beforeAll(async () => {
    signing = await renderPdf(snapshot, exportMeta({ mode: 'signing' }));
    draft = await renderPdf(snapshot, exportMeta({ mode: 'draft', versionLabel: 'Arbetsversion', versionNumber: null }));
    structSigning = pdfStructText(signing);
    structDraft = pdfStructText(draft);
    nodes = parseStructText(structSigning);
  }, 120_000);

  it('is tagged, in Swedish, shows its title in the window and says which PDF/A part and level it claims', () => {
    for (const pdf of [signing, draft]) {
      expect(pdfInfo(pdf)['Tagged']).toBe('yes');
      const raw = pdf.toString('latin1');
      expect(raw).toMatch(/\/Lang \(sv-SE\)/);
      expect(raw).toMatch(/\/DisplayDocTitle true/);
      expect(raw).toMatch(/\/Marked true/);
      // XMP metadata with the PDF/A identification: part 2, conformance B (see pdf.ts for why not A).
      expect(raw).toContain('<pdfaid:part>2</pdfaid:part>');
      expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    }
  });

  it('lists the title, the table of contents and every section heading in reading order', () => {
    const expected = [snapshot.title, 'Innehåll', ...buildOutline(snapshot).map(headingText)];
    expect(headings(nodes).filter((n) => n.type !== 'H3' && n.type !== 'H4').map((n) => squash(n.text))).toEqual(expected);
    // The document title is the only H1; sections are H2; headings inside section text go one level down.
    expect(headings(nodes).filter((n) => n.type === 'H1').map((n) => n.text)).toEqual([snapshot.title]);
    expect(headings(nodes).filter((n) => n.type === 'H3').map((n) => squash(n.text))).toEqual([
      'Föreningens åtaganden',
      'Kommunens åtaganden',
      'Kontaktpersoner enligt parternas uppgifter',
      'Summering per slag av insats',
    ]);
  });

  it('tags paragraphs, lists with labels and bodies, and tables with header cells', () => {
    const types = new Set(nodes.map((n) => n.type));
    for (const t of ['Document', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD', 'TOC', 'TOCI']) expect(types, t).toContain(t);
    const goalHeader = nodes.filter((n) => n.type === 'TH').map((n) => squash(n.text));
    expect(goalHeader).toEqual(expect.arrayContaining(['Mål', 'Indikator', 'Utgångsvärde', 'Uppföljning']));
    // The hyphen a line break adds is an artefact: the cell reads back with its words whole.
    const cells = nodes.filter((n) => n.type === 'TD').map((n) => squash(n.text));
    expect(cells).toContain('Andel elever i årskurs 9 med gymnasiebehörighet');
    const labels = nodes.filter((n) => n.type === 'Lbl').map((n) => n.text.trim());
    expect(labels).toEqual(expect.arrayContaining(['•', '1.', '2.']));
    const paragraphs = nodes.filter((n) => n.type === 'P').map((n) => squash(n.text));
    expect(paragraphs.some((p) => p.startsWith('Under 2025 genomförde parterna en gemensam behovsinventering.'))).toBe(true);
  });

  it('marks running headers, footers and the draft watermark as artefacts, outside the structure', () => {
    const struct = structSigning;
    expect(struct).toContain('Document');
    expect(struct).not.toContain('sida 1 av');
    expect(struct).not.toContain('Dnr SN 2026/0412');
    const draftStruct = structDraft;
    expect(draftStruct).not.toMatch(/UTKAST/);
    expect(draftStruct).not.toContain('sida 2 av');
  });

  it('tags the model package’s complete fixture the same way', { timeout: 60_000 }, async () => {
    const complete = completeFixtureSnapshot();
    const pdf = await renderPdf(complete, exportMeta({ versionNumber: 1, versionLabel: 'Slutlig version 1' }));
    expect(pdfInfo(pdf)['Tagged']).toBe('yes');
    const hs = headings(pdfStructure(pdf)).filter((n) => n.type === 'H1' || n.type === 'H2').map((n) => squash(n.text));
    expect(hs).toEqual([complete.title, 'Innehåll', ...buildOutline(complete).map(headingText)]);
  });
});
