/** Open suggestions in draft exports (issue #16): marked as Word shows them, with a legend, or clean. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hexToRgb, makeSuggestionId, partyColour, type AgreementSnapshot, type RichNode } from '@overens/model';
import { renderDocx } from './docx.ts';
import { renderPdf } from './pdf.ts';
import { LEGEND_HEADING } from './suggestions.ts';
import { exportFixture, exportMeta } from './testing/fixture.ts';
import { pdfPages } from './testing/poppler.ts';
import type { ExportMeta } from './meta.ts';

const squash = (s: string): string => s.replace(/\s+/g, ' ');
const KOMMUN_USER = 'u-kommun';
const NGO_USER = 'u-ngo';
const t = (text: string, marks?: RichNode['marks']): RichNode => (marks ? { type: 'text', text, marks } : { type: 'text', text });

function withSuggestions(): AgreementSnapshot {
  const s = exportFixture();
  const ins = makeSuggestionId(KOMMUN_USER, new Date('2026-12-01T10:00:00Z'), () => 0.1);
  const del = makeSuggestionId(NGO_USER, new Date('2026-12-01T11:00:00Z'), () => 0.2);
  s.sections[0] = {
    ...s.sections[0]!,
    body: {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [t('Föreningen erbjuder '), t('kostnadsfri\u200B ', [{ type: 'insertion', attrs: { id: ins } }]), t('läxhjälp '), t('varje vardag', [{ type: 'deletion', attrs: { id: del } }]), t(' i Ängby.')],
        },
      ],
    },
  };
  return s;
}

function metaFor(s: AgreementSnapshot, over: Partial<ExportMeta>): ExportMeta {
  const [kommun, ngo] = s.parties;
  return exportMeta({
    mode: 'draft',
    versionLabel: 'Arbetsversion',
    versionNumber: null,
    suggestionAuthors: { [KOMMUN_USER]: { name: 'Eva Öberg', partyId: kommun!.id }, [NGO_USER]: { name: 'Nora Ek', partyId: ngo!.id } },
    ...over,
  });
}

/** Pixels of a page (72 dpi, colour) within a small distance of `hex`. */
function pixelsOf(pdf: Buffer, page: number, hex: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'overens-sug-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '72', '-f', String(page), '-l', String(page), join(dir, 'a.pdf'), join(dir, 'p')]);
    const file = readdirSync(dir).find((f) => f.endsWith('.ppm'))!;
    const buf = readFileSync(join(dir, file));
    // P6 header: magic, width, height, maxval, each followed by whitespace.
    let at = 0;
    const fields: string[] = [];
    while (fields.length < 4) {
      while (/\s/.test(String.fromCharCode(buf[at]!))) at++;
      let f = '';
      while (!/\s/.test(String.fromCharCode(buf[at]!))) f += String.fromCharCode(buf[at++]!);
      fields.push(f);
    }
    at++;
    const [r, g, b] = hexToRgb(hex);
    let n = 0;
    for (let i = at; i + 2 < buf.length; i += 3) {
      if (Math.abs(buf[i]! - r) + Math.abs(buf[i + 1]! - g) + Math.abs(buf[i + 2]! - b) < 40) n++;
    }
    return n;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function docxPart(docx: Buffer, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'overens-docx-'));
  try {
    writeFileSync(join(dir, 'd.docx'), docx);
    return execFileSync('unzip', ['-p', join(dir, 'd.docx'), name], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('suggestions in exports', () => {
  const snapshot = withSuggestions();
  let marked: string[];
  let markedPdf: Buffer;
  let clean: string;
  let cleanPdf: Buffer;

  beforeAll(async () => {
    markedPdf = await renderPdf(snapshot, metaFor(snapshot, {}));
    marked = pdfPages(markedPdf);
    cleanPdf = await renderPdf(snapshot, metaFor(snapshot, { suggestions: 'clean' }));
    clean = squash(pdfPages(cleanPdf).join(' '));
  }, 120_000);

  it('a marked draft PDF shows both suggestions in the text and a legend naming who is which party', () => {
    const all = squash(marked.join(' '));
    expect(all).toContain(LEGEND_HEADING);
    expect(all).toContain('Understruken text är föreslagen att läggas till');
    expect(all).toContain('Sjöviks kommun: Eva Öberg');
    expect(all).toContain(`${snapshot.parties[1]!.name}: Nora Ek`);
    expect(all).toContain('Föreningen erbjuder kostnadsfri läxhjälp varje vardag i Ängby.');
    expect(all).not.toContain('\u200B');
  });

  it("prints each suggestion in its party's colour", () => {
    const page = marked.findIndex((p) => squash(p).includes('kostnadsfri läxhjälp')) + 1;
    expect(page).toBeGreaterThan(0);
    // Against the same page printed clean (the party colour may also be used for links).
    const cleanPage = pdfPages(cleanPdf).findIndex((p) => squash(p).includes('erbjuder läxhjälp')) + 1;
    for (const colour of [partyColour(0), partyColour(1)]) {
      expect(pixelsOf(markedPdf, page, colour)).toBeGreaterThan(pixelsOf(cleanPdf, cleanPage, colour) + 20);
    }
  });

  it('a clean draft PDF has the standing text only and no legend', () => {
    expect(clean).not.toContain(LEGEND_HEADING);
    expect(clean).not.toContain('kostnadsfri');
    expect(clean).toContain('Föreningen erbjuder läxhjälp varje vardag i Ängby.');
  });

  it('a signing-ready export is always clean', async () => {
    const signing = squash(pdfPages(await renderPdf(snapshot, metaFor(snapshot, { mode: 'signing', suggestions: 'marked' }))).join(' '));
    expect(signing).not.toContain(LEGEND_HEADING);
    expect(signing).not.toContain('kostnadsfri');
  }, 60_000);

  it('DOCX: marked insertions underlined and deletions struck through in the party colour; clean leaves them out', async () => {
    const xml = docxPart(await renderDocx(snapshot, metaFor(snapshot, {})), 'word/document.xml');
    expect(xml).toContain(LEGEND_HEADING);
    const run = (text: string) => xml.match(new RegExp(`<w:r>(?:(?!<w:r>).)*?${text}`, 's'))?.[0] ?? '';
    expect(run('kostnadsfri')).toMatch(/<w:u /);
    expect(run('kostnadsfri')).toContain(`w:val="${partyColour(0).slice(1).toUpperCase()}"`);
    expect(run('varje vardag')).toMatch(/<w:strike/);
    expect(run('varje vardag')).toContain(`w:val="${partyColour(1).slice(1).toUpperCase()}"`);
    const cleanXml = docxPart(await renderDocx(snapshot, metaFor(snapshot, { suggestions: 'clean' })), 'word/document.xml');
    expect(cleanXml).not.toContain('kostnadsfri');
    expect(cleanXml).not.toContain(LEGEND_HEADING);
    expect(cleanXml).toContain('varje vardag');
  }, 60_000);
});
