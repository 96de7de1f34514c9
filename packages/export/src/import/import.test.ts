import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { describe, expect, it } from 'vitest';
import { STANDARD_TEMPLATE } from '@overens/model';
import { renderDocx } from '../docx.ts';
import { exportFixture, exportMeta } from '../testing/fixture.ts';
import { ImportError } from './errors.ts';
import { assignHeadings, normalizeHeading } from './match.ts';
import { proposeImport } from './propose.ts';

async function docxOf(children: Array<Paragraph | Table>): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}
const h1 = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(text)] });
const h2 = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(text)] });
const para = (text: string, bold = false) => new Paragraph({ children: [new TextRun({ text, bold })] });
const cell = (text: string) => new TableCell({ children: [para(text)] });

async function importError(buf: Buffer, maxBytes?: number): Promise<ImportError> {
  try {
    await proposeImport(buf, STANDARD_TEMPLATE, maxBytes ? { maxBytes } : {});
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('heading matching', () => {
  it('normalises case, numbering, punctuation and whitespace', () => {
    expect(normalizeHeading('3.  SYFTE')).toBe('syfte');
    expect(normalizeHeading('3.1 Ekonomi:')).toBe('ekonomi');
    expect(normalizeHeading('§ 4 Målgruppen')).toBe('målgruppen');
    expect(normalizeHeading('IV. Samverkan')).toBe('samverkan');
    expect(normalizeHeading('B) Parter')).toBe('parter');
    expect(normalizeHeading('Insats\u00a0–\tuppdrag')).toBe('insats uppdrag');
    expect(normalizeHeading('2022 års budget')).toBe('2022 års budget');
  });

  it('maps titles, synonyms and near misses to template keys, each key once', () => {
    const m = assignHeadings(
      ['Syfte', 'EKONOMI OCH RESURSER', '7. Kontaktpersoner', 'Målgrupp', 'Bakgrnd', 'Ekonomi', 'Fikarutiner', 'Uppsägning'],
      STANDARD_TEMPLATE,
    );
    expect(m.map((x) => x?.key ?? null)).toEqual([
      'purpose',
      null, // 'Ekonomi' itself is the exact title and wins the key
      'contacts',
      'target_group',
      'background',
      'economy',
      null,
      'extension_termination',
    ]);
    expect(m[5]!.confidence).toBe(1);
    expect(m[0]!.confidence).toBeLessThan(1);
    expect(m[4]!.confidence).toBeLessThan(0.9);
  });
});

describe('proposeImport', () => {
  it('maps every heading of our own exported DOCX back to its section, with the text', async () => {
    const snapshot = exportFixture();
    const docx = await renderDocx(snapshot, exportMeta());
    const proposal = await proposeImport(docx, STANDARD_TEMPLATE);
    expect(proposal.title).toBe(snapshot.title);
    expect(proposal.sections.map((s) => s.matchedKey)).toEqual(snapshot.sections.map((s) => s.key));
    for (const s of proposal.sections) expect(s.confidence).toBe(1);
    expect(proposal.missingKeys).toEqual([]);
    // Generated parts (goal table, signatures …) are reported, not imported as text.
    expect(proposal.warnings.filter((w) => w.code === 'skipped_generated')).toHaveLength(5);
    const assignment = proposal.sections.find((s) => s.matchedKey === 'assignment')!;
    expect(assignment.body.content!.map((n) => n.type)).toEqual(['heading', 'orderedList', 'heading', 'orderedList']);
    expect(assignment.body.content![0]!.attrs).toEqual({ level: 1 });
    const contacts = proposal.sections.find((s) => s.matchedKey === 'contacts')!;
    const table = contacts.body.content![0]!;
    expect(table.type).toBe('table');
    expect(table.content).toHaveLength(3);
    expect(table.content![0]!.content![0]!.type).toBe('tableHeader');
    expect(JSON.stringify(table)).toContain('Karin Lindqvist');
    const form = proposal.sections.find((s) => s.matchedKey === 'form_and_premises')!;
    expect(JSON.stringify(form.body)).toContain('"href":"https://www.forumideburen.org"');
    expect(JSON.stringify(form.body)).toContain('{"type":"italic"}');
  });

  it('matches tolerant headings, puts tables into the body and unknown headings into custom sections', async () => {
    const docx = await docxOf([
      new Paragraph({ style: 'Title', children: [new TextRun('Överenskommelse om läxhjälp')] }),
      para('Mellan Sjöviks kommun och föreningen.'),
      h1('1. Syfte'),
      para('Att ge barn bättre förutsättningar.'),
      h1('2.  EKONOMI OCH RESURSER'),
      para('Kommunen bidrar enligt tabellen.'),
      new Table({
        rows: [
          new TableRow({ children: [cell('Post'), cell('Belopp')] }),
          new TableRow({ children: [cell('Bidrag'), cell('450 000 kr')] }),
        ],
      }),
      h1('3.1 Målgrupp'),
      para('Barn 10–18 år.'),
      h1('Fikarutiner'),
      h2('Torsdagar'),
      para('Föreningen bjuder på fika.'),
    ]);
    const proposal = await proposeImport(docx, STANDARD_TEMPLATE);
    expect(proposal.title).toBe('Överenskommelse om läxhjälp');
    expect(proposal.sections.map((s) => [s.heading, s.matchedKey])).toEqual([
      ['1. Syfte', 'purpose'],
      ['2.  EKONOMI OCH RESURSER', 'economy'],
      ['3.1 Målgrupp', 'target_group'],
      ['Fikarutiner', null],
    ]);
    const economy = proposal.sections[1]!.body.content!;
    expect(economy.map((n) => n.type)).toEqual(['paragraph', 'table']);
    expect(JSON.stringify(economy[1])).toContain('450 000 kr');
    const custom = proposal.sections[3]!;
    expect(custom.confidence).toBe(0);
    expect(custom.body.content!.map((n) => n.type)).toEqual(['heading', 'paragraph']);
    expect(proposal.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['dropped_preamble', 'missing_sections']));
    expect(proposal.missingKeys).toContain('background');
  });

  it('uses bold or numbered paragraphs as headings when the file has no heading styles', async () => {
    const docx = await docxOf([
      para('Bakgrund', true),
      para('Föreningen har funnits sedan 1998.'),
      para('2. Parter'),
      para('Kommunen och föreningen.'),
      para('Övrigt om lokalerna', true),
      para('Lokalen är tillgänglig.'),
    ]);
    const proposal = await proposeImport(docx, STANDARD_TEMPLATE);
    expect(proposal.sections.map((s) => s.matchedKey)).toEqual(['background', 'parties', null]);
  });

  it('refuses empty, non-docx, encrypted, legacy .doc, damaged and too large files with clear messages', async () => {
    const empty = await importError(Buffer.alloc(0));
    expect(empty.code).toBe('empty');
    expect(empty.messages.sv).toBe('Filen är tom.');

    const text = await importError(Buffer.from('Detta är bara text, inget Word-dokument.'));
    expect(text.code).toBe('not_docx');
    expect(text.status).toBe(415);
    expect(text.messages.en).toContain('not a Word document');

    const ole = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    expect((await importError(ole)).code).toBe('legacy_doc');
    Buffer.from('EncryptionInfo', 'utf16le').copy(ole, 1024);
    const enc = await importError(ole);
    expect(enc.code).toBe('encrypted');
    expect(enc.messages.sv).toContain('lösenordsskyddad');

    const good = await docxOf([h1('Bakgrund'), para('Text.')]);
    const damaged = await importError(good.subarray(0, Math.floor(good.length / 2)));
    expect(['not_docx', 'corrupt']).toContain(damaged.code);

    const big = await importError(good, 1000);
    expect(big.code).toBe('too_large');
    expect(big.status).toBe(413);
    expect(big.messages.sv).toContain('för stor');

    const blank = await importError(await docxOf([para('')]));
    expect(blank.code).toBe('no_content');
  });
});
