/**
 * The exporters write a link (PDF /URI link annotation, DOCX external hyperlink) only for an address
 * the link rule accepts; any other link in a snapshot is exported as its plain text.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgreementSnapshot } from '@overens/model';
import { renderDocx } from './docx.ts';
import { renderPdf } from './pdf.ts';
import { doc, exportFixture, exportMeta, link, p } from './testing/fixture.ts';

const BAD = ['javascript:alert(1)', 'file:///C:/Windows/win.ini', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', '\\\\host\\share', '//host/share'];

function withLinks(): AgreementSnapshot {
  const snapshot = exportFixture();
  snapshot.sections[0]!.body = doc(p('Läs ', ...BAD.map((href, i) => link(`farlig${i} `, href)), link('kommunens sida', 'kommun.se/iop'), '.'));
  return snapshot;
}

function withFile<T>(bytes: Buffer, name: string, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'overens-links-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('links in the exports', () => {
  it('PDF: a /URI action only for allowed addresses (bare domains as https://), the others as text', async () => {
    const pdf = await renderPdf(withLinks(), exportMeta({ mode: 'draft' }));
    const raw = pdf.toString('latin1');
    const uris = [...raw.matchAll(/\/URI\s*\(((?:\\.|[^\\)])*)\)/g)].map((m) => m[1]);
    expect(uris).toContain('https://kommun.se/iop');
    expect(uris.filter((u) => !u!.startsWith('https://'))).toEqual([]);
    for (const word of ['javascript:', 'vbscript:', 'file:', 'data:text', 'host\\\\share']) expect(raw).not.toContain(word);
    const text = withFile(pdf, 'a.pdf', (path) => execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }));
    for (let i = 0; i < BAD.length; i++) expect(text).toContain(`farlig${i}`);
  });

  it('DOCX: an external hyperlink only for allowed addresses, the others as text', async () => {
    const docx = await renderDocx(withLinks(), exportMeta({ mode: 'draft' }));
    const rels = withFile(docx, 'a.docx', (path) => execFileSync('unzip', ['-p', path, 'word/_rels/document.xml.rels'], { encoding: 'utf8' }));
    const external = [...rels.matchAll(/<Relationship\b[^>]*TargetMode="External"[^>]*>/g)].map((m) => /Target="([^"]*)"/.exec(m[0])?.[1]);
    expect(external).toContain('https://kommun.se/iop');
    expect(external.filter((t) => !t!.startsWith('https://'))).toEqual([]);
    const body = withFile(docx, 'a.docx', (path) => execFileSync('unzip', ['-p', path, 'word/document.xml'], { encoding: 'utf8' }));
    for (let i = 0; i < BAD.length; i++) expect(body).toContain(`farlig${i}`);
  });
});
