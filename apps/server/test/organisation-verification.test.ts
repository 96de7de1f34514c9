/**
 * Organisations with an owner and a verification state (issue 14 item 1), through the real HTTP API on a
 * real database with a real SMTP server in the test process:
 * - a second registration of 212000-1124 is refused (409 organisation-exists, "finns redan — begär att gå
 *   med") and becomes a join request that the administrator, told by mail, accepts; an organisation keeps
 *   one administrator;
 * - the admin routes are for operators only (OVERENS_ADMIN_EMAILS with a verified address; 403 otherwise);
 * - verifying a domain lets a user with a verified address there in without a request;
 * - a signing-ready export naming an unverified kommun is refused with what to do, allowed once the
 *   operator verified it or with OVERENS_REQUIRE_VERIFIED_PUBLIC_PARTIES off; drafts say "ej verifierad".
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox, type MailSummary as Received } from './helpers/smtp.ts';
import { createMailSender, type MailSender } from '../src/mail/index.ts';
import { client, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { agreeAllSections, fillComplete } from './helpers/complete-agreement.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { startTestServer } from './support/index.ts';


function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'overens-verified-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MALMO = { name: 'Malmö stad', kind: 'kommun', orgNumber: '212000-1124', municipalityCode: '1280' };
const rand = () => Math.random().toString(36).slice(2, 8);

describe.each(drivers)('organisations with an owner and a verification state (%s)', (driver) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startMailbox>>;
  let sender: MailSender;
  let api: ReturnType<typeof client>;
  const operatorEmail = `operator-${rand()}@overens.example`;
  let operator: Session;
  let malmoAdmin: Session & { email: string };
  let malmoId = '';

  async function registerAs(name: string, email: string): Promise<Session & { email: string }> {
    const res = await fetch(server.url + '/api/auth/register', {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'ett långt lösenord 123', name }),
    });
    expect(res.status).toBe(201);
    const user = (await res.json()) as { id: string };
    return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, userId: user.id, name, email };
  }

  const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email.toLowerCase()));
  async function mailTo(email: string, n = 1): Promise<Received> {
    await expect.poll(() => mailsTo(email).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
    return mailsTo(email)[n - 1]!;
  }
  const linkIn = (mail: Received, pattern: RegExp) => {
    const m = pattern.exec(mail.text);
    expect(m, mail.text).toBeTruthy();
    return m![0];
  };

  /** Sends the verification mail and confirms its link, as the user clicking it would (the page POSTs the token). */
  async function verifyEmail(s: Session & { email: string }) {
    const before = mailsTo(s.email).length;
    expect((await api.call('POST', '/api/email-verification', s)).status).toBe(202);
    const mail = await mailTo(s.email, before + 1);
    const link = linkIn(mail, /https?:\/\/\S+#\/verify-email\/[A-Za-z0-9_-]+/);
    expect(link.startsWith(server.url)).toBe(true);
    const token = link.split('/').pop()!;
    await api.expectOk('POST', '/api/email-verification/confirm', null, { token });
    expect((await api.expectOk<{ verified: boolean }>('GET', '/api/email-verification', s)).verified).toBe(true);
    // The link is single use.
    expect((await api.call('POST', '/api/email-verification/confirm', null, { token })).status).toBe(410);
  }

  beforeAll(async () => {
    server = await startServerOn(driver, { adminEmails: [operatorEmail], requireVerifiedPublicParties: true });
    smtp = await startMailbox();
    sender = createMailSender({ db: server.deps.db, logger: server.deps.logger, smtpUrl: smtp.url, from: 'Överens <noreply@exempel.se>', pollMs: 50, backoffMs: 50 });
    sender.start();
    api = client(server.url);
    operator = await registerAs('Olga Operatör', operatorEmail);
    malmoAdmin = await registerAs('Maja Malmö', `maja-${rand()}@exempel.se`);
  }, 120_000);
  afterAll(async () => {
    await sender?.close();
    await smtp?.close();
    await server?.stop();
  });

  it('a second registration of 212000-1124 is refused and becomes a join request that the administrator accepts', async () => {
    const first = await api.call<{ id: string; role: string; verified: boolean }>('POST', '/api/organisations', malmoAdmin, MALMO);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ role: 'admin', verified: false });
    malmoId = first.json.id;

    const ngo = await registerAs('Nils NGO', `nils-${rand()}@exempel.se`);
    const second = await api.call<{ code: string; messages: { sv: string }; organisation: { id: string }; errors: Array<{ field: string }> }>('POST', '/api/organisations', ngo, {
      ...MALMO,
      name: 'Malmö stad',
      orgNumber: '2120001124',
    });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toMatch(/problem\+json/);
    expect(second.json.code).toBe('organisation-exists');
    expect(second.json.messages.sv).toContain('finns redan — begär att gå med');
    expect(second.json.errors[0]!.field).toBe('orgNumber');
    expect(second.json.organisation.id).toBe(malmoId);
    // Not a member: the organisation is not among theirs, and its members are not shown to them.
    expect((await api.expectOk<Array<{ id: string }>>('GET', '/api/organisations', ngo)).map((o) => o.id)).not.toContain(malmoId);
    expect((await api.call('GET', `/api/organisations/${malmoId}`, ngo)).status).toBe(404);

    const join = await api.call<{ status: string; requestId: string }>('POST', `/api/organisations/${malmoId}/join-requests`, ngo);
    expect(join.status).toBe(201);
    expect(join.json.status).toBe('pending');
    // Asking twice is one request.
    expect((await api.expectOk<{ requestId: string }>('POST', `/api/organisations/${malmoId}/join-requests`, ngo)).requestId).toBe(join.json.requestId);
    expect(await api.expectOk('GET', '/api/organisations/join-requests', ngo)).toMatchObject([{ organisationId: malmoId, name: 'Malmö stad' }]);

    // The administrator is told by mail, with a link to the organisations page.
    const asked = await mailTo(malmoAdmin.email);
    expect(asked.text).toContain('Nils NGO');
    expect(asked.text).toContain('Malmö stad');
    const link = linkIn(asked, /https?:\/\/\S+#\/organisations/);
    expect((await fetch(link.split('#')[0]!)).status).toBeLessThan(500);
    expect(mailsTo(malmoAdmin.email)).toHaveLength(1);

    const detail = await api.expectOk<{ requests: Array<{ id: string; name: string }>; members: Array<{ userId: string; role: string }> }>('GET', `/api/organisations/${malmoId}`, malmoAdmin);
    expect(detail.requests).toMatchObject([{ id: join.json.requestId, name: 'Nils NGO' }]);
    expect((await api.call('POST', `/api/organisations/${malmoId}/join-requests/${join.json.requestId}/decision`, ngo, { accept: true })).status).toBe(404);

    const decided = await api.call('POST', `/api/organisations/${malmoId}/join-requests/${join.json.requestId}/decision`, malmoAdmin, { accept: true });
    expect(decided.status).toBe(200);
    expect((await api.call<{ code: string }>('POST', `/api/organisations/${malmoId}/join-requests/${join.json.requestId}/decision`, malmoAdmin, { accept: false })).json.code).toBe('join-request-decided');
    expect((await api.expectOk<Array<{ id: string; role: string }>>('GET', '/api/organisations', ngo)).find((o) => o.id === malmoId)).toMatchObject({ role: 'member' });
    const told = await mailTo(ngo.email);
    expect(told.text).toContain('Malmö stad');

    // A member cannot decide or manage; the organisation keeps at least one administrator.
    expect((await api.call('PATCH', `/api/organisations/${malmoId}/members/${malmoAdmin.userId}`, ngo, { role: 'member' })).status).toBe(403);
    const last = await api.call<{ code: string }>('PATCH', `/api/organisations/${malmoId}/members/${malmoAdmin.userId}`, malmoAdmin, { role: 'member' });
    expect(last.status).toBe(409);
    expect(last.json.code).toBe('last-admin');
    expect((await api.call<{ code: string }>('DELETE', `/api/organisations/${malmoId}/members/${malmoAdmin.userId}`, malmoAdmin)).json.code).toBe('last-admin');
  });

  it('the admin routes are for operators only (403 for everybody else)', async () => {
    expect(await api.expectOk('GET', '/api/admin/status', malmoAdmin)).toEqual({ operator: false });
    for (const [method, path, body] of [
      ['GET', '/api/admin/organisations', undefined],
      ['PUT', `/api/admin/organisations/${malmoId}/verification`, { verified: true }],
      ['PUT', `/api/admin/organisations/${malmoId}/domains/malmo.se/verification`, { verified: true }],
    ] as const) {
      const r = await api.call<{ code: string }>(method, path, malmoAdmin, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.code).toBe('operator-only');
      expect((await api.call(method, path, null, body)).status).toBe(401);
    }
    // A listed address counts only once it is verified (mail is configured here).
    expect(await api.expectOk('GET', '/api/admin/status', operator)).toEqual({ operator: false });
    expect((await api.call('GET', '/api/admin/organisations', operator)).status).toBe(403);
    await verifyEmail({ ...operator, email: operatorEmail });
    expect(await api.expectOk('GET', '/api/admin/status', operator)).toEqual({ operator: true });
    const all = await api.expectOk<Array<{ id: string; orgNumber: string; kind: string; verified: boolean; members: Array<{ name: string; role: string }> }>>('GET', '/api/admin/organisations', operator);
    expect(all.find((o) => o.id === malmoId)).toMatchObject({
      orgNumber: '212000-1124',
      kind: 'kommun',
      verified: false,
      members: [
        { name: 'Maja Malmö', role: 'admin' },
        { name: 'Nils NGO', role: 'member' },
      ],
    });
  });

  it('verifying a domain lets a user with a verified address at it in without a request', async () => {
    expect((await api.call('POST', `/api/organisations/${malmoId}/domains`, malmoAdmin, { domain: 'not a domain' })).status).toBe(400);
    await api.expectOk('POST', `/api/organisations/${malmoId}/domains`, malmoAdmin, { domain: '@Malmo.se' });
    const listed = await api.expectOk<Array<{ id: string; domains: unknown }>>('GET', '/api/organisations', malmoAdmin);
    expect(listed.find((o) => o.id === malmoId)!.domains).toEqual([{ domain: 'malmo.se', verified: false }]);

    const sara = await registerAs('Sara Stadskontoret', `sara-${rand()}@malmo.se`);
    await verifyEmail(sara);
    // Domain not verified yet: an ordinary request.
    expect((await api.expectOk<{ status: string }>('POST', `/api/organisations/${malmoId}/join-requests`, sara)).status).toBe('pending');

    const ok = await api.call('PUT', `/api/admin/organisations/${malmoId}/domains/malmo.se/verification`, operator, { verified: true });
    expect(ok.status).toBe(204);
    expect((await api.expectOk<{ status: string }>('POST', `/api/organisations/${malmoId}/join-requests`, sara)).status).toBe('member');
    expect((await api.expectOk<Array<{ id: string; role: string }>>('GET', '/api/organisations', sara)).find((o) => o.id === malmoId)).toMatchObject({ role: 'member' });
    // Her open request went with it.
    const detail = await api.expectOk<{ requests: unknown[] }>('GET', `/api/organisations/${malmoId}`, malmoAdmin);
    expect(detail.requests).toEqual([]);

    // An address at the domain that is not verified is not enough.
    const unverified = await registerAs('Ulf Overifierad', `ulf-${rand()}@malmo.se`);
    expect((await api.expectOk<{ status: string }>('POST', `/api/organisations/${malmoId}/join-requests`, unverified)).status).toBe('pending');
  });

  describe('the signing gate', () => {
    let p: TwoParties;
    const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;
    const exportAs = (base: string, query: string, who: Session = p.kommun) => fetch(base + path(`/export?${query}`), { method: 'POST', headers: { cookie: who.cookie, origin: base } });

    beforeAll(async () => {
      p = await setUpTwoParties(server.url);
      await api.expectOk('PATCH', path(`/members/${p.ngo.userId}`), p.ngo, { signatory: true });
      await api.expectOk('PATCH', path(`/members/${p.kommun.userId}`), p.kommun, { signatory: true });
      await server.deps.sync.withDocument(p.agreementId, (doc) => {
        fillComplete(doc, p.ngoOrgId, p.kommunOrgId);
        agreeAllSections(doc, [
          { partyId: p.ngoOrgId, userId: p.ngo.userId, userName: p.ngo.name },
          { partyId: p.kommunOrgId, userId: p.kommun.userId, userName: p.kommun.name },
        ]);
      });
      const { currentHash } = await api.expectOk<{ currentHash: string }>('GET', path('/approvals'), p.ngo);
      await api.expectOk('POST', path('/approvals'), p.ngo, { hash: currentHash });
      const locked = await api.expectOk<{ lockedAs: { number: number } | null }>('POST', path('/approvals'), p.kommun, { hash: currentHash });
      expect(locked.lockedAs).toMatchObject({ number: 1 });
    }, 120_000);

    it('parties carry verified in the API', async () => {
      const detail = await api.expectOk<{ parties: Array<{ id: string; verified: boolean }> }>('GET', path(''), p.ngo);
      expect(detail.parties.map((x) => x.verified)).toEqual([false, false]);
      const list = await api.expectOk<Array<{ id: string; parties: Array<{ verified: boolean }> }>>('GET', '/api/agreements', p.ngo);
      expect(list.find((a) => a.id === p.agreementId)!.parties.map((x) => x.verified)).toEqual([false, false]);
    });

    it('a signing-ready export naming an unverified kommun is refused, saying what to do and who verifies', async () => {
      for (const format of ['pdf', 'docx']) {
        const res = await exportAs(server.url, `format=${format}`);
        expect(res.status).toBe(409);
        expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        const problem = (await res.json()) as { code: string; detail: string; messages: { sv: string }; parties: Array<{ id: string }>; operators: string[] };
        expect(problem.code).toBe('unverified-public-party');
        expect(problem.detail).toContain('Exempel kommun');
        expect(problem.detail).toContain('verif');
        expect(problem.detail).toContain(operatorEmail);
        expect(problem.messages.sv).toContain('Exempel kommun är inte verifierad');
        expect(problem.parties.map((x) => x.id)).toEqual([p.kommunOrgId]);
        expect(problem.operators).toEqual([operatorEmail]);
      }
      // A draft is still there, and says who is not verified.
      const draft = await exportAs(server.url, 'format=pdf&mode=draft');
      expect(draft.status).toBe(200);
      const text = pdfText(Buffer.from(await draft.arrayBuffer()));
      expect(text).toMatch(/Exempel kommun[\s\S]{0,80}ej verifierad/);
    });

    it('allowed once the operator verified the kommun', async () => {
      await api.expectOk('PUT', `/api/admin/organisations/${p.kommunOrgId}/verification`, operator, { verified: true });
      const res = await exportAs(server.url, 'format=pdf');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-export-mode')).toBe('signing');
      const text = pdfText(Buffer.from(await res.arrayBuffer()));
      // The idéburen party is still unverified (it may sign), the kommun no longer is.
      expect(text).toMatch(/Föreningen Läxhjälpen[\s\S]{0,80}ej verifierad/);
      expect(text).not.toMatch(/Exempel kommun\s*\n?\s*Kommun · organisationsnummer [0-9-]+ · ej verifierad/);
      const detail = await api.expectOk<{ parties: Array<{ id: string; verified: boolean }> }>('GET', path(''), p.ngo);
      expect(detail.parties.find((x) => x.id === p.kommunOrgId)!.verified).toBe(true);
      await api.expectOk('PUT', `/api/admin/organisations/${p.kommunOrgId}/verification`, operator, { verified: false });
      expect((await exportAs(server.url, 'format=pdf')).status).toBe(409);
    });

    it('allowed with OVERENS_REQUIRE_VERIFIED_PUBLIC_PARTIES=0', async () => {
      const small = await startTestServer({ database: server.database, requireVerifiedPublicParties: false });
      try {
        const res = await exportAs(small.url, 'format=docx');
        expect(res.status).toBe(200);
        expect(res.headers.get('x-export-mode')).toBe('signing');
      } finally {
        await small.close();
      }
    });
  });
});
