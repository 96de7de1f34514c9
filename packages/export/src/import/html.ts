import { parseDocument } from 'htmlparser2';
import type { RichMark, RichNode } from '@overens/model';

/** The parts of htmlparser2's DOM nodes we read. */
interface DomNode {
  type: string; // 'tag' | 'text' | 'root' | …
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  data?: string;
}

export interface HtmlBlock {
  node: RichNode;
  /** Heading level 1–6 for h1…h6, else null. */
  headingLevel: number | null;
  /** class attribute (mammoth style-map classes, e.g. "doc-title"). */
  className: string | null;
}

export interface HtmlConversion {
  blocks: HtmlBlock[];
  images: number;
}

const INLINE_MARKS: Record<string, string> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  u: 'underline',
  s: 'strike',
  del: 'strike',
  strike: 'strike',
  code: 'code',
};
const BLOCK_TAGS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'blockquote', 'div', 'pre', 'hr']);

/** Converts mammoth's HTML into top-level rich-text blocks (Tiptap/ProseMirror JSON shapes). */
export function htmlToBlocks(html: string): HtmlConversion {
  const root = parseDocument(html) as unknown as DomNode;
  const state = { images: 0 };
  const blocks: HtmlBlock[] = [];
  for (const child of root.children ?? []) {
    for (const node of blockNodes(child, state)) {
      const m = child.type === 'tag' ? /^h([1-6])$/.exec(child.name ?? '') : null;
      blocks.push({
        node,
        headingLevel: m && node.type === 'heading' ? Number(m[1]) : null,
        className: child.attribs?.['class'] ?? null,
      });
    }
  }
  return { blocks, images: state.images };
}

function inline(nodes: readonly DomNode[], marks: RichMark[], state: { images: number }): RichNode[] {
  const out: RichNode[] = [];
  for (const n of nodes) {
    if (n.type === 'text') {
      const text = n.data ?? '';
      if (text) out.push(marks.length ? { type: 'text', text, marks: [...marks] } : { type: 'text', text });
      continue;
    }
    if (n.type !== 'tag') continue;
    const name = n.name ?? '';
    if (name === 'br') {
      out.push({ type: 'hardBreak' });
    } else if (name === 'img') {
      state.images += 1;
    } else if (INLINE_MARKS[name]) {
      const type = INLINE_MARKS[name]!;
      const next = marks.some((m) => m.type === type) ? marks : [...marks, { type }];
      out.push(...inline(n.children ?? [], next, state));
    } else if (name === 'a') {
      const href = n.attribs?.['href'];
      // Internal anchors (bookmarks, table-of-contents links) are not links in the agreement text.
      const next = href && !href.startsWith('#') ? [...marks.filter((m) => m.type !== 'link'), { type: 'link', attrs: { href } }] : marks;
      out.push(...inline(n.children ?? [], next, state));
    } else {
      out.push(...inline(n.children ?? [], marks, state));
    }
  }
  return mergeText(out);
}

function mergeText(nodes: RichNode[]): RichNode[] {
  const out: RichNode[] = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (prev && prev.type === 'text' && n.type === 'text' && JSON.stringify(prev.marks ?? []) === JSON.stringify(n.marks ?? [])) {
      out[out.length - 1] = { ...prev, text: (prev.text ?? '') + (n.text ?? '') };
    } else out.push(n);
  }
  return out;
}

function paragraph(content: RichNode[]): RichNode {
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

/** Block content of a container: runs of inline nodes become paragraphs. */
function blockContent(nodes: readonly DomNode[], state: { images: number }): RichNode[] {
  const out: RichNode[] = [];
  let pending: DomNode[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const content = inline(pending, [], state);
    if (content.some((c) => c.type !== 'text' || (c.text ?? '').trim() !== '')) out.push(paragraph(content));
    pending = [];
  };
  for (const n of nodes) {
    if (n.type === 'tag' && BLOCK_TAGS.has(n.name ?? '')) {
      flush();
      out.push(...blockNodes(n, state));
    } else pending.push(n);
  }
  flush();
  return out;
}

function blockNodes(n: DomNode, state: { images: number }): RichNode[] {
  if (n.type === 'text') {
    const text = (n.data ?? '').trim();
    return text ? [paragraph([{ type: 'text', text }])] : [];
  }
  if (n.type !== 'tag') return [];
  const name = n.name ?? '';
  const kids = n.children ?? [];
  const h = /^h([1-6])$/.exec(name);
  if (h) return [{ type: 'heading', attrs: { level: Number(h[1]) }, content: inline(kids, [], state) }];
  switch (name) {
    case 'p':
      return [paragraph(inline(kids, [], state))];
    case 'ul':
    case 'ol': {
      const items = kids
        .filter((k) => k.type === 'tag' && k.name === 'li')
        .map((li) => {
          const content = blockContent(li.children ?? [], state);
          if (content[0]?.type !== 'paragraph') content.unshift(paragraph([]));
          return { type: 'listItem', content } as RichNode;
        });
      if (items.length === 0) return [];
      return [name === 'ul' ? { type: 'bulletList', content: items } : { type: 'orderedList', attrs: { start: 1 }, content: items }];
    }
    case 'table': {
      const rows: RichNode[] = [];
      const collect = (nodes: readonly DomNode[]): void => {
        for (const k of nodes) {
          if (k.type !== 'tag') continue;
          if (k.name === 'tr') {
            const cells = (k.children ?? [])
              .filter((c) => c.type === 'tag' && (c.name === 'td' || c.name === 'th'))
              .map((c) => {
                const content = blockContent(c.children ?? [], state);
                return {
                  type: c.name === 'th' ? 'tableHeader' : 'tableCell',
                  attrs: {
                    colspan: Number(c.attribs?.['colspan'] ?? 1),
                    rowspan: Number(c.attribs?.['rowspan'] ?? 1),
                    colwidth: null,
                  },
                  content: content.length ? content : [paragraph([])],
                } as RichNode;
              });
            if (cells.length) rows.push({ type: 'tableRow', content: cells });
          } else if (k.name === 'thead' || k.name === 'tbody' || k.name === 'tfoot') collect(k.children ?? []);
        }
      };
      collect(kids);
      return rows.length ? [{ type: 'table', content: rows }] : [];
    }
    case 'blockquote': {
      const content = blockContent(kids, state);
      return content.length ? [{ type: 'blockquote', content }] : [];
    }
    case 'hr':
      return [{ type: 'horizontalRule' }];
    case 'pre': {
      // The section editor has no code blocks: preformatted text becomes a paragraph with its line breaks.
      const lines = textOf(n).split('\n');
      const content = lines.flatMap((line, i): RichNode[] => [...(i ? [{ type: 'hardBreak' }] : []), ...(line ? [{ type: 'text', text: line }] : [])]);
      return content.some((c) => c.type === 'text') ? [paragraph(content)] : [];
    }
    default:
      return blockContent(kids, state);
  }
}

function textOf(n: DomNode): string {
  if (n.type === 'text') return n.data ?? '';
  return (n.children ?? []).map(textOf).join('');
}
