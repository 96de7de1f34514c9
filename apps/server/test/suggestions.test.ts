/**
 * Suggestion mode on the server (issue #16): accepting and rejecting through the API (live document,
 * audit trail, version history), and open suggestions blocking approval for signing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSectionMarks, getSectionRichBody, listSections, makeSuggestionId, richPlainText, setSectionAgreed, setSectionBody, type AgreementRedline, type RichNode } from '@overens/model';
import { agreeAllSections, fillComplete } from './helpers/complete-agreement.ts';
import { client, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

interface Decided {
  decision: string;
  decided: Array<{ id: string; authorUserId: string | null; authorName: string; kind: string; text: string; sectionId: string; sectionTitle: string }>;
  versionId: string;
}
interface Problem {
  type: string;
  code: string;
  detail: string;
  openSuggestions?: Array<{ sectionId: string; title: string; count: number }>;
}
interface ApprovalState {
  currentHash: string;
  open: { sectionsNotAgreed: unknown[]; openSuggestions: Array<{ sectionId: string; title: string; count: number }> };
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'overens-sug-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const text = (t: string, marks?: RichNode['marks']): RichNode => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const para = (...content: RichNode[]): RichNode => ({ type: 'doc', content: [{ type: 'paragraph', content }] });

describe.each(drivers)('suggestions (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const decide = <T,>(who: Session, body: unknown) => api.call<T>('POST', path('/suggestions/decisions'), who, body);
  const sections = async () => listSections(await server.deps.sync.getDocumentState(p.agreementId));
  const bodyOf = async (sectionId: string) => getSectionRichBody(await server.deps.sync.getDocumentState(p.agreementId), sectionId);
  const setBody = (sectionId: string, body: RichNode) => server.deps.sync.withDocument(p.agreementId, (doc) => setSectionBody(doc, sectionId, body));
  let seq = 0;
  /** A suggestion id as the editor makes it: the author is readable from it. */
  const sid = (who: Session) => makeSuggestionId(who.userId, new Date(Date.now() + ++seq), Math.random);

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpTwoParties(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('an editor accepts one suggestion and rejects another: live text, audit trail, version history', async () => {
    const [section] = await sections();
    const ins = sid(p.kommun);
    const del = sid(p.kommun);
    await setBody(section!.id, para(text('Föreningen erbjuder '), text('kostnadsfri ', [{ type: 'insertion', attrs: { id: ins } }]), text('läxhjälp '), text('varje dag', [{ type: 'deletion', attrs: { id: del } }]), text('.')));

    const before = await api.expectOk<{ id: string }>('POST', path('/versions'), p.ngo, { name: 'Före beslut' });
    const accepted = await decide<Decided>(p.ngo, { decision: 'accept', suggestionIds: [ins] });
    expect(accepted.status).toBe(200);
    expect(accepted.json.decided).toEqual([
      { id: ins, authorUserId: p.kommun.userId, authorName: 'Kalle Kommun', kind: 'insertion', text: 'kostnadsfri ', sectionId: section!.id, sectionTitle: section!.title },
    ]);
    const rejected = await decide<Decided>(p.ngo, { decision: 'reject', suggestionIds: [del, 'sg_nobody_1_aaaaaa'] });
    expect(rejected.status).toBe(200);
    expect(rejected.json.decided.map((d) => [d.id, d.kind, d.text])).toEqual([[del, 'deletion', 'varje dag']]);

    const body = await bodyOf(section!.id);
    expect(richPlainText(body)).toBe('Föreningen erbjuder kostnadsfri läxhjälp varje dag.');
    expect(JSON.stringify(body)).not.toMatch(/insertion|deletion/);

    // Decided once: a second decision on the same ids finds nothing open.
    const again = await decide<Problem>(p.kommun, { decision: 'accept', suggestionIds: [ins, del] });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.json.code).toBe('suggestion-not-found');

    const audit = await api.expectOk<{ entries: Array<{ type: string; actor: { id: string } | null; at: string; data: Record<string, unknown> }> }>('GET', path('/audit'), p.kommun);
    const acc = audit.entries.find((e) => e.type === 'suggestion.accepted')!;
    expect(acc.actor?.id).toBe(p.ngo.userId);
    expect(acc.at).toBeTruthy();
    expect(acc.data.suggestions).toEqual([expect.objectContaining({ id: ins, authorUserId: p.kommun.userId, authorName: 'Kalle Kommun', text: 'kostnadsfri ' })]);
    expect(audit.entries.find((e) => e.type === 'suggestion.rejected')!.data.suggestions).toEqual([expect.objectContaining({ id: del, text: 'varje dag' })]);

    const versions = await api.expectOk<{ versions: Array<{ id: string; name: string; createdBy: { id: string } | null }> }>('GET', path('/versions'), p.kommun);
    const v = versions.versions.find((x) => x.id === accepted.json.versionId)!;
    expect(v.name).toContain('Förslag godtaget');
    expect(v.name).toContain('kostnadsfri');
    expect(v.name).toContain('Kalle Kommun');
    expect(v.createdBy?.id).toBe(p.ngo.userId);
    expect(versions.versions.some((x) => x.id === rejected.json.versionId && x.name.includes('avvisat'))).toBe(true);

    // The compare shows the accepted change (the open suggestion before it was no change of the standing text).
    const cmp = await api.expectOk<AgreementRedline>('GET', path(`/versions/compare?from=${before.id}&to=${accepted.json.versionId}`), p.kommun);
    const changed = cmp.sections.find((x) => x.sectionId === section!.id)!;
    expect(changed.change).toBe('modified');
    expect(changed.body.filter((c) => c.op === 'insert').map((c) => c.text).join('')).toContain('kostnadsfri');
    expect(changed.body.filter((c) => c.op === 'delete')).toEqual([]);
  });

  it('a draft PDF shows open suggestions marked with a legend (who = party); a clean one leaves them out', async () => {
    const [, , third] = await sections();
    const ins = sid(p.kommun);
    await setBody(third!.id, para(text('Parterna ses '), text('minst ', [{ type: 'insertion', attrs: { id: ins } }]), text('två gånger per år.')));
    const get = async (query: string) => {
      const res = await fetch(`${server.url}${path(`/export?format=pdf${query}`)}`, { method: 'POST', headers: { cookie: p.ngo.cookie, origin: server.url } });
      expect(res.status).toBe(200);
      return pdfText(Buffer.from(await res.arrayBuffer()));
    };
    const marked = await get('');
    expect(marked).toContain('Öppna förslag');
    expect(marked).toContain('Exempel kommun: Kalle Kommun');
    expect(marked).toContain('Parterna ses minst två gånger per år.');
    const clean = await get('&suggestions=clean');
    expect(clean).not.toContain('Öppna förslag');
    expect(clean).toContain('Parterna ses två gånger per år.');
    const bad = await api.call<Problem>('POST', path('/export?format=pdf&suggestions=hidden'), p.ngo);
    expect(bad.status).toBe(400);
    await decide(p.kommun, { decision: 'reject', suggestionIds: [ins] });
  }, 120_000);

  it('accepting in an agreed section withdraws the agreement (the text changed), recording who', async () => {
    const all = await sections();
    const target = all[all.length - 1]!;
    const ins = sid(p.kommun);
    await server.deps.sync.withDocument(p.agreementId, (doc) => {
      setSectionBody(doc, target.id, para(text('Avtalet kan sägas upp.')));
      for (const [partyId, who] of [[p.ngoOrgId, p.ngo], [p.kommunOrgId, p.kommun]] as const) {
        setSectionAgreed(doc, target.id, partyId, { partyId, userId: who.userId, userName: who.name, at: new Date().toISOString() });
      }
      // Suggesting keeps the agreement (the standing text is the same) …
      setSectionBody(doc, target.id, para(text('Avtalet kan '), text('skriftligen ', [{ type: 'insertion', attrs: { id: ins } }]), text('sägas upp.')));
    });
    const marks = async () => getSectionMarks(await server.deps.sync.getDocumentState(p.agreementId), target.id);
    expect(Object.keys((await marks()).agreedBy).sort()).toEqual([p.ngoOrgId, p.kommunOrgId].sort());
    // … accepting changes it.
    expect((await decide(p.ngo, { decision: 'accept', suggestionIds: [ins] })).status).toBe(200);
    const after = await marks();
    expect(after.agreedBy).toEqual({});
    expect(after.lastResetBy).toMatchObject({ userId: p.ngo.userId, partyId: p.ngoOrgId });
  });

  it('decides every open suggestion in a section, and only editors may', async () => {
    const [, second] = await sections();
    const a = sid(p.ngoCommenter);
    const b = sid(p.kommun);
    await setBody(second!.id, para(text('Avtalet gäller '), text('i tre år', [{ type: 'insertion', attrs: { id: a } }]), text(' från start', [{ type: 'insertion', attrs: { id: b } }])));

    const byCommenter = await decide<Problem>(p.ngoCommenter, { decision: 'accept', sectionId: second!.id });
    expect(byCommenter.status).toBe(403);
    const byViewer = await decide<Problem>(p.ngoViewer, { decision: 'accept', sectionId: second!.id });
    expect(byViewer.status).toBe(403);

    const both = await decide<Problem>(p.kommun, { decision: 'accept', sectionId: second!.id, suggestionIds: [a] });
    expect(both.status).toBe(400);
    const unknownSection = await decide<Problem>(p.kommun, { decision: 'accept', sectionId: 'no-such-section' });
    expect(unknownSection.status).toBe(404);

    const r = await decide<Decided>(p.kommun, { decision: 'reject', sectionId: second!.id });
    expect(r.status).toBe(200);
    expect(r.json.decided.map((d) => d.id).sort()).toEqual([a, b].sort());
    expect(r.json.decided.find((d) => d.id === a)!.authorName).toBe('Cecilia Kommentar');
    expect(richPlainText(await bodyOf(second!.id))).toBe('Avtalet gäller ');
  });
});

describe.each(drivers)('open suggestions block approval (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const state = async () => api.expectOk<ApprovalState>('GET', path('/approvals'), p.ngo);

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpTwoParties(server.url);
    await api.expectOk('PATCH', path(`/members/${p.ngo.userId}`), p.ngo, { signatory: true });
    await api.expectOk('PATCH', path(`/members/${p.kommun.userId}`), p.kommun, { signatory: true });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses approval while a suggestion is open and says where; rejecting it clears the way', async () => {
    let sectionId = '';
    let title = '';
    const id = makeSuggestionId(p.kommun.userId, new Date(), Math.random);
    await server.deps.sync.withDocument(p.agreementId, (doc) => {
      fillComplete(doc, p.ngoOrgId, p.kommunOrgId);
      const s = listSections(doc)[0]!;
      sectionId = s.id;
      title = s.title;
      const body = getSectionRichBody(doc, s.id);
      // One suggested insertion at the end of the first paragraph.
      const first = body.content![0]!;
      first.content = [...(first.content ?? []), text(' Ändringen gäller från 2027.', [{ type: 'insertion', attrs: { id } }])];
      setSectionBody(doc, s.id, body);
      agreeAllSections(doc, [
        { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
        { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
      ]);
    });

    const before = await state();
    expect(before.open.sectionsNotAgreed).toEqual([]);
    expect(before.open.openSuggestions).toEqual([{ sectionId, title, count: 1 }]);
    const refused = await api.call<Problem>('POST', path('/approvals'), p.ngo, { hash: before.currentHash });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('approval-blocked');
    expect(refused.json.openSuggestions).toEqual([{ sectionId, title, count: 1 }]);
    expect(refused.json.detail).toContain('open suggestion');

    // Rejecting leaves the standing text (and the agreement on it) as it was.
    expect((await api.call('POST', path('/suggestions/decisions'), p.kommun, { decision: 'reject', suggestionIds: [id] })).status).toBe(200);
    const after = await state();
    expect(after.open.openSuggestions).toEqual([]);
    expect(after.open.sectionsNotAgreed).toEqual([]);
    const ok = await api.call<{ approval: { id: string } }>('POST', path('/approvals'), p.ngo, { hash: after.currentHash });
    expect(ok.status).toBe(201);
  });
});
