import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from './docx.ts';
import { buildOutline, headingText } from './outline.ts';
import { exportFixture, exportMeta, HASH } from './testing/fixture.ts';

/** One part of the .docx package (a zip), read with the system unzip. */
function part(docx: Buffer, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'overens-docx-'));
  try {
    const path = join(dir, 'doc.docx');
    writeFileSync(path, docx);
    return execFileSync('unzip', ['-p', path, name], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const headings = (html: string, tag: string): string[] =>
  [...html.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'g'))].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());

describe('renderDocx', () => {
  const snapshot = exportFixture();
  let signing: Buffer;
  let html: string;

  beforeAll(async () => {
    signing = await renderDocx(snapshot, exportMeta());
    html = (await mammoth.convertToHtml({ buffer: signing })).value;
  }, 60_000);

  it('reads back with mammoth with the same Heading 1 headings, in order', () => {
    expect(signing.subarray(0, 2).toString()).toBe('PK');
    expect(headings(html, 'h1')).toEqual(buildOutline(snapshot).map(headingText));
  });

  it('keeps headings inside section text, and the generated subheadings, as Heading 2', () => {
    expect(headings(html, 'h2')).toEqual(['Föreningens åtaganden', 'Kommunens åtaganden', 'Kontaktpersoner enligt parternas uppgifter', 'Summering per slag av insats']);
  });

  it('writes real tables: goals, contributions with totals, suitability, tables from the text', () => {
    const tables = html.match(/<table>/g) ?? [];
    // cover facts, contacts (text), contacts (parties), economy (text), goals, contributions, per-kind totals, suitability, signatures
    expect(tables.length).toBe(9);
    expect(html).toContain('<th><p><strong>Indikator</strong></p></th>');
    expect(html).toContain('<td><p>Andel elever i årskurs 9 med gymnasiebehörighet</p></td>');
    expect(html).toContain('Summa samtliga parter');
    expect(html).toContain('2\u00a0522\u00a0000\u00a0kr');
    expect(html).toContain('<th><p>Kontaktperson</p></th>');
    expect(html).toContain('<td><p>Karin Lindqvist</p></td>');
  });

  it('has lists, links, parties, signatories and the hash', () => {
    expect(html).toContain('<li>minska ofrivillig ensamhet bland unga,</li>');
    expect(html).toContain('<a href="https://www.forumideburen.org">');
    for (const p of snapshot.parties) {
      expect(html).toContain(p.name);
      expect(html).toContain(p.orgNumber);
      for (const s of p.signatories) expect(html).toContain(s.name);
    }
    expect(html).toContain(HASH);
    expect(html).toContain('Bilaga A');
  });

  it('uses Heading1 styles and page-number fields in the footer, and sets document properties', () => {
    const document = part(signing, 'word/document.xml');
    expect(document).toContain('<w:pStyle w:val="Heading1"/>');
    expect(document).toContain('<w:pStyle w:val="Heading2"/>');
    const footers = part(signing, 'word/footer*.xml');
    expect(footers).toContain(`version 3 · SHA-256 ${HASH.slice(0, 12)} · sida `);
    expect(footers).toMatch(/PAGE/);
    expect(footers).toMatch(/NUMPAGES/);
    const core = part(signing, 'docProps/core.xml');
    expect(core).toContain(snapshot.title);
    expect(core).toContain(HASH);
  });

  it('marks a draft UTKAST in the header, and not a signing version', async () => {
    const draft = await renderDocx(snapshot, exportMeta({ mode: 'draft' }));
    expect(part(draft, 'word/header*.xml')).toContain('UTKAST');
    expect(part(signing, 'word/header*.xml')).not.toContain('UTKAST');
    expect(html).not.toMatch(/utkast/i);
  });
});
