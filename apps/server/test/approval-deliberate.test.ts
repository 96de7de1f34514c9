/**
 * Signatories who are people and a deliberate approval (issue 14 items 2 and 3), over HTTP against a real
 * server, database and sync engine, with a real SMTP server in the test process:
 * - a party's signatories are its members with the signatory flag, with the title from their account; they
 *   reach the document's signatory rows (so the approved hash covers who signs);
 * - a member without the flag cannot approve (403);
 * - approval is refused (409 approval-blocked) while a section is not agreed by every party, listing them;
 * - a stale hash (the text changed since the person looked) is refused (409 content-changed);
 * - an approval records the person, their title, their party and the hash in the audit trail, and the other
 *   party's signatory gets an approval-requested mail with a working link;
 * - the signing-ready PDF (pdftotext) and DOCX print the approvers' names and titles, not the free text.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox } from './helpers/smtp.ts';
import { listParties, setPeriod } from '@overens/model';
import { createMailSender, type MailSender } from '../src/mail/index.ts';
import { client, setUpTwoParties, type TwoParties } from './helpers/agreement-fixture.ts';
import { agreeAllSections, fillComplete } from './helpers/complete-agreement.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { readZip } from './helpers/zip.ts';


function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'overens-approval-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface State {
  status: string;
  currentHash: string;
  open: { sectionsNotAgreed: Array<{ id: string; title: string; missing: Array<{ partyId: string }> }>; unresolvedThreads: unknown[]; errors: unknown[] };
  signatories: Array<{ partyId: string; people: Array<{ userId: string; name: string; title: string; approved: boolean }>; fallback: string[] }>;
}

describe.each(drivers)('signatories who are people, a deliberate approval (%s)', (driver) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startMailbox>>;
  let sender: MailSender;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  let kommunEmail = '';
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const state = async () => api.expectOk<State>('GET', path('/approvals'), p.ngo);

  beforeAll(async () => {
    server = await startServerOn(driver);
    smtp = await startMailbox();
    sender = createMailSender({ db: server.deps.db, logger: server.deps.logger, smtpUrl: smtp.url, from: 'Överens <noreply@exempel.se>', pollMs: 50, backoffMs: 50 });
    sender.start();
    api = client(server.url);
    p = await setUpTwoParties(server.url);
    const members = await api.expectOk<Array<{ userId: string; email: string }>>('GET', path('/members'), p.ngo);
    kommunEmail = members.find((m) => m.userId === p.kommun.userId)!.email;
  }, 120_000);
  afterAll(async () => {
    await sender?.close();
    await smtp?.close();
    await server?.stop();
  });

  it('a signatory is a member with the flag, printed with the title from their account; only the person sets their title', async () => {
    await server.deps.sync.withDocument(p.agreementId, (doc) => fillComplete(doc, p.ngoOrgId, p.kommunOrgId));
    // Before anyone of the NGO signs, the document's free text is only a fallback.
    let s = await state();
    expect(s.signatories.find((x) => x.partyId === p.ngoOrgId)).toMatchObject({ people: [], fallback: ['Lena Berg, Ordförande'] });

    await api.expectOk('PATCH', path(`/members/${p.ngo.userId}`), p.ngo, { signatory: true, title: 'Verksamhetschef' });
    await api.expectOk('PATCH', path(`/members/${p.kommun.userId}`), p.kommun, { signatory: true, title: 'Förvaltningsdirektör' });
    // Nobody sets someone else's title.
    const other = await api.call<{ code: string }>('PATCH', path(`/members/${p.kommun.userId}`), p.ngo, { title: 'Praktikant' });
    expect(other.status).toBe(403);

    s = await state();
    expect(s.signatories.map((x) => [x.partyId, x.people.map((m) => `${m.name}, ${m.title}`), x.fallback])).toEqual([
      [p.ngoOrgId, ['Nora NGO, Verksamhetschef'], []],
      [p.kommunOrgId, ['Kalle Kommun, Förvaltningsdirektör'], []],
    ]);
    const members = await api.expectOk<Array<{ userId: string; title: string; signatory: boolean }>>('GET', path('/members'), p.kommun);
    expect(members.find((m) => m.userId === p.kommun.userId)).toMatchObject({ title: 'Förvaltningsdirektör', signatory: true });
    // The document carries them as signatories with their user id (the approved hash covers who signs).
    const doc = await server.deps.sync.getDocumentState(p.agreementId);
    const people = listParties(doc).flatMap((party) => party.signatories.filter((x) => x.userId).map((x) => [party.id, x.userId, x.name, x.title]));
    doc.destroy();
    expect(people).toEqual([
      [p.ngoOrgId, p.ngo.userId, 'Nora NGO', 'Verksamhetschef'],
      [p.kommunOrgId, p.kommun.userId, 'Kalle Kommun', 'Förvaltningsdirektör'],
    ]);
  });

  it('a member without the signatory flag cannot approve', async () => {
    const { currentHash } = await state();
    const r = await api.call<{ code: string; detail: string }>('POST', path('/approvals'), p.ngoCommenter, { hash: currentHash });
    expect(r.status).toBe(403);
    expect(r.json.detail).toContain('signatory');
  });

  it('refuses approval while a section is not agreed by every party (409, listing the sections and who is missing)', async () => {
    let s = await state();
    expect(s.open.errors).toEqual([]);
    const total = s.open.sectionsNotAgreed.length;
    expect(total).toBeGreaterThan(5);
    let r = await api.call<{ code: string; sectionsNotAgreed: Array<{ title: string; missing: Array<{ partyId: string }> }>; errors: Array<{ field: string }> }>(
      'POST',
      path('/approvals'),
      p.ngo,
      { hash: s.currentHash },
    );
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.json.code).toBe('approval-blocked');
    expect(r.json.sectionsNotAgreed).toHaveLength(total);
    expect(r.json.sectionsNotAgreed.map((x) => x.title)).toContain('Bakgrund');

    // The NGO agrees to everything: only the kommun is missing, for every section.
    await server.deps.sync.withDocument(p.agreementId, (doc) => agreeAllSections(doc, [{ partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name }]));
    s = await state();
    r = await api.call('POST', path('/approvals'), p.ngo, { hash: s.currentHash });
    expect(r.status).toBe(409);
    expect(r.json.sectionsNotAgreed).toHaveLength(total);
    expect(new Set(r.json.sectionsNotAgreed.flatMap((x) => x.missing.map((m) => m.partyId)))).toEqual(new Set([p.kommunOrgId]));
    expect((await state()).signatories.flatMap((x) => x.people).filter((m) => m.approved)).toEqual([]);
  });

  it('refuses a stale hash: the text changed since the person looked (409 content-changed)', async () => {
    await server.deps.sync.withDocument(p.agreementId, (doc) => agreeAllSections(doc, [{ partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name }]));
    const seen = (await state()).currentHash;
    expect((await state()).open.sectionsNotAgreed).toEqual([]);
    // Someone changes the period after the NGO signatory opened the confirmation.
    await server.deps.sync.withDocument(p.agreementId, (doc) => setPeriod(doc, { renegotiationBy: '2028-02-29' }));
    const r = await api.call<{ code: string; currentHash: string; detail: string }>('POST', path('/approvals'), p.ngo, { hash: seen });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('content-changed');
    expect(r.json.detail).toContain('changed since you looked');
    expect(r.json.currentHash).not.toBe(seen);
    expect(r.json.currentHash).toBe((await state()).currentHash);
    // Not a checksum at all: 400.
    expect((await api.call('POST', path('/approvals'), p.ngo, { hash: 'abc' })).status).toBe(400);
    expect((await api.call('POST', path('/approvals'), p.ngo, {})).status).toBe(400);
  });

  it('an approval records who approved which hash for which party, and asks the other signatory by mail with a working link', async () => {
    const { currentHash } = await state();
    const r = await api.call<{ approval: { userName: string; partyId: string; hash: string }; lockedAs: unknown }>('POST', path('/approvals'), p.ngo, { hash: currentHash });
    expect(r.status).toBe(201);
    expect(r.json.approval).toMatchObject({ userName: 'Nora NGO', partyId: p.ngoOrgId, hash: currentHash });
    expect(r.json.lockedAs).toBeNull();

    const audit = await api.expectOk<{ entries: Array<{ type: string; actor: { id: string; name: string } | null; at?: string; data: Record<string, unknown> }> }>('GET', path('/audit'), p.kommun);
    const given = audit.entries.find((e) => e.type === 'approval.given')!;
    expect(given.actor).toMatchObject({ id: p.ngo.userId, name: 'Nora NGO' });
    expect(given.data).toMatchObject({ partyId: p.ngoOrgId, partyName: 'Föreningen Läxhjälpen', userTitle: 'Verksamhetschef', hash: currentHash });

    await expect.poll(() => smtp.mails.filter((m) => m.to.includes(kommunEmail)).length, { timeout: 30_000 }).toBe(1);
    const mail = smtp.mails.find((m) => m.to.includes(kommunEmail))!;
    expect(mail.subject).toContain('IOP om läxhjälp');
    expect(mail.text).toContain('Nora NGO');
    expect(mail.text).toContain('Exempel kommun');
    const link = /https?:\/\/\S+#\/agreements\/[0-9a-f-]{36}/.exec(mail.text)![0];
    expect(link.startsWith(server.url)).toBe(true);
    const agreementId = link.split('/').pop()!;
    expect(agreementId).toBe(p.agreementId);
    // The link opens the agreement for the person it was sent to, and the app's page is served there.
    expect((await api.call('GET', `/api/agreements/${agreementId}`, p.kommun)).status).toBe(200);
    // Nobody else got one (the approver's own party is not asked).
    expect(smtp.mails.flatMap((m) => m.to)).toEqual([kommunEmail]);
  });

  it('the last approval locks; the signing-ready PDF and DOCX print the approvers with their titles, not the free text', async () => {
    const { currentHash } = await state();
    const r = await api.call<{ lockedAs: { number: number } | null }>('POST', path('/approvals'), p.kommun, { hash: currentHash });
    expect(r.status).toBe(201);
    expect(r.json.lockedAs).toMatchObject({ number: 1 });

    const pdfRes = await fetch(server.url + path('/export?format=pdf&mode=signing'), { method: 'POST', headers: { cookie: p.ngo.cookie, origin: server.url } });
    expect(pdfRes.status).toBe(200);
    const text = pdfText(Buffer.from(await pdfRes.arrayBuffer()));
    const signing = text.slice(text.lastIndexOf('Ort och datum') - 400);
    for (const s of ['Nora NGO', 'Verksamhetschef', 'Kalle Kommun', 'Förvaltningsdirektör']) expect(signing).toContain(s);
    expect(text).not.toContain('Lena Berg');
    expect(text).not.toContain('Karin Ek');

    const docxRes = await fetch(server.url + path('/export?format=docx&mode=signing'), { method: 'POST', headers: { cookie: p.kommun.cookie, origin: server.url } });
    expect(docxRes.status).toBe(200);
    const xml = readZip(new Uint8Array(await docxRes.arrayBuffer())).get('word/document.xml')!;
    for (const s of ['Nora NGO', 'Verksamhetschef', 'Kalle Kommun', 'Förvaltningsdirektör']) expect(xml).toContain(s);
    expect(xml).not.toContain('Lena Berg');
  });
});
