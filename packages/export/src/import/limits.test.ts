/**
 * The import's budget without a server: the bounded zip reader, the content caps, the indexed matcher (same
 * answers as the plain all-pairs Levenshtein it replaced), the content rules, and the worker pool's limits.
 */
import { describe, expect, it } from 'vitest';
import { STANDARD_TEMPLATE } from '@overens/model';
import { docxEntries, documentXml, generateDocx, manyHeadingsDocx, zip, zipBombDocx } from '../testing/docx-zip.ts';
import { ImportError } from './errors.ts';
import { createImportPool, type IsolatedImportLimits } from './isolated.ts';
import { DEFAULT_IMPORT_LIMITS } from './limits.ts';
import { boundedLevenshtein, candidateMatches, normalizeHeading } from './match.ts';
import { proposeImport } from './propose.ts';
import { contentProblem, sectionKeyProblem } from './schema.ts';
import { HEADING_SYNONYMS, STANDARD_TITLES } from './synonyms.ts';
import { BoundedZip } from './zip.ts';

async function refusal(p: Promise<unknown>): Promise<ImportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('bounded zip', () => {
  it('refuses a part whose declared size exceeds the budget without inflating anything', () => {
    const z = new BoundedZip(zipBombDocx(64 * 1024 * 1024), { maxInflatedBytes: 32 * 1024 * 1024, maxParts: 100 });
    expect(() => z.bytes('word/styles.xml')).not.toThrow();
    const before = z.inflated;
    const e = (() => {
      try {
        z.bytes('word/document.xml');
      } catch (err) {
        return err as ImportError;
      }
      throw new Error('expected a refusal');
    })();
    expect(e.code).toBe('inflated_too_large');
    expect(e.status).toBe(413);
    expect(z.inflated).toBe(before);
  });

  it('counts the actual inflated bytes of a zip that lies about its sizes', () => {
    const z = new BoundedZip(zipBombDocx(8 * 1024 * 1024, true), { maxInflatedBytes: 1024 * 1024, maxParts: 100 });
    expect(() => z.bytes('word/document.xml')).toThrow(expect.objectContaining({ code: 'inflated_too_large' }));
    // Within the budget, the same lying part reads fine and is counted at its real size.
    const ok = new BoundedZip(zipBombDocx(512 * 1024, true), { maxInflatedBytes: 1024 * 1024, maxParts: 100 });
    expect(ok.bytes('word/document.xml').length).toBe(512 * 1024);
    expect(ok.inflated).toBe(512 * 1024);
  });

  it('refuses archives with too many parts, and stored (uncompressed) parts count too', () => {
    const many = zip(Array.from({ length: 30 }, (_, i) => ({ name: `p${i}.xml`, data: '<x/>' })));
    expect(() => new BoundedZip(many, { maxInflatedBytes: 1e6, maxParts: 20 })).toThrow(expect.objectContaining({ code: 'too_many_parts' }));
    const stored = new BoundedZip(zip([{ name: 'a.xml', data: 'x'.repeat(2000), store: true }]), { maxInflatedBytes: 1000, maxParts: 5 });
    expect(() => stored.bytes('a.xml')).toThrow(expect.objectContaining({ code: 'inflated_too_large' }));
  });
});

describe('content caps in proposeImport', () => {
  it('counts paragraphs and tables on the XML before parsing, headings before matching', async () => {
    const paragraphs = await refusal(proposeImport(manyHeadingsDocx(300), STANDARD_TEMPLATE, { maxParagraphs: 200 }));
    expect(paragraphs.code).toBe('too_many_paragraphs');
    expect(paragraphs.messages.en).toContain('more than 200 paragraphs');
    const headings = await refusal(proposeImport(manyHeadingsDocx(300), STANDARD_TEMPLATE, { maxHeadings: 100 }));
    expect(headings.code).toBe('too_many_headings');
    expect(headings.messages.sv).toContain('fler än 100 rubriker');
    const tables = await refusal(proposeImport(generateDocx([{ h: 'Ekonomi' }, { table: [['a']] }, { table: [['b']] }]), STANDARD_TEMPLATE, { maxTables: 1 }));
    expect(tables.code).toBe('too_many_tables');
    // Paragraphs under any namespace prefix count: a renamed prefix does not slip past the cap.
    const renamed = documentXml(Array.from({ length: 50 }, () => '<x:p><x:r><x:t>a</x:t></x:r></x:p>').join('')).replace(/<w:/g, '<x:').replace(/<\/w:/g, '</x:').replace('xmlns:w=', 'xmlns:x=');
    const e = await refusal(proposeImport(zip(docxEntries(renamed)), STANDARD_TEMPLATE, { maxParagraphs: 10 }));
    expect(e.code).toBe('too_many_paragraphs');
    // …nor does a prefix of non-ASCII letters (XML allows them).
    const unicode = renamed.replace(/<x:/g, '<ä:').replace(/<\/x:/g, '</ä:').replace('xmlns:x=', 'xmlns:ä=');
    expect((await refusal(proposeImport(zip(docxEntries(unicode)), STANDARD_TEMPLATE, { maxParagraphs: 10 }))).code).toBe('too_many_paragraphs');
    // …nor a main part that is not called .xml (mammoth finds it through _rels/.rels).
    const entries = docxEntries(documentXml(Array.from({ length: 50 }, () => '<w:p><w:r><w:t>a</w:t></w:r></w:p>').join(''))).map((x) =>
      x.name === 'word/document.xml'
        ? { ...x, name: 'word/doc.dat' }
        : x.name === '_rels/.rels' && typeof x.data === 'string'
          ? { ...x, data: x.data.replace('word/document.xml', 'word/doc.dat') }
          : x,
    );
    expect((await refusal(proposeImport(zip(entries), STANDARD_TEMPLATE, { maxParagraphs: 10 }))).code).toBe('too_many_paragraphs');
  });

  it('reads a file at the default limits', async () => {
    const n = DEFAULT_IMPORT_LIMITS.maxHeadings;
    const proposal = await proposeImport(manyHeadingsDocx(n, true), STANDARD_TEMPLATE);
    expect(proposal.sections).toHaveLength(n);
  });
});

/** The matcher before it was indexed: every name of every section, full Levenshtein. The reference. */
function referenceMatches(heading: string): Array<{ key: string; confidence: number }> {
  const lev = (a: string, b: string): number => {
    const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diag = prev[0]!;
      prev[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = prev[j]!;
        prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
        diag = tmp;
      }
    }
    return prev[b.length]!;
  };
  const wordPrefix = (a: string, b: string) => a.length >= 4 && b.length >= 4 && (a.startsWith(`${b} `) || b.startsWith(`${a} `));
  const h = normalizeHeading(heading);
  if (!h) return [];
  const best = new Map<string, number>();
  const offer = (key: string, c: number) => {
    if (c >= 0.6 && c > (best.get(key) ?? 0)) best.set(key, c);
  };
  for (const s of STANDARD_TEMPLATE.sections) {
    const title = normalizeHeading(s.title);
    const standardKey = Object.keys(STANDARD_TITLES).find((k) => k === s.key || normalizeHeading(STANDARD_TITLES[k]!) === title);
    const synonyms = standardKey ? (HEADING_SYNONYMS[standardKey] ?? []).map(normalizeHeading) : [];
    if (h === title) offer(s.key, 1);
    else if (h === s.key.replace(/_/g, ' ')) offer(s.key, 0.95);
    else if (synonyms.includes(h)) offer(s.key, 0.9);
    for (const name of [title, ...synonyms]) {
      if (wordPrefix(h, name)) offer(s.key, name === title ? 0.75 : 0.7);
      const max = Math.max(h.length, name.length);
      const sim = max === 0 ? 1 : 1 - lev(h, name) / max;
      if (sim >= 0.8) offer(s.key, Math.min(0.85, sim * (name === title ? 0.9 : 0.85)));
    }
  }
  return [...best.entries()].map(([key, confidence]) => ({ key, confidence })).sort((a, b) => b.confidence - a.confidence);
}

describe('indexed heading matching', () => {
  it('bounded Levenshtein is exact up to k and says "more" above', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = () => Array.from({ length: rnd(12) }, () => 'abcde'[rnd(5)]).join('');
    for (let i = 0; i < 2000; i++) {
      const a = word();
      const b = word();
      const k = rnd(5);
      const full = referenceLev(a, b);
      expect(boundedLevenshtein(a, b, k)).toBe(full <= k ? full : k + 1);
    }
  });

  it('gives the same candidates as the all-pairs matcher it replaced', () => {
    const headings = new Set<string>(['', '§', 'Bakgrnd', 'Syftet med partnerskapet', 'Ekonomi och budget 2027', 'uppföljning och utvärdering av insatsen', 'Fikarutiner', 'x'.repeat(500)]);
    for (const s of STANDARD_TEMPLATE.sections) {
      headings.add(s.title);
      headings.add(`3. ${s.title.toUpperCase()}`);
      headings.add(s.title.slice(0, -1));
      headings.add(`${s.title} och mer`);
      headings.add(s.title.split(' ')[0]!);
    }
    for (const list of Object.values(HEADING_SYNONYMS)) {
      for (const syn of list) {
        headings.add(syn);
        headings.add(syn.replace(/[aeiouåäö]/, ''));
        headings.add(`${syn} för året`);
        headings.add(syn.slice(1));
      }
    }
    for (const h of headings) expect(candidateMatches(h, STANDARD_TEMPLATE), h).toEqual(referenceMatches(h));
  });
});

function referenceLev(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

describe('content rules for applying an import', () => {
  it('refuses prototype keys as section keys and in attrs, and unknown node and mark types', () => {
    expect(sectionKeyProblem('__proto__', 'k')?.code).toBe('forbidden_key');
    expect(sectionKeyProblem('economy', 'k')).toBeNull();
    const doc = (content: unknown[]) => ({ type: 'doc', content });
    expect(contentProblem(doc([{ type: 'paragraph', content: [{ type: 'text', text: 'a', marks: [{ type: 'bold' }, { type: 'link', attrs: { href: 'https://x.se' } }] }] }]), 'b')).toBeNull();
    expect(contentProblem(doc([{ type: 'image', attrs: { src: 'x' } }]), 'b')).toMatchObject({ code: 'unsupported_content', field: 'b.content[0].type' });
    expect(contentProblem(doc([{ type: 'codeBlock' }]), 'b')?.code).toBe('unsupported_content');
    expect(contentProblem(doc([{ type: 'paragraph', content: [{ type: 'text', text: 'a', marks: [{ type: 'comment' }] }] }]), 'b')?.field).toBe('b.content[0].content[0].marks[0].type');
    expect(contentProblem(JSON.parse('{"type":"doc","attrs":{"constructor":1}}'), 'b')).toMatchObject({ code: 'forbidden_key', field: 'b.attrs.constructor' });
  });
});

describe('import worker pool', () => {
  const limits = (over: Partial<IsolatedImportLimits> = {}): IsolatedImportLimits => ({ ...DEFAULT_IMPORT_LIMITS, timeoutMs: 60_000, memoryMb: 256, ...over });

  it('parses in a worker and passes refusals through as ImportError', async () => {
    const pool = createImportPool(1);
    const ok = await pool.propose(generateDocx([{ h: 'Bakgrund' }, { p: 'Text.' }]), STANDARD_TEMPLATE, limits());
    expect(ok.sections.map((s) => s.matchedKey)).toEqual(['background']);
    const e = await refusal(pool.propose(manyHeadingsDocx(50), STANDARD_TEMPLATE, limits({ maxHeadings: 10 })));
    expect(e.code).toBe('too_many_headings');
    expect(pool.running).toBe(0);
  });

  it('terminates a worker over its time limit or its heap limit', async () => {
    const pool = createImportPool(2);
    const slow = await refusal(pool.propose(manyHeadingsDocx(20_000), STANDARD_TEMPLATE, limits({ maxParagraphs: 1e6, maxHeadings: 1e6, timeoutMs: 300 })));
    expect(slow.code).toBe('time_limit');
    expect(slow.messages.en).toContain('0.3 seconds');
    const big = await refusal(pool.propose(manyHeadingsDocx(40_000, true), STANDARD_TEMPLATE, limits({ maxParagraphs: 1e6, maxHeadings: 1e6, memoryMb: 16 })));
    expect(big.code).toBe('memory_limit');
    expect(big.messages.sv).toContain('16 MB');
    // The terminated workers are replaced: the pool goes on answering.
    const after = await pool.propose(generateDocx([{ h: 'Ekonomi' }, { p: 'Text.' }]), STANDARD_TEMPLATE, limits());
    expect(after.sections.map((s) => s.matchedKey)).toEqual(['economy']);
  });

  it('lets a few imports wait and refuses more with busy', async () => {
    const pool = createImportPool(1, 1); // one running, one waiting
    const file = generateDocx([{ h: 'Bakgrund' }, { p: 'Text.' }]);
    const all = await Promise.allSettled(Array.from({ length: 3 }, () => pool.propose(file, STANDARD_TEMPLATE, limits())));
    const busy = all.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as ImportError);
    expect(all.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(busy.map((e) => [e.code, e.status])).toEqual([['busy', 503]]);
    expect(pool.running).toBe(0);
  });
});
