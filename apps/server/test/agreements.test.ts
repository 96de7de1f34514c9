import * as Y from 'yjs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listParties as listDocParties } from '@overens/model';
import { agreements, invitations } from '../src/db/schema/index.ts';
import {
  api,
  createAgreement,
  createOrganisation,
  createTestApp,
  createTestDatabase,
  inviteAndAccept,
  registerUser,
  testDrivers,
  type TestApp,
  type TestUser,
} from './support/index.ts';

type Who = 'nonMember' | 'viewer' | 'commenter' | 'editor' | 'otherParty';

describe.each(testDrivers())('agreements, members and invitations (%s)', (driver) => {
  let t: TestApp;
  const users = {} as Record<Who, TestUser>;
  let orgA: { id: string };
  let orgB: { id: string };
  let agreementId: string;

  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase({ driver }) });
    for (const who of ['editor', 'viewer', 'commenter', 'otherParty', 'nonMember'] as Who[]) {
      users[who] = await registerUser(t, { name: who });
    }
    orgA = await createOrganisation(t, users.editor.cookie, { kind: 'ideburen', name: 'Föreningen A' });
    orgB = await createOrganisation(t, users.otherParty.cookie, { kind: 'kommun', name: 'Kommunen B' });
    await createOrganisation(t, users.nonMember.cookie, { kind: 'ideburen', name: 'Utomstående' });
    const a = await createAgreement(t, users.editor.cookie, { organisationId: orgA.id, title: 'Matrix' });
    agreementId = a.id;
    await inviteAndAccept(t, users.editor.cookie, agreementId, users.viewer.cookie, { role: 'viewer' });
    await inviteAndAccept(t, users.editor.cookie, agreementId, users.commenter.cookie, { role: 'commenter' });
    await inviteAndAccept(t, users.editor.cookie, agreementId, users.otherParty.cookie, { role: 'editor', newParty: true }, { organisationId: orgB.id });
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.close();
  });

  const as = (who: Who, method: string, path: string, body?: unknown) => api(t, method, path, { cookie: users[who].cookie, body });

  describe('create, list, read', () => {
    it("creator's organisation is the first party, creator is editor and not signatory", async () => {
      const res = await as('editor', 'GET', `/api/agreements/${agreementId}`);
      expect(res.status).toBe(200);
      const a = (await res.json()) as Record<string, any>;
      expect(a.parties.map((p: { id: string }) => p.id)).toEqual([orgA.id, orgB.id]);
      expect(a).toMatchObject({ role: 'editor', signatory: false, partyId: orgA.id, status: 'draft', archived: false, templateId: 'standard-iop', templateVersion: 1 });
      expect(a.members).toHaveLength(4);
      const byName = Object.fromEntries(a.members.map((m: any) => [m.name, m]));
      expect(byName.viewer).toMatchObject({ role: 'viewer', partyId: orgA.id });
      expect(byName.otherParty).toMatchObject({ role: 'editor', partyId: orgB.id });
    });

    it('the initial document exists once, with the template sections and both parties', async () => {
      const doc = await t.deps.sync.getDocumentState(agreementId);
      const parties = listDocParties(doc).map((p) => p.id);
      expect(parties.sort()).toEqual([orgA.id, orgB.id].sort());
      doc.destroy();
    });

    it('lists my agreements only; archived ones only on request', async () => {
      const mine = (await (await as('viewer', 'GET', '/api/agreements')).json()) as { id: string; parties: unknown[] }[];
      expect(mine.map((a) => a.id)).toContain(agreementId);
      expect(mine.find((a) => a.id === agreementId)?.parties).toHaveLength(2);
      const theirs = (await (await as('nonMember', 'GET', '/api/agreements')).json()) as { id: string }[];
      expect(theirs.map((a) => a.id)).not.toContain(agreementId);
      const bad = await as('viewer', 'GET', '/api/agreements?archived=maybe');
      expect(bad.status).toBe(400);
    });

    it('bad create input: each field named', async () => {
      const cases: [unknown, string][] = [
        [{ organisationId: orgA.id }, 'title'],
        [{ title: 'X' }, 'organisationId'],
        [{ title: 'X', organisationId: 'nope' }, 'organisationId'],
        [{ title: 'X', organisationId: orgB.id }, 'organisationId'], // not my organisation
        [{ title: 'X', organisationId: orgA.id, templateId: 'no-such-template' }, 'templateId'],
        [{ title: 'x'.repeat(201), organisationId: orgA.id }, 'title'],
      ];
      for (const [body, field] of cases) {
        const res = await as('editor', 'POST', '/api/agreements', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        const p = (await res.json()) as { errors: { field: string }[] };
        expect(p.errors.map((e) => e.field)).toContain(field);
      }
    });

    it('a failed creation leaves nothing behind (transaction)', async () => {
      const before = (await t.db.select().from(agreements)).length;
      await as('editor', 'POST', '/api/agreements', { title: 'X', organisationId: orgA.id, templateId: 'no-such-template' });
      expect((await t.db.select().from(agreements)).length).toBe(before);
    });
  });

  describe('authorization matrix', () => {
    const expectStatus = async (who: Who, method: string, path: string, body: unknown, status: number) => {
      const res = await as(who, method, path, body);
      expect(res.status, `${who} ${method} ${path} → ${res.status} ${res.status >= 400 ? await res.clone().text() : ''}`).toBe(status);
      if (status >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      return res;
    };

    it('GET /api/agreements/:id', async () => {
      await expectStatus('nonMember', 'GET', `/api/agreements/${agreementId}`, undefined, 404);
      for (const who of ['viewer', 'commenter', 'editor', 'otherParty'] as Who[]) {
        await expectStatus(who, 'GET', `/api/agreements/${agreementId}`, undefined, 200);
      }
      // An agreement that does not exist answers exactly like one you are not a member of.
      const missing = await as('editor', 'GET', '/api/agreements/00000000-0000-4000-8000-000000000000');
      const hidden = await as('nonMember', 'GET', `/api/agreements/${agreementId}`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual(await hidden.json());
      expect((await as('editor', 'GET', '/api/agreements/not-a-uuid')).status).toBe(400);
    });

    it('PATCH /api/agreements/:id (rename)', async () => {
      const path = `/api/agreements/${agreementId}`;
      await expectStatus('nonMember', 'PATCH', path, { title: 'Hacked' }, 404);
      await expectStatus('viewer', 'PATCH', path, { title: 'V' }, 403);
      await expectStatus('commenter', 'PATCH', path, { title: 'C' }, 403);
      await expectStatus('editor', 'PATCH', path, { title: 'Renamed by A' }, 200);
      const res = await expectStatus('otherParty', 'PATCH', path, { title: 'Renamed by B' }, 200);
      expect(((await res.json()) as { title: string }).title).toBe('Renamed by B');
    });

    it('GET /api/agreements/:id/members', async () => {
      const path = `/api/agreements/${agreementId}/members`;
      await expectStatus('nonMember', 'GET', path, undefined, 404);
      for (const who of ['viewer', 'commenter', 'editor', 'otherParty'] as Who[]) await expectStatus(who, 'GET', path, undefined, 200);
    });

    it('PATCH /api/agreements/:id/members/:userId', async () => {
      const path = `/api/agreements/${agreementId}/members/${users.viewer.id}`;
      await expectStatus('nonMember', 'PATCH', path, { signatory: true }, 404);
      await expectStatus('viewer', 'PATCH', path, { signatory: true }, 403);
      await expectStatus('commenter', 'PATCH', path, { signatory: true }, 403);
      await expectStatus('otherParty', 'PATCH', path, { signatory: true }, 403); // another party's member
      const res = await expectStatus('editor', 'PATCH', path, { signatory: true }, 200);
      expect(await res.json()).toMatchObject({ userId: users.viewer.id, role: 'viewer', signatory: true });
    });

    it('POST /api/agreements/:id/invitations', async () => {
      const path = `/api/agreements/${agreementId}/invitations`;
      await expectStatus('nonMember', 'POST', path, { role: 'viewer' }, 404);
      await expectStatus('viewer', 'POST', path, { role: 'viewer' }, 403);
      await expectStatus('commenter', 'POST', path, { role: 'viewer' }, 403);
      await expectStatus('editor', 'POST', path, { role: 'viewer' }, 201);
      await expectStatus('otherParty', 'POST', path, { role: 'commenter' }, 201);
    });

    it('GET /api/agreements/:id/validation', async () => {
      const path = `/api/agreements/${agreementId}/validation`;
      await expectStatus('nonMember', 'GET', path, undefined, 404);
      for (const who of ['viewer', 'commenter', 'editor', 'otherParty'] as Who[]) {
        const res = await expectStatus(who, 'GET', path, undefined, 200);
        const v = (await res.json()) as { findings: unknown[]; summary: { readyToSign: boolean } };
        expect(v.summary.readyToSign).toBe(false); // a fresh agreement lacks content
        expect(v.findings.length).toBeGreaterThan(0);
      }
    });

    it('DELETE /api/agreements/:id/members/:userId', async () => {
      const extra = await registerUser(t, { name: 'extra' });
      await inviteAndAccept(t, users.editor.cookie, agreementId, extra.cookie, { role: 'viewer' });
      const path = `/api/agreements/${agreementId}/members/${extra.id}`;
      await expectStatus('nonMember', 'DELETE', path, undefined, 404);
      await expectStatus('viewer', 'DELETE', path, undefined, 403);
      await expectStatus('commenter', 'DELETE', path, undefined, 403);
      await expectStatus('otherParty', 'DELETE', path, undefined, 403);
      await expectStatus('editor', 'DELETE', path, undefined, 204);
      // The removed member lost access.
      expect((await api(t, 'GET', `/api/agreements/${agreementId}`, { cookie: extra.cookie })).status).toBe(404);
      await expectStatus('editor', 'DELETE', path, undefined, 404);
    });

    it('PATCH /api/agreements/:id (archive, restore)', async () => {
      const path = `/api/agreements/${agreementId}`;
      await expectStatus('nonMember', 'PATCH', path, { archived: true }, 404);
      await expectStatus('viewer', 'PATCH', path, { archived: true }, 403);
      await expectStatus('commenter', 'PATCH', path, { archived: true }, 403);
      const res = await expectStatus('editor', 'PATCH', path, { archived: true }, 200);
      expect(await res.json()).toMatchObject({ archived: true });
      const list = (await (await as('viewer', 'GET', '/api/agreements')).json()) as { id: string }[];
      expect(list.map((a) => a.id)).not.toContain(agreementId);
      const archived = (await (await as('viewer', 'GET', '/api/agreements?archived=true')).json()) as { id: string }[];
      expect(archived.map((a) => a.id)).toContain(agreementId);
      await expectStatus('otherParty', 'PATCH', path, { archived: false }, 200);
    });

    it('creating, renaming, archiving and restoring are audited; a no-op change writes no audit or outbox row', async () => {
      const path = `/api/agreements/${agreementId}`;
      type Entry = { type: string; actor: { id: string } | null; data: Record<string, unknown> };
      const entries = async () => ((await (await as('viewer', 'GET', `${path}/audit`)).json()) as { entries: Entry[] }).entries;
      const mine = (await entries()).filter((e) => e.type.startsWith('agreement.'));
      expect(mine.map((e) => e.type)).toEqual(['agreement.created', 'agreement.renamed', 'agreement.renamed', 'agreement.archived', 'agreement.restored']);
      expect(mine[0]).toMatchObject({ actor: { id: users.editor.id }, data: { title: 'Matrix', partyId: orgA.id } });
      expect(mine[2]).toMatchObject({ actor: { id: users.otherParty.id }, data: { from: 'Renamed by A', to: 'Renamed by B' } });
      // Result rows of db.execute on either driver (postgres.js: an array; PGlite: { rows }).
      const count = async () => {
        const r: unknown = await t.db.execute(sql`select count(*)::int as n from outbox_events where agreement_id = ${agreementId} and type = 'agreement.updated'`);
        return (Array.isArray(r) ? r : (r as { rows: Array<{ n: number }> }).rows)[0]!.n as number;
      };
      const before = await count();
      expect(before).toBe(4);
      await expectStatus('editor', 'PATCH', path, { title: 'Renamed by B', archived: false }, 200);
      expect(await count()).toBe(before);
      expect((await entries()).filter((e) => e.type.startsWith('agreement.'))).toHaveLength(5);
    });
  });

  describe('member management rules', () => {
    it('role changes: bad input named; the last editor of the agreement cannot be demoted', async () => {
      const solo = await registerUser(t);
      const org = await createOrganisation(t, solo.cookie);
      const a = await createAgreement(t, solo.cookie, { organisationId: org.id });
      const path = `/api/agreements/${a.id}/members/${solo.id}`;
      const bad = await api(t, 'PATCH', path, { cookie: solo.cookie, body: { role: 'owner' } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('role');
      const empty = await api(t, 'PATCH', path, { cookie: solo.cookie, body: {} });
      expect(empty.status).toBe(400);
      const last = await api(t, 'PATCH', path, { cookie: solo.cookie, body: { role: 'viewer' } });
      expect(last.status).toBe(409);
      const leave = await api(t, 'DELETE', path, { cookie: solo.cookie });
      expect(leave.status).toBe(409);
      // Marking yourself as signatory is fine.
      const sig = await api(t, 'PATCH', path, { cookie: solo.cookie, body: { signatory: true } });
      expect(sig.status).toBe(200);
    });

    it('a member can leave; a demoted editor loses editing rights at once', async () => {
      const colleague = await registerUser(t, { name: 'colleague' });
      await inviteAndAccept(t, users.editor.cookie, agreementId, colleague.cookie, { role: 'editor' });
      const demote = await as('editor', 'PATCH', `/api/agreements/${agreementId}/members/${colleague.id}`, { role: 'viewer' });
      expect(demote.status).toBe(200);
      const tryRename = await api(t, 'PATCH', `/api/agreements/${agreementId}`, { cookie: colleague.cookie, body: { title: 'nope' } });
      expect(tryRename.status).toBe(403);
      const leave = await api(t, 'DELETE', `/api/agreements/${agreementId}/members/${colleague.id}`, { cookie: colleague.cookie });
      expect(leave.status).toBe(204);
    });
  });

  describe('invitation lifecycle', () => {
    const create = async (body: unknown, who: Who = 'editor') => {
      const res = await as(who, 'POST', `/api/agreements/${agreementId}/invitations`, body);
      expect(res.status).toBe(201);
      return (await res.json()) as { token: string; url: string; expiresAt: string };
    };

    it('create → preview → accept as a new party; the party joins the document; reuse refused', async () => {
      const inv = await create({ role: 'commenter', signatory: true, newParty: true, expiresInDays: 3 });
      expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(inv.url).toContain(`/#/invitations/${inv.token}`);
      // Only the hash is stored.
      expect(await t.db.select().from(invitations).where(eq(invitations.tokenHash, inv.token))).toHaveLength(0);

      const preview = await api(t, 'GET', `/api/invitations/${inv.token}`);
      expect(preview.status).toBe(200);
      expect(await preview.json()).toMatchObject({ agreementId, role: 'commenter', signatory: true, newParty: true, invitedBy: 'editor' });

      const newcomer = await registerUser(t, { name: 'region person' });
      const region = await createOrganisation(t, newcomer.cookie, { kind: 'region', name: 'Region C' });
      // New-party invitation needs an organisation of mine that is not yet a party.
      const missing = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: newcomer.cookie, body: {} });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('organisationId');
      const notMine = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: newcomer.cookie, body: { organisationId: orgA.id } });
      expect(notMine.status).toBe(400);
      const anonymous = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { body: { organisationId: region.id } });
      expect(anonymous.status).toBe(401);

      const ok = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: newcomer.cookie, body: { organisationId: region.id } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ agreementId, partyId: region.id, role: 'commenter', signatory: true });

      const doc: Y.Doc = await t.deps.sync.getDocumentState(agreementId);
      expect(listDocParties(doc).map((p) => p.id)).toContain(region.id);
      doc.destroy();

      const someoneElse = await registerUser(t);
      const reuse = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: someoneElse.cookie, body: {} });
      expect(reuse.status).toBe(410);
      const p = (await reuse.json()) as { errors: { field: string; message: string }[] };
      expect(p.errors[0]).toMatchObject({ field: 'token' });
      expect(p.errors[0]!.message).toMatch(/already been used/);
      expect((await api(t, 'GET', `/api/invitations/${inv.token}`)).status).toBe(410);
    });

    it('an organisation that is already a party cannot join again', async () => {
      const inv = await create({ role: 'viewer', newParty: true });
      const colleagueOfB = await registerUser(t);
      // otherParty accepts with orgB, which is already a party.
      const res = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: users.nonMember.cookie, body: { organisationId: orgA.id } });
      expect(res.status).toBe(400); // not nonMember's organisation
      const dup = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: users.otherParty.cookie, body: { organisationId: orgB.id } });
      expect(dup.status).toBe(409); // otherParty is already a member
      void colleagueOfB;
    });

    it('expired invitations are refused', async () => {
      const inv = await create({ role: 'viewer' });
      await t.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.tokenHash, (await import('../src/auth/tokens.ts')).hashToken(inv.token)));
      const u = await registerUser(t);
      const res = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: u.cookie, body: {} });
      expect(res.status).toBe(410);
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/expired/);
    });

    it('a colleague invitation joins the inviter’s party (and organisation)', async () => {
      const inv = await create({ role: 'editor' }, 'otherParty');
      const colleague = await registerUser(t);
      const res = await api(t, 'POST', `/api/invitations/${inv.token}/accept`, { cookie: colleague.cookie, body: {} });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ partyId: orgB.id, role: 'editor' });
      const orgs = (await (await api(t, 'GET', '/api/organisations', { cookie: colleague.cookie })).json()) as { id: string; role: string }[];
      expect(orgs).toEqual([expect.objectContaining({ id: orgB.id, role: 'member' })]);
    });

    it('unknown tokens → 404; bad invitation input → 400 naming the field', async () => {
      const unknown = await api(t, 'GET', `/api/invitations/${'x'.repeat(43)}`);
      expect(unknown.status).toBe(404);
      const short = await api(t, 'GET', '/api/invitations/abc');
      expect(short.status).toBe(400);
      const cases: [unknown, string][] = [
        [{}, 'role'],
        [{ role: 'admin' }, 'role'],
        [{ role: 'viewer', expiresInDays: 0 }, 'expiresInDays'],
        [{ role: 'viewer', expiresInDays: 1.5 }, 'expiresInDays'],
        [{ role: 'viewer', newParty: 'yes' }, 'newParty'],
        [{ role: 'viewer', signatory: 1 }, 'signatory'],
      ];
      for (const [body, field] of cases) {
        const res = await as('editor', 'POST', `/api/agreements/${agreementId}/invitations`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
      }
    });
  });
});
