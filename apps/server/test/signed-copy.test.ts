/**
 * The signed copy comes back (issue 14 item 6), over HTTP against a real server and database: the
 * signing-ready PDF from our own export, uploaded after "signing", is stored with the final version,
 * matched by its hash text, audited with its own SHA-256, announced on the other party's event stream,
 * downloadable by the other party byte for byte and refused for non-members; an unrelated PDF is kept
 * as "not matched"; a non-PDF and a damaged PDF are refused with a code; a draft has no signed copy.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, openEventStream, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { agreeAllSections, fillComplete } from './helpers/complete-agreement.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

/** A small valid PDF with one line of text (no hash in it). */
function unrelatedPdf(text: string): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null, // content stream
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 14 Tf 72 760 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

interface SignedCopy {
  id: string;
  match: 'matched' | 'not-matched';
  sha256: string;
  sizeBytes: number;
  pages: number;
  fileName: string;
  finalVersionNumber: number;
  uploadedBy: { id: string; name: string };
}

describe.each(drivers)('signed copy (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  let signingPdf: Uint8Array;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
  const upload = async (who: Session, bytes: Uint8Array, name = 'undertecknad.pdf', type = 'application/pdf') => {
    const form = new FormData();
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
    const res = await fetch(server.url + path('/signed-copies'), { method: 'POST', headers: { cookie: who.cookie, origin: server.url }, body: form });
    return { status: res.status, json: (await res.json()) as SignedCopy & { code?: string; messages?: { sv: string; en: string } } };
  };

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

  it('refuses a signed copy while the agreement is a draft', async () => {
    const r = await upload(p.ngo, unrelatedPdf('Hej'));
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('agreement-not-locked');
  });

  it('stores the signing-ready PDF, matched by hash text, audited, announced and downloadable by the other party', async () => {
    await server.deps.sync.withDocument(p.agreementId, (doc) => {
      fillComplete(doc, p.ngoOrgId, p.kommunOrgId);
      agreeAllSections(doc, [
        { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
        { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
      ]);
    });
    const { currentHash } = await api.expectOk<{ currentHash: string }>('GET', path('/approvals'), p.ngo);
    await api.expectOk('POST', path('/approvals'), p.ngo, { hash: currentHash });
    const locked = await api.expectOk<{ lockedAs: { id: string; number: number } | null }>('POST', path('/approvals'), p.kommun, { hash: currentHash });
    expect(locked.lockedAs).toMatchObject({ number: 1 });
    const res = await fetch(server.url + path(`/export?format=pdf&version=${locked.lockedAs!.id}`), { method: 'POST', headers: { cookie: p.ngo.cookie, origin: server.url } });
    expect(res.status).toBe(200);
    signingPdf = new Uint8Array(await res.arrayBuffer());

    const stream = await openEventStream(server.url, p.agreementId, p.kommun);
    try {
      const r = await upload(p.ngo, signingPdf, 'IOP läxhjälp – undertecknad.pdf');
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      const sha = createHash('sha256').update(signingPdf).digest('hex');
      expect(r.json).toMatchObject({ match: 'matched', sha256: sha, sizeBytes: signingPdf.byteLength, finalVersionNumber: 1, fileName: 'IOP läxhjälp – undertecknad.pdf', uploadedBy: { id: p.ngo.userId, name: 'Nora NGO' } });
      expect(r.json.pages).toBeGreaterThan(1);

      const event = await stream.waitFor((e) => e.event === 'signed-copy.uploaded');
      expect(event.data).toMatchObject({ signedCopy: { id: r.json.id, match: 'matched', sha256: sha } });

      const audit = await api.expectOk<unknown>('GET', path('/audit'), p.kommun);
      const entries = (Array.isArray(audit) ? audit : (audit as { entries: unknown[] }).entries) as Array<{ type: string; data: Record<string, unknown>; actor?: unknown }>;
      const entry = entries.find((e) => e.type === 'signed-copy.uploaded');
      expect(entry?.data).toMatchObject({ sha256: sha, match: 'matched', versionHash: currentHash, finalVersionNumber: 1 });

      const list = await api.expectOk<{ signedCopies: SignedCopy[] }>('GET', path('/signed-copies'), p.kommun);
      expect(list.signedCopies.map((c) => c.id)).toEqual([r.json.id]);
      const dl = await fetch(server.url + path(`/signed-copies/${r.json.id}/file`), { headers: { cookie: p.kommun.cookie } });
      expect(dl.status).toBe(200);
      expect(dl.headers.get('content-type')).toBe('application/pdf');
      expect(dl.headers.get('content-disposition')).toContain("filename*=UTF-8''IOP%20l%C3%A4xhj%C3%A4lp%20%E2%80%93%20undertecknad.pdf");
      expect(Buffer.from(await dl.arrayBuffer()).equals(Buffer.from(signingPdf))).toBe(true);

      // A non-member gets nothing: not the list, not the file, no upload.
      const stranger = await api.register('Sara Utomstående');
      expect((await api.call('GET', path('/signed-copies'), stranger)).status).toBe(404);
      expect((await fetch(server.url + path(`/signed-copies/${r.json.id}/file`), { headers: { cookie: stranger.cookie } })).status).toBe(404);
      expect((await upload(stranger, signingPdf)).status).toBe(404);
      // A viewer without the signatory flag may read but not upload.
      expect((await upload(p.ngoViewer, signingPdf)).status).toBe(403);
    } finally {
      stream.close();
    }
  });

  it('keeps an unrelated PDF as "not matched"', async () => {
    const r = await upload(p.kommun, unrelatedPdf('Ett annat avtal utan kontrollsumma'), 'skannad.pdf');
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json).toMatchObject({ match: 'not-matched', pages: 1, uploadedBy: { name: 'Kalle Kommun' } });
    const list = await api.expectOk<{ signedCopies: SignedCopy[] }>('GET', path('/signed-copies'), p.ngo);
    expect(list.signedCopies.map((c) => c.match)).toEqual(['not-matched', 'matched']);
  });

  it('refuses a non-PDF and a damaged PDF with a code and a message in Swedish and English', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(100).fill(0)]);
    const r1 = await upload(p.ngo, png, 'avtal.pdf');
    expect(r1.status).toBe(415);
    expect(r1.json.code).toBe('not-a-pdf');
    expect(r1.json.messages?.sv).toContain('inte en PDF');
    const damaged = new TextEncoder().encode('%PDF-1.7\n' + 'x'.repeat(5000));
    const r2 = await upload(p.ngo, damaged, 'trasig.pdf');
    expect(r2.status).toBe(422);
    expect(r2.json.code).toBe('pdf-unreadable');
    const list = await api.expectOk<{ signedCopies: SignedCopy[] }>('GET', path('/signed-copies'), p.ngo);
    expect(list.signedCopies).toHaveLength(2);
  });
});
