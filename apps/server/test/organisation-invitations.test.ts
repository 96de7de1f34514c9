/**
 * An organisation's administrator invites people by e-mail (issue 14 item 1, "or invites them"), through
 * the real HTTP API on a real database with a real SMTP server in the test process:
 * - without mail the link comes back to copy; with mail it arrives; a new user registers, opens it (logged
 *   out: which organisation, who invited) and joins at once with the invited role;
 * - a non-admin cannot invite (403) or list; a member of the organisation already gets 409 already-member;
 * - a used, withdrawn or expired link is refused (410 organisation-invitation-invalid).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailbox, type MailSummary as Received } from './helpers/smtp.ts';
import { hashToken } from '../src/auth/tokens.ts';
import { organisationInvitations } from '../src/db/schema/index.ts';
import { createMailSender, type MailSender } from '../src/mail/index.ts';
import { client, type Session } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';


const rand = () => Math.random().toString(36).slice(2, 8);
const LINK = /https?:\/\/\S+#\/organisation-invitations\/([A-Za-z0-9_-]+)/;

describe.each(drivers)('an administrator invites people into the organisation by e-mail (%s)', (driver) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startMailbox>>;
  let sender: MailSender | undefined;
  let api: ReturnType<typeof client>;
  let admin: Session & { email: string };
  let orgId = '';

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
  async function mailTo(email: string): Promise<Received> {
    await expect.poll(() => mailsTo(email).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    return mailsTo(email)[0]!;
  }
  const invite = (s: Session | null, email: string, role = 'member') =>
    api.call<{ id: string; link: string; mailedTo: string | null; code: string; role: string }>('POST', `/api/organisations/${orgId}/invitations`, s, { email, role });
  const tokenOf = (link: string) => LINK.exec(link)![1]!;

  beforeAll(async () => {
    server = await startServerOn(driver, {});
    smtp = await startMailbox();
    api = client(server.url);
    admin = await registerAs('Maja Administratör', `maja-${rand()}@exempel.se`);
    const org = await api.expectOk<{ id: string }>('POST', '/api/organisations', admin, { name: 'Föreningen Gemenskap', kind: 'ideburen', orgNumber: '802002-4280' });
    orgId = org.id;
  }, 120_000);
  afterAll(async () => {
    await sender?.close();
    await smtp?.close();
    await server?.stop();
  });

  it('without mail the link is returned to copy, and it works', async () => {
    const email = `utan-post-${rand()}@exempel.se`;
    const r = await invite(admin, email);
    expect(r.status).toBe(201);
    expect(r.json.mailedTo).toBeNull();
    expect(r.json.link.startsWith(server.url)).toBe(true);
    const preview = await api.call<{ organisationName: string; invitedBy: string }>('GET', `/api/organisation-invitations/${tokenOf(r.json.link)}`, null);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ organisationName: 'Föreningen Gemenskap', invitedBy: 'Maja Administratör' });
  });

  it('the admin invites, the mail arrives with a link, a new user registers, accepts and is a member', async () => {
    sender = createMailSender({ db: server.deps.db, logger: server.deps.logger, smtpUrl: smtp.url, from: 'Överens <noreply@exempel.se>', pollMs: 50, backoffMs: 50 });
    sender.start();
    const email = `Nya-${rand()}@Exempel.se`;
    const r = await invite(admin, email, 'admin');
    expect(r.status).toBe(201);
    expect(r.json.mailedTo).toBe(email.toLowerCase());

    const mail = await mailTo(email);
    expect(mail.subject).toContain('Föreningen Gemenskap');
    expect(mail.text).toContain('Maja Administratör');
    expect(mail.text).toContain('In English');
    const link = LINK.exec(mail.text)![0];
    expect(link.startsWith(server.url)).toBe(true);
    const token = tokenOf(link);

    // Logged out: the page can say which organisation and who invited; accepting needs a session.
    const preview = await api.expectOk<{ organisationId: string; organisationName: string; invitedBy: string; role: string; email: string }>('GET', `/api/organisation-invitations/${token}`, null);
    expect(preview).toMatchObject({ organisationId: orgId, organisationName: 'Föreningen Gemenskap', invitedBy: 'Maja Administratör', role: 'admin', email: email.toLowerCase() });
    expect((await api.call('POST', `/api/organisation-invitations/${token}/accept`, null)).status).toBe(401);

    // Listed for administrators while pending.
    const pending = await api.expectOk<Array<{ id: string; email: string; role: string; invitedBy: string }>>('GET', `/api/organisations/${orgId}/invitations`, admin);
    expect(pending).toContainEqual(expect.objectContaining({ id: r.json.id, email: email.toLowerCase(), role: 'admin', invitedBy: 'Maja Administratör' }));

    const newcomer = await registerAs('Nora Ny', email);
    const accepted = await api.call<{ organisationId: string; role: string }>('POST', `/api/organisation-invitations/${token}/accept`, newcomer);
    expect(accepted.status).toBe(200);
    expect(accepted.json).toEqual({ organisationId: orgId, role: 'admin' });
    expect((await api.expectOk<Array<{ id: string; role: string }>>('GET', '/api/organisations', newcomer)).find((o) => o.id === orgId)).toMatchObject({ role: 'admin' });
    const detail = await api.expectOk<{ members: Array<{ userId: string; role: string }> }>('GET', `/api/organisations/${orgId}`, admin);
    expect(detail.members).toContainEqual(expect.objectContaining({ userId: newcomer.userId, role: 'admin' }));

    // Single use: the link is gone, for anyone; and it is no longer pending.
    const other = await registerAs('Otto Annan', `otto-${rand()}@exempel.se`);
    const again = await api.call<{ code: string; messages: { sv: string } }>('POST', `/api/organisation-invitations/${token}/accept`, other);
    expect(again.status).toBe(410);
    expect(again.headers.get('content-type')).toMatch(/problem\+json/);
    expect(again.json.code).toBe('organisation-invitation-invalid');
    expect((await api.call('GET', `/api/organisation-invitations/${token}`, null)).status).toBe(410);
    expect((await api.expectOk<Array<{ id: string }>>('GET', `/api/organisations/${orgId}/invitations`, admin)).map((i) => i.id)).not.toContain(r.json.id);
  });

  it('a non-admin cannot invite or see invitations; a member already gets 409', async () => {
    const member = await registerAs('Mats Medlem', `mats-${rand()}@exempel.se`);
    const { link } = (await invite(admin, member.email)).json;
    expect((await api.call('POST', `/api/organisation-invitations/${tokenOf(link)}/accept`, member)).status).toBe(200);

    const forbidden = await invite(member, `x-${rand()}@exempel.se`);
    expect(forbidden.status).toBe(403);
    expect((await api.call('GET', `/api/organisations/${orgId}/invitations`, member)).status).toBe(403);
    const outsider = await registerAs('Ulla Utomstående', `ulla-${rand()}@exempel.se`);
    expect((await invite(outsider, `y-${rand()}@exempel.se`)).status).toBe(404);
    expect((await invite(null, `z-${rand()}@exempel.se`)).status).toBe(401);

    // An address of a member is refused at once; a member opening someone's link gets 409 and the link stays usable.
    const known = await invite(admin, member.email.toUpperCase());
    expect(known.status).toBe(409);
    expect(known.json.code).toBe('already-member');
    const fresh = await invite(admin, `fresh-${rand()}@exempel.se`);
    const asMember = await api.call<{ code: string }>('POST', `/api/organisation-invitations/${tokenOf(fresh.json.link)}/accept`, member);
    expect(asMember.status).toBe(409);
    expect(asMember.json.code).toBe('already-member');
    expect((await api.call('GET', `/api/organisation-invitations/${tokenOf(fresh.json.link)}`, null)).status).toBe(200);

    const bad = await api.call<{ code: string }>('POST', `/api/organisations/${orgId}/invitations`, admin, { email: 'inte en adress', role: 'member' });
    expect(bad.status).toBe(400);
  });

  it('a withdrawn or expired link is refused', async () => {
    const withdrawn = await invite(admin, `aterkallad-${rand()}@exempel.se`);
    expect((await api.call('DELETE', `/api/organisations/${orgId}/invitations/${withdrawn.json.id}`, admin)).status).toBe(204);
    expect((await api.call('DELETE', `/api/organisations/${orgId}/invitations/${withdrawn.json.id}`, admin)).status).toBe(404);
    const late = await registerAs('Lena Sen', `lena-${rand()}@exempel.se`);
    expect((await api.call<{ code: string }>('POST', `/api/organisation-invitations/${tokenOf(withdrawn.json.link)}/accept`, late)).json.code).toBe('organisation-invitation-invalid');

    const expired = await invite(admin, late.email);
    await server.deps.db
      .update(organisationInvitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(organisationInvitations.id, hashToken(tokenOf(expired.json.link))));
    const r = await api.call<{ code: string }>('POST', `/api/organisation-invitations/${tokenOf(expired.json.link)}/accept`, late);
    expect(r.status).toBe(410);
    expect(r.json.code).toBe('organisation-invitation-invalid');
    expect((await api.expectOk<Array<{ id: string }>>('GET', '/api/organisations', late)).map((o) => o.id)).not.toContain(orgId);
  });
});
