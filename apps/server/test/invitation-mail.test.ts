/**
 * Invitation e-mail end to end: with SMTP_URL the invitation is mailed (Swedish, then English) to a
 * real SMTP server in the test process, and the link in the message works: following it with the HTTP
 * API previews and accepts the invitation. Without SMTP the response has no `mailedTo`, nothing is
 * queued, and /api/config says mail is off (the web shows the link to copy).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailQueue } from '../src/db/schema/index.ts';
import { client, type Session } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { startTestSmtpServer, type TestSmtpServer } from './helpers/smtp.ts';

const setUps = new Map<TestServer, ReturnType<typeof createSetUp>>();
/** One inviter, organisation and agreement per server (an organisation number is registered once). */
function setUp(server: TestServer) {
  if (!setUps.has(server)) setUps.set(server, createSetUp(server));
  return setUps.get(server)!;
}
async function createSetUp(server: TestServer) {
  const api = client(server.url);
  const ngo = await api.register('Nora <NGO>');
  const ngoOrg = await api.expectOk<{ id: string }>('POST', '/api/organisations', ngo, { name: 'Föreningen Läxhjälpen', kind: 'ideburen', orgNumber: '802002-4280' });
  const agreement = await api.expectOk<{ id: string }>('POST', '/api/agreements', ngo, { title: 'IOP om läxhjälp', organisationId: ngoOrg.id });
  return { api, ngo, agreementId: agreement.id };
}

describe.each(drivers)('invitation e-mail (%s)', (driver) => {
  describe('without SMTP', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServerOn(driver);
    }, 60_000);
    afterAll(async () => server?.stop());

    it('says mail is off, mails nothing and still returns the link', async () => {
      const { api, ngo, agreementId } = await setUp(server);
      expect(await api.expectOk('GET', '/api/config', null)).toEqual({ mail: false });
      const inv = await api.expectOk<{ url: string; mailedTo: string | null }>('POST', `/api/agreements/${agreementId}/invitations`, ngo, { role: 'editor', newParty: true, email: 'kalle@exempel.se' });
      expect(inv.mailedTo).toBeNull();
      expect(inv.url).toContain('/#/invitations/');
      const [n] = await server.db.select({ n: sql<number>`count(*)::int` }).from(mailQueue);
      expect(n!.n).toBe(0);
    });
  });

  describe('with SMTP_URL', () => {
    let server: TestServer;
    let smtp: TestSmtpServer;
    beforeAll(async () => {
      smtp = await startTestSmtpServer();
      server = await startServerOn(driver, { smtpUrl: smtp.url, mailFrom: 'Överens <noreply@overens.test>', outboxPollMs: 50 });
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      await smtp?.close();
    });

    it('mails the invitation; its link previews and accepts it', async () => {
      const { api, ngo, agreementId } = await setUp(server);
      expect(await api.expectOk('GET', '/api/config', null)).toEqual({ mail: true });
      const inv = await api.expectOk<{ url: string; mailedTo: string | null }>('POST', `/api/agreements/${agreementId}/invitations`, ngo, {
        role: 'editor',
        newParty: true,
        signatory: true,
        email: 'kalle.kommun@exempel.se',
      });
      expect(inv.mailedTo).toBe('kalle.kommun@exempel.se');

      const mail = await smtp.waitFor((m) => m.to.includes('kalle.kommun@exempel.se'));
      expect(mail.from).toBe('noreply@overens.test');
      expect(mail.subject).toContain('Inbjudan till överenskommelsen ”IOP om läxhjälp”');
      expect(mail.text).toContain('Nora <NGO> (Föreningen Läxhjälpen) bjuder in dig att redigera överenskommelsen ”IOP om läxhjälp”');
      expect(mail.text.indexOf('invites you to edit')).toBeGreaterThan(mail.text.indexOf('bjuder in dig'));
      expect(mail.html).toContain('Nora &lt;NGO&gt;');
      const link = /https?:\/\/\S+\/#\/invitations\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
      expect(link).toBe(inv.url);

      // Follow the link with the HTTP API, as the invited person's browser would.
      const token = decodeURIComponent(link!.split('/#/invitations/')[1]!);
      const kalle: Session = await api.register('Kalle Kommun');
      const preview = await api.expectOk<{ agreementTitle: string; signatory: boolean; invitedBy: string }>('GET', `/api/invitations/${token}`, null);
      expect(preview).toMatchObject({ agreementTitle: 'IOP om läxhjälp', signatory: true, invitedBy: 'Nora <NGO>' });
      const org = await api.expectOk<{ id: string }>('POST', '/api/organisations', kalle, { name: 'Exempel kommun', kind: 'kommun', orgNumber: '212000-0142', municipalityCode: '0180' });
      const accepted = await api.expectOk<{ agreementId: string; signatory: boolean }>('POST', `/api/invitations/${token}/accept`, kalle, { organisationId: org.id });
      expect(accepted).toMatchObject({ agreementId, signatory: true });
      const members = await api.expectOk<Array<{ userId: string }> | { members: Array<{ userId: string }> }>('GET', `/api/agreements/${agreementId}/members`, ngo);
      const list = Array.isArray(members) ? members : members.members;
      expect(list.map((m) => m.userId)).toContain(kalle.userId);
    });

    it('refuses a malformed address with a field error and mails nothing', async () => {
      const { api, ngo, agreementId } = await setUp(server);
      const r = await api.call<{ code: string; errors: Array<{ field: string }> }>('POST', `/api/agreements/${agreementId}/invitations`, ngo, { role: 'viewer', email: 'inte en adress' });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json)).toContain('email');
    });
  });
});
