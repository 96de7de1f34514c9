import { beforeAll, describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '@overens/model';
import { renderPdf } from './pdf.ts';
import { buildOutline, headingText } from './outline.ts';
import { exportFixture, exportMeta, HASH } from './testing/fixture.ts';
import { inkRatio, pdfFonts, pdfInfo, pdfPages, pdfText } from './testing/poppler.ts';

const squash = (s: string): string => s.replace(/\s+/g, ' ');
const count = (hay: string, needle: string): number => hay.split(needle).length - 1;

describe('renderPdf', () => {
  const snapshot = exportFixture();
  let signing: Buffer;
  let draft: Buffer;
  let text: string;
  let pages: string[];

  beforeAll(async () => {
    signing = await renderPdf(snapshot, exportMeta({ mode: 'signing' }));
    draft = await renderPdf(snapshot, exportMeta({ mode: 'draft', versionLabel: 'Arbetsversion', versionNumber: null }));
    text = squash(pdfText(signing));
    pages = pdfPages(signing);
  }, 60_000);

  it('writes a PDF with every heading twice (table of contents and body), in order', () => {
    expect(signing.subarray(0, 5).toString()).toBe('%PDF-');
    const outline = buildOutline(snapshot);
    expect(outline).toHaveLength(snapshot.sections.length + 5);
    const toc = squash(pages[1]!);
    expect(toc).toContain('Innehåll');
    for (const e of outline) expect(count(text, e.title), e.title).toBeGreaterThanOrEqual(2);
    // After the cover and the table of contents, the headings follow in the outline's order, numbered.
    const body = squash(pages.slice(2).join(' '));
    let from = 0;
    for (const e of outline) {
      const at = body.indexOf(headingText(e), from);
      expect(at, `${headingText(e)} in order`).toBeGreaterThanOrEqual(from);
      from = at + e.title.length;
    }
    // The table of contents gives each heading's page: "Underskrifter …… <last page>".
    expect(toc).toMatch(new RegExp(`Underskrifter \\.* ?${pages.length}`));
  });

  it('names every party with its organisation number, on the cover and the signature page', () => {
    const cover = squash(pages[0]!);
    const last = squash(pages[pages.length - 1]!);
    for (const p of snapshot.parties) {
      expect(cover).toContain(p.name);
      expect(cover).toContain(p.orgNumber);
      expect(last).toContain(`För ${p.name}`);
      expect(last).toContain(p.orgNumber);
      for (const s of p.signatories) {
        expect(last).toContain(s.name);
        expect(last).toContain(s.title);
      }
    }
    expect(last).toContain('Ort och datum');
    expect(cover).toContain('SN 2026/0412');
  });

  it('puts "version N · SHA-256 <12 hex> · sida X av Y" on every page and the full hash on cover and signature page', () => {
    const n = pages.length;
    expect(Number(pdfInfo(signing)['Pages'])).toBe(n);
    pages.forEach((page, i) => {
      expect(squash(page)).toContain(`version 3 · SHA-256 ${HASH.slice(0, 12)} · sida ${i + 1} av ${n}`);
    });
    expect(squash(pages[0]!)).toContain(HASH);
    expect(squash(pages[n - 1]!)).toContain(HASH);
  });

  it('has goal, contribution (with totals) and suitability tables', () => {
    for (const g of snapshot.goals) {
      expect(text).toContain(`${g.targetValue} ${g.deadline}`);
      expect(text).toContain(`(${g.baselineDate})`);
    }
    expect(text).toContain("Målvärde, senast");
    expect(text).toContain('Summa Sjöviks kommun');
    expect(text).toContain('2 130 000 kr');
    expect(text).toContain('Summa samtliga parter');
    expect(text).toContain('2 522 000 kr');
    expect(text).toContain('Summering per slag av insats');
    expect(text).toContain('Det finns ingen marknad eller konkurrenssituation att skydda.');
    expect(text).toContain('Bilaga A');
    expect(text).toContain('Bilaga B');
    expect(text).toContain('Behovsinventering Ängby 2025');
  });

  it('renders rich text: lists, links and tables inside sections', () => {
    expect(text).toContain('• minska ofrivillig ensamhet bland unga');
    expect(text).toContain('2. Organisera språkcafé för föräldrar varannan lördag.');
    expect(text).toContain('Forum – idéburna organisationer med social inriktning');
    expect(text).toContain('karin.lindqvist@sjovik.se');
  });

  it('embeds every font and sets title, author, subject and keywords with the hash', () => {
    const fonts = pdfFonts(signing);
    expect(fonts.length).toBeGreaterThan(3);
    for (const f of fonts) expect(f.embedded, f.name).toBe(true);
    const info = pdfInfo(signing);
    expect(info['Title']).toBe(snapshot.title);
    expect(info['Author']).toContain('Sjöviks kommun');
    expect(info['Subject']).toContain('idéburet offentligt partnerskap');
    expect(info['Keywords']).toContain(HASH);
  });

  it('renders page 1 with visible ink', () => {
    const ratio = inkRatio(signing, 1);
    expect(ratio).toBeGreaterThan(0.01);
    expect(ratio).toBeLessThan(0.5);
  });

  it('marks every page of a draft UTKAST, and no page of a signing version', () => {
    // Rotated text comes out of pdftotext glyph by glyph; in content-stream order (-raw) the letters are adjacent.
    const draftPages = pdfPages(draft);
    const rawPages = pdfPages(draft, true).map((p) => p.replace(/\s+/g, ''));
    expect(draftPages.length).toBeGreaterThan(3);
    expect(rawPages).toHaveLength(draftPages.length);
    rawPages.forEach((p, i) => expect(p, `page ${i + 1}`).toContain('UTKAST'));
    expect(pdfText(signing, true).replace(/\s+/g, '')).not.toMatch(/utkast/i);
    expect(pdfText(signing)).not.toMatch(/utkast/i);
    // A draft without a version number names its version in the footer.
    expect(squash(draftPages[0]!)).toContain(`Arbetsversion · SHA-256 ${HASH.slice(0, 12)} · sida 1 av ${draftPages.length}`);
  });

  it('keeps headings and text of an agreement with empty sections and no tables', async () => {
    const bare = exportFixture();
    bare.sections = bare.sections.map((s) => ({ ...s, body: { type: 'doc', content: [] } }));
    bare.goals = [];
    bare.contributions = [];
    bare.attachments = [];
    const t = squash(pdfText(await renderPdf(bare, exportMeta())));
    expect(t).toContain('(Avsnittet saknar text.)');
    expect(t).toContain('Inga gemensamma mål har angetts.');
    expect(t).toContain('Inga insatser har angetts.');
    expect(t).toContain('Överenskommelsen har inga bilagor.');
  });
});

describe('renderPdf with the model package’s complete fixture', () => {
  it('has every heading, party name and organisation number, the hash and page numbers', async () => {
    const snapshot = completeFixtureSnapshot();
    const pdf = await renderPdf(snapshot, exportMeta({ mode: 'signing', versionNumber: 1, versionLabel: 'Slutlig version 1' }));
    const pages = pdfPages(pdf);
    const text = squash(pages.join(' '));
    for (const e of buildOutline(snapshot)) expect(count(text, e.title), e.title).toBeGreaterThanOrEqual(2);
    for (const p of snapshot.parties) {
      expect(text).toContain(p.name);
      expect(text).toContain(p.orgNumber);
    }
    expect(text).toContain(HASH);
    pages.forEach((page, i) => expect(squash(page)).toContain(`version 1 · SHA-256 ${HASH.slice(0, 12)} · sida ${i + 1} av ${pages.length}`));
    expect(inkRatio(pdf, 1)).toBeGreaterThan(0.01);
  });
});
