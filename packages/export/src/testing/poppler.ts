import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test helpers around poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm), run on a temporary copy. */
function withPdf<T>(pdf: Buffer, fn: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'overens-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return fn(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text in reading order; `raw` keeps content-stream order (rotated text such as a watermark stays together). */
export function pdfText(pdf: Buffer, raw = false): string {
  const args = ['-enc', 'UTF-8', ...(raw ? ['-raw'] : []), '-', '-'];
  return withPdf(pdf, (path) => execFileSync('pdftotext', args.map((a, i) => (i === args.length - 2 ? path : a)), { encoding: 'utf8' }));
}

/** Text of each page, in order (pdftotext separates pages with form feeds). */
export function pdfPages(pdf: Buffer, raw = false): string[] {
  const pages = pdfText(pdf, raw).split('\f');
  if (pages[pages.length - 1]?.trim() === '') pages.pop();
  return pages;
}

export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = withPdf(pdf, (path) => execFileSync('pdfinfo', ['-enc', 'UTF-8', path], { encoding: 'utf8' }));
  const info: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) info[m[1]!.trim()] = m[2]!.trim();
  }
  return info;
}

export function pdfFonts(pdf: Buffer): Array<{ name: string; embedded: boolean }> {
  const out = withPdf(pdf, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name type... emb sub uni object ID: emb is the 5th column from the end
      return { name: cols[0]!, embedded: cols[cols.length - 5] === 'yes' };
    });
}

/** Renders one page to an 8-bit greyscale bitmap; returns the share of pixels that are not (near) white. */
export function inkRatio(pdf: Buffer, page: number): number {
  return withPdf(pdf, (path, dir) => {
    execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', String(page), '-l', String(page), path, join(dir, 'p')]);
    const file = execFileSync('ls', [dir], { encoding: 'utf8' })
      .split('\n')
      .find((f) => f.endsWith('.pgm'));
    if (!file) throw new Error('pdftoppm wrote no page');
    const pgm = readFileSync(join(dir, file));
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then w*h bytes.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('not a binary PGM');
    const [, w, h] = header.map(Number) as [number, number, number, number];
    const pixels = pgm.subarray(header[0].length);
    let dark = 0;
    for (let i = 0; i < w * h; i++) if (pixels[i]! < 200) dark += 1;
    return dark / (w * h);
  });
}

/** `pdfinfo -struct-text`: the structure tree, one element per line (indented), its text quoted below it. */
export function pdfStructText(pdf: Buffer): string {
  return withPdf(pdf, (path) => execFileSync('pdfinfo', ['-enc', 'UTF-8', '-struct-text', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

export interface StructNode {
  type: string;
  depth: number;
  text: string;
}

/** The structure elements in tree order with the text directly under each (from `pdfinfo -struct-text` output). */
export function parseStructText(structText: string): StructNode[] {
  const nodes: StructNode[] = [];
  for (const line of structText.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (!body || body.startsWith('/')) continue; // attributes such as "/Scope /Column"
    if (body.startsWith('"')) {
      const last = nodes[nodes.length - 1];
      if (last) last.text += body.replace(/^"|"$/g, '');
    } else {
      const m = /^([^\s:]+)/.exec(body);
      if (m) nodes.push({ type: m[1]!, depth: indent / 2, text: '' });
    }
  }
  return nodes;
}

export function pdfStructure(pdf: Buffer): StructNode[] {
  return parseStructText(pdfStructText(pdf));
}
