/**
 * Hostile Word files (issue 11): a DOCX with 50,000 headings and zip bombs are refused with typed problems,
 * and while they are being read the server keeps serving others: a second client's /api/health answers and
 * a live websocket edit on another agreement arrives. The apply route refuses unknown content types and
 * prototype keys. Files are generated here (packages/export/src/testing/docx-zip.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { getSectionBody, listSections } from '@overens/model';
import { generateDocx, manyHeadingsDocx, zipBombDocx, type GenBlock } from '../../../packages/export/src/testing/docx-zip.ts';
import { client, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

interface Problem {
  type: string;
  status: number;
  code: string;
  messages: { sv: string; en: string };
  errors: Array<{ field: string; message: string }>;
}

async function upload(server: TestServer, agreementId: string, session: Session, bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'avtal.docx');
  const res = await fetch(`${server.url}/api/agreements/${agreementId}/import/proposal`, {
    method: 'POST',
    headers: { cookie: session.cookie, origin: server.url },
    body: form,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as Problem & Record<string, unknown> };
}

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
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return { doc, provider, synced, destroy: () => (provider.destroy(), doc.destroy()) };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

const paragraphs = (n: number): GenBlock[] => Array.from({ length: n }, (_, i) => ({ p: `Stycke ${i}.` }));

describe.each(drivers)('DOCX import limits (%s)', (driver) => {
  describe('with the default limits', () => {
    let server: TestServer;
    let p: TwoParties;
    let api: ReturnType<typeof client>;
    beforeAll(async () => {
      server = await startServerOn(driver);
      api = client(server.url);
      p = await setUpTwoParties(server.url);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('refuses 50,000 headings by the paragraph cap, naming the limit in Swedish and English', async () => {
      const r = await upload(server, p.agreementId, p.ngo, manyHeadingsDocx(50_000));
      expect(r.status).toBe(422);
      expect(r.type).toContain('application/problem+json');
      expect(r.json.type).toBe('/problems/import-too-many-paragraphs');
      expect(r.json.code).toBe('too_many_paragraphs');
      expect(r.json.messages.sv).toContain('10\u00a0000 stycken');
      expect(r.json.messages.en).toContain('10\u00a0000 paragraphs');
      expect(r.json.errors).toEqual([{ field: 'file', message: r.json.messages.sv }]);
    });

    it('refuses zip bombs by the inflated size, whether the zip declares it or lies about it', async () => {
      for (const lie of [false, true]) {
        const bomb = zipBombDocx(100 * 1024 * 1024, lie);
        expect(bomb.length).toBeLessThan(150 * 1024);
        const r = await upload(server, p.agreementId, p.ngo, bomb);
        expect(r.status).toBe(413);
        expect(r.json.code).toBe('inflated_too_large');
        expect(r.json.messages.sv).toContain('32 MB');
        expect(r.json.messages.en).toContain('32 MB');
      }
    });

    it('refuses more headings or tables than allowed, and reads a file within the limits', async () => {
      const headings = await upload(server, p.agreementId, p.ngo, manyHeadingsDocx(1_001));
      expect(headings.status).toBe(422);
      expect(headings.json.code).toBe('too_many_headings');
      expect(headings.json.messages.en).toContain('1\u00a0000 headings');

      const tables = await upload(server, p.agreementId, p.ngo, generateDocx([{ h: 'Ekonomi' }, ...Array.from({ length: 201 }, () => ({ table: [['a', 'b']] }))]));
      expect(tables.status).toBe(422);
      expect(tables.json.code).toBe('too_many_tables');

      const within = await upload(server, p.agreementId, p.ngo, generateDocx([{ h: 'Bakgrund' }, ...paragraphs(500), { h: 'Ekonomi' }, { table: [['Post', 'Belopp']] }]));
      expect(within.status).toBe(200);
      expect((within.json['sections'] as Array<{ matchedKey: string }>).map((s) => s.matchedKey)).toEqual(['background', 'economy']);
    });

    it('refuses unknown node and mark types and prototype keys when applying an import (422)', async () => {
      const path = `/api/agreements/${p.agreementId}/import`;
      const doc = (content: unknown[]) => ({ type: 'doc', content });
      const apply = (section: Record<string, unknown>) => api.call<Problem>('POST', path, p.ngo, { sections: [{ heading: 'X', key: null, body: doc([]), ...section }] });

      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const r = await apply({ key });
        expect(r.status).toBe(422);
        expect(r.json.code).toBe('forbidden_key');
        expect(r.json.errors[0]!.field).toBe('sections[0].key');
        expect(r.json.messages.en).toContain(`"${key}" cannot be used as a key`);
      }
      const node = await apply({ body: doc([{ type: 'paragraph' }, { type: 'iframe', content: [] }]) });
      expect(node.status).toBe(422);
      expect(node.json.code).toBe('unsupported_content');
      expect(node.json.errors[0]!.field).toBe('sections[0].body.content[1].type');
      expect(node.json.messages.sv).toContain('"iframe" kan inte importeras');

      const mark = await apply({ body: doc([{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'textStyle' }] }] }]) });
      expect(mark.status).toBe(422);
      expect(mark.json.errors[0]!.field).toBe('sections[0].body.content[0].content[0].marks[0].type');

      const attrs = await apply({ body: JSON.parse('{"type":"doc","content":[{"type":"heading","attrs":{"__proto__":{"level":1}}}]}') });
      expect(attrs.status).toBe(422);
      expect(attrs.json.code).toBe('forbidden_key');

      const before = listSections(await server.deps.sync.getDocumentState(p.agreementId)).length;
      const ok = await apply({ body: doc([{ type: 'paragraph', content: [{ type: 'text', text: 'fet', marks: [{ type: 'bold' }] }] }]) });
      expect(ok.status).toBe(200);
      expect(listSections(await server.deps.sync.getDocumentState(p.agreementId)).length).toBe(before + 1);
    });
  });

  describe('while hostile files are read', () => {
    let server: TestServer;
    let p: TwoParties;
    let other: string;
    beforeAll(async () => {
      // A paragraph cap high enough that the 50,000 headings reach mammoth: the worker then runs until the
      // time limit (or the heading cap) stops it, and that is the window in which others must be served.
      server = await startServerOn(driver, { importMaxParagraphs: 1_000_000, importTimeoutMs: 3_000 });
      p = await setUpTwoParties(server.url);
      other = (await client(server.url).expectOk<{ id: string }>('POST', '/api/agreements', p.ngo, { title: 'Ett annat avtal', organisationId: p.ngoOrgId })).id;
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('keeps answering /api/health and relaying edits on another agreement, and refuses both files', async () => {
      const writer = connect(server, p.ngo, other);
      const reader = connect(server, p.ngo, other);
      try {
        await Promise.all([writer.synced, reader.synced]);
        const sectionId = listSections(writer.doc)[0]!.id;

        let pending = true;
        const imports = Promise.all([
          upload(server, p.agreementId, p.ngo, manyHeadingsDocx(50_000)),
          upload(server, p.agreementId, p.ngo, zipBombDocx(100 * 1024 * 1024, true)),
        ]).finally(() => {
          pending = false;
        });

        // A second client asks for health one request after another; count the answers that arrive while the
        // imports are still running. A blocked event loop answers none until the imports are done.
        let healthDuring = 0;
        const health = (async () => {
          while (pending && healthDuring < 10) {
            const r = await fetch(`${server.url}/api/health`);
            const body = (await r.json()) as { status: string };
            if (pending && r.status === 200 && body.status === 'ok') healthDuring++;
          }
        })();
        await until(() => healthDuring >= 5 || !pending);

        // Then edits on the other agreement, each awaited at the other client.
        let editsDuring = 0;
        for (let i = 0; i < 3 && pending; i++) {
          const para = new Y.XmlElement('paragraph');
          para.insert(0, [new Y.XmlText(`Redigering ${i} under importen.`)]);
          getSectionBody(writer.doc, sectionId).push([para]);
          await until(() => getSectionBody(reader.doc, sectionId).toString().includes(`Redigering ${i} under`));
          if (pending) editsDuring++;
        }

        const [headings, bomb] = await imports;
        await health;
        expect(healthDuring).toBeGreaterThanOrEqual(10);
        expect(editsDuring).toBe(3);

        expect(headings.status).toBe(422);
        // Which limit stops it first depends on the machine: the time limit, or the heading cap after parsing.
        expect(['time_limit', 'too_many_headings']).toContain(headings.json.code);
        if (headings.json.code === 'time_limit') expect(headings.json.messages.sv).toContain('3 sekunder');
        expect(bomb.status).toBe(413);
        expect(bomb.json.code).toBe('inflated_too_large');

        // The server is still fine afterwards, and the refused imports changed nothing.
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      } finally {
        writer.destroy();
        reader.destroy();
      }
    }, 60_000);
  });
});
