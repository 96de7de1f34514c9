import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from './docx.ts';
import { doc, exportFixture, exportMeta, p, table } from './testing/fixture.ts';

/** Every part of the .docx package (a zip), listed and read with the system unzip. */
function parts(docx: Buffer): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'overens-docx-'));
  try {
    const path = join(dir, 'doc.docx');
    writeFileSync(path, docx);
    const names = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).split('\n').filter(Boolean);
    return new Map(names.map((n) => [n, execFileSync('unzip', ['-p', path, n.replace(/[[\]*?]/g, '\\$&')], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 })]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wordText = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

describe('renderDocx: the signing version', () => {
  const snapshot = exportFixture();
  let signing: Map<string, string>;
  let draft: Map<string, string>;

  beforeAll(async () => {
    signing = parts(await renderDocx(snapshot, exportMeta({ mode: 'signing' })));
    draft = parts(await renderDocx(snapshot, exportMeta({ mode: 'draft', versionLabel: 'Arbetsversion', versionNumber: null })));
  }, 60_000);

  it('has no draft mark in any part: document, headers, footers, properties', () => {
    const names = [...signing.keys()];
    expect(names).toContain('word/document.xml');
    expect(names.filter((n) => /^word\/(header|footer)\d*\.xml$/.test(n)).length).toBeGreaterThanOrEqual(2);
    for (const [name, xml] of signing) {
      expect(xml, name).not.toMatch(/utkast/i);
      expect(xml, name).not.toContain('inte för underskrift');
    }
    expect(wordText(signing.get('word/document.xml')!)).toContain('Slutlig version 3 – för underskrift');
    // The draft says what it is, in its header and on its cover.
    expect([...draft].filter(([n]) => n.startsWith('word/header')).map(([, x]) => wordText(x)).join(' ')).toContain('UTKAST');
    expect(wordText(draft.get('word/document.xml')!)).toContain('Arbetsexemplar – inte för underskrift');
  });

  it('lists every party’s contact persons with name, role, e-mail and phone in a table with a header row', () => {
    const xml = signing.get('word/document.xml')!;
    const text = wordText(xml);
    expect(text).toContain('Kontaktpersoner enligt parternas uppgifter');
    for (const p of snapshot.parties) {
      for (const c of p.contacts) for (const field of [c.name, c.title, c.email, c.phone]) expect(text, field).toContain(field);
    }
    const contactsTable = xml.slice(xml.indexOf('Kontaktpersoner enligt parternas uppgifter'));
    expect(contactsTable.slice(0, contactsTable.indexOf('</w:tbl>'))).toContain('<w:tblHeader/>');
  });

  it('uses heading styles, repeating table header rows, Swedish and automatic hyphenation', () => {
    const xml = signing.get('word/document.xml')!;
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading2"/>');
    // Goals, contacts (two), contributions, sums per kind, suitability, economy: each has a header row.
    expect((xml.match(/<w:tblHeader\/>/g) ?? []).length).toBeGreaterThanOrEqual(7);
    expect(signing.get('word/styles.xml')).toContain('w:val="sv-SE"');
    expect(signing.get('word/settings.xml')).toContain('<w:autoHyphenation/>');
  });

  it('sizes table columns for their content: a number column is narrow, the text beside it wide', async () => {
    const s = exportFixture();
    s.sections[0] = {
      ...s.sections[0]!,
      body: doc(
        p('Aktiviteter:'),
        table(['Nr', 'Aktivitet och ansvar'], ['1', 'Föreningen samordnar de ideella läxhjälparna och ansvarar för introduktion, handledning och uppföljning.'], ['2', 'Kommunen upplåter lokaler.']),
      ),
    };
    const xml = parts(await renderDocx(s, exportMeta())).get('word/document.xml')!;
    const grids = [...xml.matchAll(/<w:tblGrid>(.*?)<\/w:tblGrid>/g)].map((m) => [...m[1]!.matchAll(/w:w="(\d+)"/g)].map((x) => Number(x[1])));
    // The first two-column grid after the cover's facts table is the section's table.
    const cols = grids.slice(1).find((g) => g.length === 2)!;
    expect(cols[0]! + cols[1]!).toBeGreaterThan(8500);
    expect(cols[0]).toBeLessThan(0.15 * (cols[0]! + cols[1]!));
    // The goal table: "Nr" narrow, the goal text wider than the target column.
    const goals = grids.find((g) => g.length === 6)!;
    expect(goals[0]).toBeLessThan(700);
    expect(goals[1]).toBeGreaterThan(goals[4]!);
  });
});
