/**
 * The export route produces the variant that matches the version's state: once both parties have
 * approved and the agreement is locked, its final version comes as a signing-ready DOCX (and PDF) with
 * no draft mark anywhere — document body, headers, footers, core properties, file name — while an
 * explicitly requested draft says so in its file name too. The party contacts entered under "Parter"
 * are in both formats. Real server, real database, real renderers; the DOCX is unzipped and read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addContact,
  addContribution,
  addGoal,
  addSignatory,
  CHECKLIST_KEYS,
  completeFixtureSnapshot,
  FIXTURE_KOMMUN_ID,
  FIXTURE_NGO_ID,
  listSections,
  setChecklistAnswer,
  setPeriod,
  setSectionBody,
} from '@overens/model';
import type * as Y from 'yjs';
import { agreeAllSections } from './helpers/complete-agreement.ts';
import { client, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { readZip } from './helpers/zip.ts';

const CONTACTS = {
  // Not named in the fixture's section texts: they can only come from the parties' contact fields.
  ngo: { name: 'Linnea Bergström', title: 'Verksamhetsutvecklare', email: 'linnea.bergstrom@laxhjalp.example', phone: '070-987 65 43' },
  kommun: { name: 'Oskar Lindahl', title: 'Samordnare för civilsamhället', email: 'oskar.lindahl@exempel.example', phone: '08-555 123 45' },
};

/** The model's complete fixture on the real parties, with one contact person per party. */
function fill(doc: Y.Doc, ngoId: string, kommunId: string): void {
  const fx = completeFixtureSnapshot();
  const mapParty = (id: string | null) => (id === FIXTURE_NGO_ID ? ngoId : id === FIXTURE_KOMMUN_ID ? kommunId : id);
  for (const s of listSections(doc)) {
    const body = fx.sections.find((x) => x.key === s.key)?.body;
    if (body) setSectionBody(doc, s.id, body);
  }
  addContact(doc, ngoId, CONTACTS.ngo);
  addContact(doc, kommunId, CONTACTS.kommun);
  for (const fp of fx.parties) for (const s of fp.signatories) addSignatory(doc, mapParty(fp.id)!, { name: s.name, title: s.title });
  setPeriod(doc, fx.period);
  for (const g of fx.goals) {
    const { id: _id, acceptedBy: _a, ...rest } = g;
    addGoal(doc, { ...rest, responsiblePartyId: mapParty(g.responsiblePartyId), acceptedBy: { [ngoId]: true, [kommunId]: true } });
  }
  for (const c of fx.contributions) {
    const { id: _id, ...rest } = c;
    addContribution(doc, { ...rest, partyId: mapParty(c.partyId) });
  }
  for (const k of CHECKLIST_KEYS) setChecklistAnswer(doc, k, fx.checklist[k]);
}

/** Text of a Word XML part: the w:t runs, joined. */
const wordText = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'overens-export-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(drivers)('export variant of a locked final version (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  let finalId: string;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const get = (query: string, who: Session = p.kommun) => fetch(server.url + path(`/export?${query}`), { method: 'POST', headers: { cookie: who.cookie, origin: server.url } });
  const fileName = (res: Response) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '');

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpTwoParties(server.url);
    await api.expectOk('PATCH', path(`/members/${p.ngo.userId}`), p.ngo, { signatory: true });
    await api.expectOk('PATCH', path(`/members/${p.kommun.userId}`), p.kommun, { signatory: true });
    await server.deps.sync.withDocument(p.agreementId, (doc) => {
      fill(doc, p.ngoOrgId, p.kommunOrgId);
      // Approving needs every section agreed by every party.
      agreeAllSections(doc, [
        { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
        { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
      ]);
    });
    const { currentHash } = await api.expectOk<{ currentHash: string }>('GET', path('/approvals'), p.ngo);
    // The hash rides along for an approval API that asks for the hash the approver saw.
    await api.expectOk('POST', path('/approvals'), p.ngo, { hash: currentHash });
    const locked = await api.expectOk<{ lockedAs: { id: string; number: number } | null }>('POST', path('/approvals'), p.kommun, { hash: currentHash });
    expect(locked.lockedAs).toMatchObject({ number: 1 });
    finalId = locked.lockedAs!.id;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('gives the locked final version as a signing-ready DOCX with no UTKAST in any part or in the file name', async () => {
    for (const query of [`format=docx&version=${finalId}`, 'format=docx', `format=docx&version=${finalId}&mode=signing`]) {
      const res = await get(query);
      expect(res.status, query).toBe(200);
      expect(res.headers.get('content-type')).toContain('wordprocessingml');
      expect(fileName(res), query).toMatch(/^iop-om-laxhjalp-slutlig-version-1\.docx$/);
      expect(res.headers.get('content-disposition')).not.toMatch(/utkast/i);
      const parts = readZip(new Uint8Array(await res.arrayBuffer()));
      const names = [...parts.keys()];
      expect(names).toContain('word/document.xml');
      expect(names.some((n) => /^word\/header\d*\.xml$/.test(n))).toBe(true);
      expect(names.some((n) => /^word\/footer\d*\.xml$/.test(n))).toBe(true);
      for (const [name, xml] of parts) {
        if (!name.endsWith('.xml') && !name.endsWith('.rels')) continue;
        expect(xml, `${query}: ${name}`).not.toMatch(/utkast/i);
        expect(xml, `${query}: ${name}`).not.toContain('inte för underskrift');
      }
      const body = wordText(parts.get('word/document.xml')!);
      expect(body).toContain('Slutlig version 1 – för underskrift');
      expect(wordText([...parts].filter(([n]) => n.startsWith('word/footer')).map(([, x]) => x).join(''))).toContain('version 1 · SHA-256');
    }
  });

  it('names an explicitly requested draft of the final version as a draft, in the file and in the file name', async () => {
    const res = await get(`format=docx&version=${finalId}&mode=draft`);
    expect(res.status).toBe(200);
    expect(fileName(res)).toBe('iop-om-laxhjalp-slutlig-version-1-utkast.docx');
    const parts = readZip(new Uint8Array(await res.arrayBuffer()));
    const headers = [...parts].filter(([n]) => n.startsWith('word/header')).map(([, x]) => wordText(x)).join(' ');
    expect(headers).toContain('UTKAST');
  });

  it('puts every party’s contact person (name, role, e-mail, phone) in the signing DOCX and PDF', async () => {
    const docx = readZip(new Uint8Array(await (await get(`format=docx&version=${finalId}`)).arrayBuffer()));
    const body = wordText(docx.get('word/document.xml')!);
    const pdfRes = await get(`format=pdf&version=${finalId}`);
    expect(pdfRes.status).toBe(200);
    expect(fileName(pdfRes)).toBe('iop-om-laxhjalp-slutlig-version-1.pdf');
    const text = pdfText(Buffer.from(await pdfRes.arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).not.toMatch(/utkast/i);
    for (const c of [CONTACTS.ngo, CONTACTS.kommun]) {
      for (const field of [c.name, c.title, c.email, c.phone]) {
        expect(body, field).toContain(field);
        expect(text, field).toContain(field);
      }
    }
  });
});
