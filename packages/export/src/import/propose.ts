import mammoth from 'mammoth';
import type { RichNode, Template } from '@overens/model';
import { GENERATED_HEADINGS } from '../labels.ts';
import { checkDocxBuffer, ImportError, importErrors } from './errors.ts';
import { htmlToBlocks, type HtmlBlock } from './html.ts';
import { ContentCounter, DEFAULT_IMPORT_LIMITS, type ImportLimits } from './limits.ts';
import { assignCandidates, candidateMatches, normalizeHeading, type HeadingMatch } from './match.ts';
import { BoundedZip } from './zip.ts';

export interface ProposedSection {
  /** The heading as written in the file. */
  heading: string;
  /** Template section key, or null: becomes a custom section. */
  matchedKey: string | null;
  /** 0..1; 1 for an exact title, 0 when unmatched. */
  confidence: number;
  body: RichNode; // type 'doc'
}

export interface ImportWarning {
  code: 'dropped_preamble' | 'skipped_generated' | 'images_dropped' | 'no_headings' | 'missing_sections' | 'duplicate_heading';
  message: { sv: string; en: string };
}

export interface ImportProposal {
  /** Title found in the file (Title style, or a heading above the section headings), if any. */
  title: string | null;
  sections: ProposedSection[];
  /** Template keys with no heading in the file. */
  missingKeys: string[];
  warnings: ImportWarning[];
}

export type ImportOptions = Partial<ImportLimits>;

const STYLE_MAP = ["p[style-name='Title'] => p.doc-title:fresh", "p[style-name='Subtitle'] => p.doc-subtitle:fresh"];

/** Headings that Överens' own export writes around the agreement text; their content is not agreement text. */
const GENERATED = new Set(
  [GENERATED_HEADINGS.toc, GENERATED_HEADINGS.goals, GENERATED_HEADINGS.contributions, GENERATED_HEADINGS.suitability, GENERATED_HEADINGS.attachments, GENERATED_HEADINGS.signatures].map(
    normalizeHeading,
  ),
);

function textOf(n: RichNode): string {
  if (n.type === 'text') return n.text ?? '';
  return (n.content ?? []).map(textOf).join('');
}

/** A paragraph used as a heading in a file without heading styles: short, and all bold or numbered like "3. Ekonomi". */
function pseudoHeading(b: HtmlBlock): boolean {
  if (b.node.type !== 'paragraph') return false;
  const text = textOf(b.node).trim();
  if (!text || text.length > 90 || /[.!?:]$/.test(text) && !/^\d+\.$/.test(text)) return false;
  const texts = (b.node.content ?? []).filter((c) => c.type === 'text' && (c.text ?? '').trim());
  const allBold = texts.length > 0 && texts.every((c) => c.marks?.some((m) => m.type === 'bold'));
  return allBold || /^\d+(\.\d+)*\.?\s+\p{Lu}/u.test(text);
}

/**
 * Reads a .docx and proposes how its headings map onto the template's sections. Nothing is created:
 * the caller shows the proposal, lets the user change it, and then creates the agreement content.
 */
export async function proposeImport(docx: Uint8Array, template: Template, options: ImportOptions = {}): Promise<ImportProposal> {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...options };
  const buf = checkDocxBuffer(docx, limits.maxBytes);
  const zip = new BoundedZip(buf, limits);
  const counter = new ContentCounter(limits);
  // mammoth reads the parts through this: XML is counted before mammoth parses it.
  const file = {
    exists: (name: string) => zip.exists(name),
    read: async (name: string, encoding?: string) => {
      const data = await zip.read(name, encoding);
      // Every text part counts, whatever its name: mammoth finds the main part through _rels/.rels,
      // so a hostile file can name it word/doc.dat.
      if (typeof data === 'string') counter.add(data);
      return data;
    },
  };
  let html: string;
  try {
    const input = { file } as unknown as { buffer: Buffer }; // mammoth's (untyped) opened-zip input
    html = (
      await mammoth.convertToHtml(input, {
        styleMap: STYLE_MAP,
        includeDefaultStyleMap: true,
        // Images are dropped (and counted) anyway: never inflate or base64-encode them.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      })
    ).value;
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    if (/main document part|end of central directory|zip/i.test(msg)) throw importErrors.notDocx();
    throw importErrors.corrupt();
  }
  const { blocks, images } = htmlToBlocks(html);
  if (!blocks.some((b) => textOf(b.node).trim() || b.node.type === 'table')) throw importErrors.noContent();

  const warnings: ImportWarning[] = [];
  if (images > 0) {
    warnings.push({
      code: 'images_dropped',
      message: {
        sv: `${images} bild(er) i dokumentet importerades inte; lägg in dem som bilagor vid behov.`,
        en: `${images} image(s) in the document were not imported; add them as attachments if needed.`,
      },
    });
  }

  // Which blocks are headings? Real heading styles first; without any, short bold or numbered paragraphs.
  let heads: Array<{ index: number; level: number; text: string }> = blocks
    .map((b, index) => ({ index, level: b.headingLevel ?? 0, text: textOf(b.node).trim() }))
    .filter((h) => h.level > 0 && h.text);
  if (heads.length === 0) {
    heads = blocks
      .map((b, index) => ({ index, level: 1, text: textOf(b.node).trim(), ok: pseudoHeading(b) }))
      .filter((h) => h.ok)
      .map(({ index, level, text }) => ({ index, level, text }));
  }
  if (heads.length > limits.maxHeadings) throw importErrors.tooManyHeadings(limits.maxHeadings);

  // Each heading is normalised and matched once; everything below reuses these.
  const candidates = new Map<number, HeadingMatch[]>(heads.map((h) => [h.index, candidateMatches(h.text, template)]));

  // The section level is the heading level whose headings match the template best (ties: the higher level).
  const levels = [...new Set(heads.map((h) => h.level))].sort((a, b) => a - b);
  let sectionLevel = levels[0] ?? 1;
  let bestScore = -1;
  for (const level of levels) {
    const score = heads.filter((h) => h.level === level && candidates.get(h.index)!.length > 0).length;
    if (score > bestScore) {
      bestScore = score;
      sectionLevel = level;
    }
  }

  let title: string | null = null;
  const titleBlock = blocks.find((b) => b.className === 'doc-title');
  if (titleBlock) title = textOf(titleBlock.node).trim() || null;

  const boundaries = heads.filter((h) => h.level <= sectionLevel);
  const firstSection = heads.find((h) => h.level === sectionLevel);
  const sectionHeads = boundaries.filter((h) => firstSection && h.index >= firstSection.index);
  for (const h of boundaries) {
    if (!title && firstSection && h.index < firstSection.index) title = h.text;
  }

  if (sectionHeads.length === 0) {
    warnings.push({
      code: 'no_headings',
      message: {
        sv: 'Dokumentet har inga rubriker; all text hamnar i ett eget avsnitt som du kan dela upp.',
        en: 'The document has no headings; all text goes into one custom section that you can split.',
      },
    });
    const content = blocks.filter((b) => b.className !== 'doc-title').map((b) => b.node);
    return {
      title,
      sections: [{ heading: 'Importerad text', matchedKey: null, confidence: 0, body: { type: 'doc', content } }],
      missingKeys: template.sections.map((s) => s.key),
      warnings,
    };
  }

  const preamble = blocks.slice(0, sectionHeads[0]!.index).filter((b) => b.className !== 'doc-title' && textOf(b.node).trim());
  if (preamble.length > 0) {
    warnings.push({
      code: 'dropped_preamble',
      message: {
        sv: `Text före den första rubriken (${preamble.length} stycken) importerades inte.`,
        en: `Text before the first heading (${preamble.length} paragraphs) was not imported.`,
      },
    });
  }

  const raw: Array<{ heading: string; index: number; body: RichNode[] }> = [];
  sectionHeads.forEach((h, i) => {
    const end = sectionHeads[i + 1]?.index ?? blocks.length;
    const body = blocks.slice(h.index + 1, end).map((b) => {
      if (b.headingLevel && b.node.type === 'heading') {
        return { ...b.node, attrs: { level: Math.min(3, Math.max(1, b.headingLevel - sectionLevel)) } };
      }
      return b.node;
    });
    // Trim empty paragraphs at both ends.
    while (body[0]?.type === 'paragraph' && !textOf(body[0]).trim()) body.shift();
    while (body.length && body[body.length - 1]!.type === 'paragraph' && !textOf(body[body.length - 1]!).trim()) body.pop();
    raw.push({ heading: h.text, index: h.index, body });
  });

  const kept = raw.filter((r) => {
    if (!GENERATED.has(normalizeHeading(r.heading))) return true;
    warnings.push({
      code: 'skipped_generated',
      message: {
        sv: `Avsnittet "${r.heading}" skapas av Överens (tabeller, bilagor, underskrifter) och importerades inte som text.`,
        en: `The section "${r.heading}" is generated by Överens (tables, attachments, signatures) and was not imported as text.`,
      },
    });
    return false;
  });

  const matches = assignCandidates(kept.map((k) => candidates.get(k.index)!));
  const sections: ProposedSection[] = kept.map((k, i) => ({
    heading: k.heading,
    matchedKey: matches[i]?.key ?? null,
    confidence: matches[i]?.confidence ?? 0,
    body: { type: 'doc', content: k.body.length ? k.body : [{ type: 'paragraph' }] },
  }));

  // A heading that matched a key already taken by a better heading becomes custom; say so.
  kept.forEach((k, i) => {
    if (matches[i]) return;
    const c = candidates.get(k.index)![0];
    if (c) {
      warnings.push({
        code: 'duplicate_heading',
        message: {
          sv: `Rubriken "${k.heading}" liknar ett avsnitt som redan har en rubrik; den blir ett eget avsnitt.`,
          en: `The heading "${k.heading}" resembles a section that already has a heading; it becomes a custom section.`,
        },
      });
    }
  });

  const found = new Set(sections.map((s) => s.matchedKey).filter(Boolean));
  const missingKeys = template.sections.filter((s) => !found.has(s.key)).map((s) => s.key);
  const missingRequired = template.sections.filter((s) => s.required && !found.has(s.key)).map((s) => s.title);
  if (missingRequired.length > 0) {
    warnings.push({
      code: 'missing_sections',
      message: {
        sv: `Dokumentet saknar dessa obligatoriska avsnitt: ${missingRequired.join(', ')}. De skapas tomma.`,
        en: `The document lacks these required sections: ${missingRequired.join(', ')}. They are created empty.`,
      },
    });
  }
  return { title, sections, missingKeys, warnings };
}
