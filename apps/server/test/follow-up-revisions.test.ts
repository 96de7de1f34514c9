/**
 * Amendments and renewals (issue 17, "Ändra eller förläng") against a real server and database: an
 * amendment of a signed agreement starts as a draft of the signed text; its redline against version 1
 * shows the change; approving and locking it gives final version 2 "Tillägg 1", whose export names what
 * it amends — while version 1's row, hash and signing PDF stay exactly as they were.
 */
import { createHash } from 'node:crypto';
import { listSections, setSectionBody } from '@overens/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../../packages/export/src/testing/poppler.ts';
import { client } from './helpers/agreement-fixture.ts';
import { agreeAllSections } from './helpers/complete-agreement.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { setUpSignedAgreement, type SignedAgreement } from './helpers/signed-agreement.ts';

interface Detail {
  status: string;
  revision: { number: number; kind: string; basedOnVersion: number } | null;
  finalVersions: Array<{ number: number; kind: string; label: string; hash: string; amends: number | null }>;
  finalVersionId: string | null;
}

describe.each(drivers)('amendments (%s)', (driver) => {
  let server: TestServer;
  let p: SignedAgreement;
  let api: ReturnType<typeof client>;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const exportPdf = async (finalVersionId: string, mode?: string) => {
    const res = await fetch(server.url + path(`/export?format=pdf&version=${finalVersionId}${mode ? `&mode=${mode}` : ''}`), { method: 'POST', headers: { cookie: p.ngo.cookie, origin: server.url } });
    expect(res.status, await res.clone().text()).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpSignedAgreement(server);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('an amendment starts from the signed text, shows its redline, and locks as version 2 while version 1 stays unchanged', async () => {
    const v1 = p.finalVersion;
    const pdf1 = await exportPdf(v1.id);
    const sha1 = createHash('sha256').update(pdf1).digest('hex');

    // Only editors, only of a signed agreement.
    expect((await api.call('POST', path('/revisions'), p.ngoViewer, { kind: 'amendment' })).status).toBe(403);
    expect((await api.call('POST', path('/revisions'), p.ngo, { kind: 'förlängning' })).status).toBe(400);
    const started = await api.call<{ number: number; kind: string; basedOnVersion: number }>('POST', path('/revisions'), p.ngo, { kind: 'amendment' });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    expect(started.json).toEqual({ number: 1, kind: 'amendment', basedOnVersion: 1 });
    const again = await api.call<{ code: string }>('POST', path('/revisions'), p.ngo, { kind: 'amendment' });
    expect(again.status).toBe(409);

    let detail = await api.expectOk<Detail>('GET', path(''), p.kommun);
    expect(detail).toMatchObject({ status: 'draft', revision: { number: 1, kind: 'amendment', basedOnVersion: 1 }, finalVersionId: null });
    expect(detail.finalVersions).toEqual([expect.objectContaining({ number: 1, kind: 'original', label: 'Slutlig version 1', hash: v1.hash, amends: null })]);
    const list = await api.expectOk<Array<{ id: string; revision: unknown; finalVersions: unknown[] }>>('GET', '/api/agreements', p.kommun);
    expect(list.find((a) => a.id === p.agreementId)).toMatchObject({ revision: { kind: 'amendment' }, finalVersions: [expect.objectContaining({ number: 1 })] });

    // The draft begins as the signed text, and the approvals start over.
    const approvals = await api.expectOk<{ currentHash: string; approvals?: unknown[] }>('GET', path('/approvals'), p.ngo);
    expect(approvals.currentHash).toBe(v1.hash);
    // Follow-up stays on the signed version meanwhile.
    expect((await api.expectOk<{ signedVersion: { number: number } }>('GET', path('/follow-up'), p.kommun)).signedVersion.number).toBe(1);

    let sectionId = '';
    await server.deps.sync.withDocument(p.agreementId, (doc) => {
      const s = listSections(doc).find((x) => x.key === 'period') ?? listSections(doc)[0]!;
      sectionId = s.id;
      setSectionBody(doc, s.id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Partnerskapet förlängs till och med 2029-12-31.' }] }] });
    });
    const redline = await api.expectOk<{ sections: Array<{ sectionId: string; change: string; body: Array<{ op: string; text: string }> }> }>(
      'GET',
      path(`/versions/compare?from=${v1.versionId}&to=current`),
      p.kommun,
    );
    const changed = redline.sections.find((s) => s.sectionId === sectionId)!;
    expect(changed.change).toBe('modified');
    expect(changed.body.filter((c) => c.op === 'insert').map((c) => c.text).join('')).toContain('2029');

    await server.deps.sync.withDocument(p.agreementId, (doc) =>
      agreeAllSections(doc, [
        { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
        { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
      ]),
    );
    const { currentHash } = await api.expectOk<{ currentHash: string }>('GET', path('/approvals'), p.ngo);
    expect(currentHash).not.toBe(v1.hash);
    await api.expectOk('POST', path('/approvals'), p.ngo, { hash: currentHash });
    const locked = await api.expectOk<{ lockedAs: { id: string; number: number; hash: string } | null }>('POST', path('/approvals'), p.kommun, { hash: currentHash });
    expect(locked.lockedAs).toMatchObject({ number: 2, hash: currentHash });

    detail = await api.expectOk<Detail>('GET', path(''), p.ngo);
    expect(detail.status).toBe('locked');
    expect(detail.revision).toBeNull();
    expect(detail.finalVersions).toEqual([
      expect.objectContaining({ number: 1, kind: 'original', label: 'Slutlig version 1', hash: v1.hash }),
      expect.objectContaining({ number: 2, kind: 'amendment', label: 'Tillägg 1', hash: currentHash, amends: 1 }),
    ]);
    const finals = await api.expectOk<{ finalVersions: Array<{ number: number; hash: string; unlocked: unknown }> } | Array<{ number: number; hash: string; unlocked: unknown }>>('GET', path('/final-versions'), p.ngo);
    const rows = Array.isArray(finals) ? finals : finals.finalVersions;
    expect(rows.find((f) => f.number === 1)).toMatchObject({ hash: v1.hash, unlocked: null });

    // Version 1's signing PDF is byte for byte what it was.
    const again1 = await exportPdf(v1.id);
    expect(createHash('sha256').update(again1).digest('hex')).toBe(sha1);
    // Version 2 names itself and what it amends.
    const text2 = pdfText(await exportPdf(locked.lockedAs!.id)).replace(/\s+/g, ' ');
    expect(text2).toContain('Tillägg 1');
    expect(text2).toContain('Ändrar');
    expect(text2).toContain('IOP om läxhjälp, Slutlig version 1 (version 1)');
    expect(text2.replace(/ /g, '')).toContain(v1.hash);
    expect(text2).toContain('2029-12-31');

    // Follow-up moves to the amendment; the calendar of dates follows it.
    expect((await api.expectOk<{ signedVersion: { number: number; label: string } }>('GET', path('/follow-up'), p.kommun)).signedVersion).toMatchObject({ number: 2, label: 'Tillägg 1' });
  });

  it('an unchanged amendment can be withdrawn: the signed version is in force and locked again; a changed one cannot', async () => {
    const q = await setUpSignedAgreement(server);
    const at = (s: string) => `/api/agreements/${q.agreementId}${s}`;
    expect((await api.call<{ code: string }>('POST', at('/revisions/withdraw'), q.ngo)).status).toBe(409);
    await api.expectOk('POST', at('/revisions'), q.kommun, { kind: 'renewal' });
    expect((await api.call('POST', at('/revisions/withdraw'), q.ngoViewer)).status).toBe(403);
    const back = await api.call<{ number: number; label: string; hash: string }>('POST', at('/revisions/withdraw'), q.ngo);
    expect(back.status, JSON.stringify(back.json)).toBe(200);
    expect(back.json).toMatchObject({ number: 1, label: 'Slutlig version 1', hash: q.finalVersion.hash });
    let detail = await api.expectOk<Detail>('GET', at(''), q.kommun);
    expect(detail).toMatchObject({ status: 'locked', revision: null, finalVersionId: q.finalVersion.versionId });
    expect(detail.finalVersions.map((f) => f.number)).toEqual([1]);

    await api.expectOk('POST', at('/revisions'), q.kommun, { kind: 'renewal' });
    await server.deps.sync.withDocument(q.agreementId, (doc) => {
      const s = listSections(doc)[0]!;
      setSectionBody(doc, s.id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ändrad bakgrund.' }] }] });
    });
    const refused = await api.call<{ code: string }>('POST', at('/revisions/withdraw'), q.ngo);
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('revision-changed');
    detail = await api.expectOk<Detail>('GET', at(''), q.kommun);
    expect(detail).toMatchObject({ status: 'draft', revision: { kind: 'renewal', number: 1, basedOnVersion: 1 } });
  });
});
