/**
 * One link rule at every door (issue 11, item 2): a link to javascript:, file:, data:, vbscript: or a
 * UNC / network path that enters through the import route, a version restore or a websocket client is
 * never a live link in the stored document, in the PDF export (/URI actions) or in the DOCX export
 * (external hyperlink relationships). Its text stays; allowed links (https, mailto) stay links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { getSectionBody, listSections, paragraphsToRich, setSectionBody } from '@overens/model';
import { client, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { readZip, writeZip } from './helpers/zip.ts';

const BAD = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'javascript:1/alert(1)',
  'file:///C:/Windows/win.ini',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  '\\\\host\\share',
  '//host/share',
];
const GOOD = ['https://kommun.se/iop', 'mailto:anna@kommun.se'];

/* ------------------------------------------------------------------ what is a link where */

/** Live links in every section body: hrefs of text formatting (marks) and of element attributes. */
function liveLinks(doc: Y.Doc): string[] {
  const out: string[] = [];
  const walk = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      for (const op of node.toDelta() as Array<{ attributes?: Record<string, unknown> }>) {
        for (const value of Object.values(op.attributes ?? {})) {
          const href = (value as { href?: unknown } | null)?.href;
          if (typeof href === 'string') out.push(href);
        }
      }
      return;
    }
    if (node instanceof Y.XmlElement) {
      const attrs = node.getAttributes() as Record<string, unknown>;
      for (const key of ['href', 'src']) if (typeof attrs[key] === 'string') out.push(attrs[key] as string);
    }
    for (const child of node.toArray()) if (child instanceof Y.XmlText || child instanceof Y.XmlElement) walk(child);
  };
  for (const s of listSections(doc)) walk(getSectionBody(doc, s.id));
  return out;
}

/** The text (and markup) of every section body. */
function bodiesText(doc: Y.Doc): string {
  return listSections(doc)
    .map((s) => getSectionBody(doc, s.id).toString())
    .join('\n');
}

/** Every href any formatting item of the stored state carries, live or overridden. */
function storedFormatHrefs(doc: Y.Doc): string[] {
  const out: string[] = [];
  for (const struct of Y.decodeUpdate(Y.encodeStateAsUpdate(doc)).structs) {
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentFormat) {
      const href = (struct.content.value as { href?: unknown } | null)?.href;
      if (typeof href === 'string') out.push(href);
    }
  }
  return out;
}

function unescapePdfString(s: string): string {
  return s.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_m, e: string) =>
    /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e,
  );
}

/** Targets of the PDF's /URI actions (pdfkit writes link annotations uncompressed). */
function pdfUris(pdf: Uint8Array): string[] {
  const text = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/\/URI\s*\(((?:\\.|[^\\)])*)\)/g)) out.push(unescapePdfString(m[1]!));
  for (const m of text.matchAll(/\/URI\s*<([0-9a-fA-F\s]*)>/g)) out.push(Buffer.from(m[1]!.replace(/\s/g, ''), 'hex').toString('latin1'));
  return out;
}

/** Targets of the DOCX's external relationships (hyperlinks). */
function docxExternalTargets(docx: Uint8Array): string[] {
  const rels = readZip(docx).get('word/_rels/document.xml.rels') ?? '';
  const out: string[] = [];
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    if (!/TargetMode="External"/.test(m[0])) continue;
    const target = /Target="([^"]*)"/.exec(m[0])?.[1] ?? '';
    out.push(target.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'"));
  }
  return out;
}

/* ------------------------------------------------------------------ a hand-written DOCX */

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A Word file with a bold "Bakgrund" heading and one paragraph linking to every target. */
function docxWithLinks(targets: string[]): Uint8Array {
  const rels = targets
    .map(
      (t, i) =>
        `<Relationship Id="rIdL${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="${xmlEscape(t)}" TargetMode="External"/>`,
    )
    .join('');
  const links = targets.map((_t, i) => `<w:hyperlink r:id="rIdL${i}"><w:r><w:t xml:space="preserve">länk ${i} </w:t></w:r></w:hyperlink>`).join('');
  return writeZip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/_rels/document.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    'word/document.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>' +
      '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Bakgrund</w:t></w:r></w:p>' +
      `<w:p><w:r><w:t xml:space="preserve">Läs mer: </w:t></w:r>${links}</w:p>` +
      '</w:body></w:document>',
  });
}

/* ------------------------------------------------------------------ a real y-websocket client */

function connect(server: TestServer, session: Session, agreementId: string) {
  class CookieWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: session.cookie, origin: server.url } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/sync`, agreementId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const closes: Array<{ code: number; reason: string }> = [];
  provider.on('connection-close', (ev) => {
    if (ev) closes.push({ code: ev.code, reason: ev.reason });
  });
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return {
    doc,
    provider,
    closes,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Poll until `check` holds; only the test timeout bounds it. */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 25));
}

/** Append a paragraph whose text links to `href`, with raw Yjs operations (as any client can). */
function appendRawLink(doc: Y.Doc, sectionId: string, text: string, href: string): void {
  doc.transact(() => {
    const body = getSectionBody(doc, sectionId);
    const para = new Y.XmlElement('paragraph');
    body.insert(body.length, [para]);
    const t = new Y.XmlText();
    para.insert(0, [t]);
    t.insert(0, text, { link: { href, target: '_blank', rel: 'noopener noreferrer nofollow' } });
  });
}

/* ------------------------------------------------------------------ the tests */

describe.each(drivers)('links that fail the link rule are never live (%s)', (driver) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const live = (p: TwoParties) => server.deps.sync.getDocumentState(p.agreementId);
  const download = async (p: TwoParties, format: 'pdf' | 'docx') => {
    const res = await fetch(`${server.url}/api/agreements/${p.agreementId}/export?format=${format}`, { method: 'POST', headers: { cookie: p.kommun.cookie, origin: server.url } });
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  };

  /** The document and both exports carry the good links and none of the bad ones. */
  const expectOnlyGoodLinks = async (p: TwoParties, good: string[]) => {
    const links = liveLinks(await live(p));
    for (const bad of BAD) expect(links, bad).not.toContain(bad);
    for (const href of good) expect(links).toContain(href);

    const pdf = await download(p, 'pdf');
    const uris = pdfUris(pdf);
    expect(uris.filter((u) => !GOOD.includes(u))).toEqual([]);
    for (const href of good) expect(uris).toContain(href);
    const pdfText = Buffer.from(pdf).toString('latin1').toLowerCase();
    for (const word of ['javascript:', 'vbscript:', 'file:', '\\\\host']) expect(pdfText).not.toContain(word);

    const docx = await download(p, 'docx');
    const targets = docxExternalTargets(docx);
    expect(targets.filter((t) => !GOOD.includes(t))).toEqual([]);
    for (const href of good) expect(targets).toContain(href);
  };

  it('import: a Word file linking to javascript:, file:, data: and network paths is imported with those links as plain text', async () => {
    const p = await setUpTwoParties(server.url);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(docxWithLinks([...BAD, ...GOOD]))]), 'avtal.docx');
    const res = await fetch(`${server.url}/api/agreements/${p.agreementId}/import/proposal`, {
      method: 'POST',
      headers: { cookie: p.ngo.cookie, origin: server.url },
      body: form,
    });
    expect(res.status).toBe(200);
    const proposal = (await res.json()) as { sections: Array<{ heading: string; matchedKey: string | null; body: unknown }> };
    expect(proposal.sections.map((s) => s.matchedKey)).toEqual(['background']);
    const sections = proposal.sections.map((s) => ({ heading: s.heading, key: s.matchedKey, body: s.body }));

    // And the same links sent straight to the apply route, as any API client can.
    sections.push({
      heading: 'Egna länkar',
      key: null,
      title: 'Egna länkar',
      body: {
        type: 'doc',
        content: [
          {
            type: 'paragraph',
            content: BAD.map((href, i) => ({ type: 'text', text: `direkt ${i} `, marks: [{ type: 'link', attrs: { href } }, { type: 'bold' }] })),
          },
        ],
      },
    } as (typeof sections)[number]);
    const applied = await api.call('POST', `/api/agreements/${p.agreementId}/import`, p.ngo, { fileName: 'avtal.docx', sections });
    expect(applied.status).toBe(200);

    const doc = await live(p);
    const text = bodiesText(doc);
    for (let i = 0; i < BAD.length; i++) {
      expect(text).toContain(`länk ${i}`); // the text stays …
      expect(text).toContain(`direkt ${i}`);
    }
    expect(storedFormatHrefs(doc).filter((h) => !GOOD.includes(h))).toEqual([]); // … the link is never stored
    await expectOnlyGoodLinks(p, GOOD);
  });

  it('restore: a version holding such links (written before the rule existed) restores them as plain text', async () => {
    const p = await setUpTwoParties(server.url);
    const sectionId = listSections(await live(p))[0]!.id;
    // Content from before the rule: raw Yjs writes on the server, past every check.
    await server.deps.sync.withDocument(p.agreementId, (doc) => {
      BAD.forEach((href, i) => appendRawLink(doc, sectionId, `gammal länk ${i}`, href));
      appendRawLink(doc, sectionId, 'kommunens sida', GOOD[0]!);
    });
    // Even unrestored, the exporters refuse them.
    expect(pdfUris(await download(p, 'pdf')).filter((u) => !GOOD.includes(u))).toEqual([]);
    expect(docxExternalTargets(await download(p, 'docx')).filter((t) => !GOOD.includes(t))).toEqual([]);

    const saved = await api.expectOk<{ id: string }>('POST', `/api/agreements/${p.agreementId}/versions`, p.ngo, { name: 'Före' });
    await server.deps.sync.withDocument(p.agreementId, (doc) => setSectionBody(doc, sectionId, paragraphsToRich(['Ny text utan länkar.'])));
    expect(liveLinks(await live(p))).toEqual([]);

    const restored = await api.call('POST', `/api/agreements/${p.agreementId}/versions/${saved.id}/restore`, p.ngo);
    expect(restored.status).toBe(201);
    const text = bodiesText(await live(p));
    for (let i = 0; i < BAD.length; i++) expect(text).toContain(`gammal länk ${i}`);
    await expectOnlyGoodLinks(p, [GOOD[0]!]);
  });

  it('websocket: an update setting such a link is refused with 4422 before it is relayed or stored', async () => {
    const p = await setUpTwoParties(server.url);
    const sectionId = listSections(await live(p))[0]!.id;
    const observer = connect(server, p.kommun, p.agreementId);
    await observer.synced;
    try {
      // An allowed link goes through and the socket stays open.
      const good = connect(server, p.ngo, p.agreementId);
      await good.synced;
      appendRawLink(good.doc, sectionId, 'kommunens sida', GOOD[0]!);
      await until(async () => liveLinks(await live(p)).includes(GOOD[0]!));
      expect(good.closes).toEqual([]);
      good.destroy();

      for (const href of BAD) {
        const sender = connect(server, p.ngo, p.agreementId);
        await sender.synced;
        appendRawLink(sender.doc, sectionId, `skickad länk`, href);
        // Either the server refuses it, or (without the rule) it lands in the document.
        await until(async () => sender.closes.length > 0 || liveLinks(await live(p)).includes(href));
        expect(sender.closes[0], href).toMatchObject({ code: 4422 });
        expect(sender.closes[0]!.reason, href).toMatch(/link/i);
        sender.destroy();
      }

      // The server's own next change reaches the observer after anything relayed before it.
      await server.deps.sync.withDocument(p.agreementId, (doc) => appendRawLink(doc, sectionId, 'till sist', GOOD[1]!));
      await until(() => liveLinks(observer.doc).includes(GOOD[1]!));
      expect(liveLinks(observer.doc).filter((h) => !GOOD.includes(h))).toEqual([]);
      expect(bodiesText(observer.doc)).not.toContain('skickad länk');

      const doc = await live(p);
      expect(bodiesText(doc)).not.toContain('skickad länk');
      expect(storedFormatHrefs(doc).filter((h) => !GOOD.includes(h))).toEqual([]);
      await expectOnlyGoodLinks(p, GOOD);
    } finally {
      observer.destroy();
    }
  });
});
