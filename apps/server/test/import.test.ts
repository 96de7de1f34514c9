/**
 * DOCX import over HTTP: upload -> proposed mapping (nothing created) -> the user edits the mapping ->
 * apply fills the template sections and adds custom ones; bad files get typed problems; only editors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '@overens/export';
import { completeFixtureSnapshot, getSectionRichBody, listSections, richPlainText } from '@overens/model';
import { client, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

interface Proposal {
  fileName: string | null;
  title: string | null;
  sections: Array<{ heading: string; matchedKey: string | null; confidence: number; body: Record<string, unknown> }>;
  missingKeys: string[];
  warnings: Array<{ code: string }>;
}

describe.each(drivers)('DOCX import (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;

  const upload = async (session: Session, bytes: Uint8Array, name = 'avtal.docx') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(server.url + path('/import/proposal'), { method: 'POST', headers: { cookie: session.cookie, origin: server.url }, body: form });
    return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpTwoParties(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('proposes a mapping, creates nothing, and applies the edited mapping', async () => {
    const fixture = completeFixtureSnapshot();
    const docx = await renderDocx(fixture, { versionLabel: 'Arbetsversion', versionNumber: null, hash: 'a'.repeat(64), mode: 'draft', date: '2026-11-29' });
    const before = JSON.stringify((await server.deps.sync.getDocumentState(p.agreementId)).toJSON());

    const r = await upload(p.ngo, docx);
    expect(r.status).toBe(200);
    const proposal = r.json as unknown as Proposal;
    expect(proposal.fileName).toBe('avtal.docx');
    expect(proposal.sections.map((s) => s.matchedKey)).toEqual(fixture.sections.map((s) => s.key));
    expect(JSON.stringify((await server.deps.sync.getDocumentState(p.agreementId)).toJSON())).toBe(before);

    // The user turns "Marknadsföring" into a custom section called "Kommunikation".
    const sections = proposal.sections.map((s) =>
      s.matchedKey === 'marketing' ? { heading: s.heading, key: null, title: 'Kommunikation', body: s.body } : { heading: s.heading, key: s.matchedKey, body: s.body },
    );
    const applied = await api.call<{ filled: number; added: number }>('POST', path('/import'), p.ngo, { fileName: 'avtal.docx', sections });
    expect(applied.status).toBe(200);
    expect(applied.json).toEqual({ filled: fixture.sections.length - 1, added: 1 });

    const live = await server.deps.sync.getDocumentState(p.agreementId);
    const all = listSections(live);
    const text = (key: string) => richPlainText(getSectionRichBody(live, all.find((s) => s.key === key)!.id));
    const expected = richPlainText(fixture.sections.find((s) => s.key === 'background')!.body);
    expect(text('background')).toBe(expected);
    const custom = all.find((s) => s.key === null && s.title === 'Kommunikation')!;
    expect(richPlainText(getSectionRichBody(live, custom.id))).toBe(richPlainText(fixture.sections.find((s) => s.key === 'marketing')!.body));

    const audit = await api.expectOk<{ entries: Array<{ type: string; data: Record<string, unknown> }> }>('GET', path('/audit'), p.kommun);
    expect(audit.entries.find((e) => e.type === 'import')?.data).toMatchObject({ fileName: 'avtal.docx', custom: ['Kommunikation'] });
  });

  it('refuses files that are not .docx, with a problem in Swedish and English', async () => {
    const r = await upload(p.ngo, new TextEncoder().encode('inte ett Word-dokument'), 'avtal.txt');
    expect(r.status).toBe(415);
    expect(r.type).toContain('application/problem+json');
    expect(r.json['type']).toBe('/problems/import-not-docx');
    expect(r.json['errors']).toEqual([{ field: 'file', message: 'Filen är inte ett Word-dokument (.docx).' }]);
    const empty = await upload(p.ngo, new Uint8Array(0));
    expect(empty.status).toBe(422);
    expect(empty.json['code']).toBe('empty');
  });

  it('lets only editors import', async () => {
    const r = await upload(p.ngoCommenter, new Uint8Array([1, 2, 3]));
    expect(r.status).toBe(403);
    const apply = await api.call('POST', path('/import'), p.ngoViewer, { sections: [{ heading: 'X', key: null, body: { type: 'doc', content: [] } }] });
    expect(apply.status).toBe(403);
    const bad = await api.call<{ errors: Array<{ field: string }> }>('POST', path('/import'), p.ngo, { sections: [{ heading: 'X', key: null, body: { type: 42 } }] });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]!.field).toBe('sections[0].body');
  });
});
