/**
 * The link rule applied to document content: setSectionBody (import, server-side writes) and
 * restoreAsEdit (version restore) never write a refused link, and keep its text.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { restoreAsEdit } from '../doc/restore.ts';
import { addSection, getSectionBody, getSectionRichBody, setSectionBody } from '../doc/sections.ts';
import type { RichNode } from '../types.ts';
import { isUnsafeLinkFormat, isUnsafeUrlAttribute, removeUnsafeLinks, safeRichMark } from './unsafe-links.ts';

const BAD = ['javascript:alert(1)', 'file:///C:/Windows/win.ini', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', '\\\\host\\share', '//host/share'];

/** Every href of every formatting item ever written into `doc` (live or overridden). */
function formatHrefs(update: Uint8Array): string[] {
  const out: string[] = [];
  for (const s of Y.decodeUpdate(update).structs) {
    if (s instanceof Y.Item && s.content instanceof Y.ContentFormat) {
      const href = (s.content.value as { href?: unknown } | null)?.href;
      if (typeof href === 'string') out.push(href);
    }
  }
  return out;
}

function linksOf(node: RichNode): string[] {
  const own = (node.marks ?? []).map((m) => m.attrs?.['href']).filter((h): h is string => typeof h === 'string');
  return [...own, ...(node.content ?? []).flatMap(linksOf)];
}

function textOf(node: RichNode): string {
  return (node.text ?? '') + (node.content ?? []).map(textOf).join('');
}

function withSection(): { doc: Y.Doc; id: string } {
  const doc = new Y.Doc();
  const id = addSection(doc, { title: 'Bakgrund' });
  return { doc, id };
}

const bodyLinking = (hrefs: string[]): RichNode => ({
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: hrefs.map((href, i) => ({ type: 'text', text: `länk${i} `, marks: [{ type: 'bold' }, { type: 'link', attrs: { href } }] })),
    },
  ],
});

describe('setSectionBody', () => {
  it('writes refused links as plain text (other marks kept) and allowed ones with their full address', () => {
    const { doc, id } = withSection();
    setSectionBody(doc, id, bodyLinking([...BAD, 'kommun.se', 'mailto:anna@kommun.se']));
    const body = getSectionRichBody(doc, id);
    expect(linksOf(body)).toEqual(['https://kommun.se', 'mailto:anna@kommun.se']);
    expect(textOf(body)).toBe(BAD.map((_b, i) => `länk${i} `).join('') + `länk${BAD.length} länk${BAD.length + 1} `);
    expect(body.content![0]!.content!.every((n) => n.marks?.some((m) => m.type === 'bold'))).toBe(true);
    expect(formatHrefs(Y.encodeStateAsUpdate(doc)).filter((h) => BAD.includes(h))).toEqual([]);
  });

  it('drops address attributes the rule refuses on nodes', () => {
    const { doc, id } = withSection();
    setSectionBody(doc, id, { type: 'doc', content: [{ type: 'image', attrs: { src: 'javascript:alert(1)', alt: 'x' } }] });
    expect(getSectionRichBody(doc, id).content![0]).toEqual({ type: 'image', attrs: { alt: 'x' } });
  });
});

describe('restoreAsEdit', () => {
  it('brings back the text of refused links as plain text, and never writes them, not even briefly', () => {
    const live = new Y.Doc();
    const id = addSection(live, { title: 'Bakgrund' });
    // A version from before the rule: raw Yjs formatting, past every check.
    live.transact(() => {
      const body = getSectionBody(live, id);
      body.delete(0, body.length);
      const p = new Y.XmlElement('paragraph');
      body.insert(0, [p]);
      const t = new Y.XmlText();
      p.insert(0, [t]);
      BAD.forEach((href, i) => t.insert(t.length, `gammal${i} `, { link: { href }, italic: {} }));
      t.insert(t.length, 'sidan', { link: { href: 'https://kommun.se' } });
    });
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(live));
    setSectionBody(live, id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ny text.' }] }] });

    const written: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => written.push(u));
    restoreAsEdit(live, version);

    const body = getSectionRichBody(live, id);
    expect(linksOf(body)).toEqual(['https://kommun.se']);
    expect(textOf(body)).toBe(BAD.map((_b, i) => `gammal${i} `).join('') + 'sidan');
    const texts = body.content![0]!.content!;
    expect(texts.filter((n) => n.text!.includes('gammal')).every((n) => n.marks?.some((m) => m.type === 'italic'))).toBe(true);
    expect(written.flatMap(formatHrefs).filter((h) => BAD.includes(h))).toEqual([]);
    // The version document itself is left as it was.
    expect(new Set(formatHrefs(Y.encodeStateAsUpdate(version)).filter((h) => BAD.includes(h)))).toEqual(new Set(BAD));
  });
});

describe('removeUnsafeLinks', () => {
  it('removes refused link formatting and address attributes anywhere below, keeping text and other marks', () => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment('x');
    const el = new Y.XmlElement('image');
    const t = new Y.XmlText();
    frag.insert(0, [el, t]);
    el.setAttribute('src', 'file:///etc/passwd');
    t.insert(0, 'a', { link: { href: 'javascript:alert(1)' }, bold: {} });
    t.insert(1, 'b', { link: { href: 'https://kommun.se' } });
    expect(removeUnsafeLinks(doc)).toBe(2);
    expect(el.getAttributes()).toEqual({});
    expect(t.toDelta()).toEqual([
      { insert: 'a', attributes: { bold: {} } },
      { insert: 'b', attributes: { link: { href: 'https://kommun.se' } } },
    ]);
  });
});

describe('the predicates', () => {
  it('judge marks in their Yjs encoding (y-prosemirror: name -> attrs) and address attributes', () => {
    expect(isUnsafeLinkFormat('link', { href: 'javascript:alert(1)' })).toBe(true);
    expect(isUnsafeLinkFormat('link--AbCd1234', { href: '\\\\host\\share' })).toBe(true);
    expect(isUnsafeLinkFormat('anything', { href: 'data:,x' })).toBe(true);
    expect(isUnsafeLinkFormat('link', 'javascript:alert(1)')).toBe(true);
    expect(isUnsafeLinkFormat('link', { href: 'https://kommun.se', target: '_blank' })).toBe(false);
    expect(isUnsafeLinkFormat('link', { href: 'kommun.se' })).toBe(false);
    expect(isUnsafeLinkFormat('link', null)).toBe(false); // removes the link
    expect(isUnsafeLinkFormat('bold', {})).toBe(false);
    expect(isUnsafeLinkFormat('bold', true)).toBe(false);
    expect(isUnsafeUrlAttribute('href', 'vbscript:x')).toBe(true);
    expect(isUnsafeUrlAttribute('src', 'https://kommun.se/bild.png')).toBe(false);
    expect(isUnsafeUrlAttribute('level', 'javascript:x')).toBe(false);
  });

  it('safeRichMark keeps allowed links with their full address and drops the rest', () => {
    expect(safeRichMark({ type: 'link', attrs: { href: 'kommun.se', target: '_blank' } })).toEqual({ type: 'link', attrs: { href: 'https://kommun.se', target: '_blank' } });
    expect(safeRichMark({ type: 'link', attrs: { href: 'javascript:alert(1)' } })).toBeNull();
    expect(safeRichMark({ type: 'link' })).toBeNull();
    expect(safeRichMark({ type: 'bold' })).toEqual({ type: 'bold' });
  });
});
