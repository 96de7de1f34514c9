/**
 * Removing a party (issue 12 item 7), through the public API on a real server and database: the
 * explicit, audited way out for a party whose last editor cannot leave. Its members, its pending
 * invitations and the party in the live document go; its members' event streams end; it is refused
 * once anyone has approved, for another party's editors and non-editors, and for the only party.
 */
import { hasParty } from '@overens/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvals } from '../src/db/schema/index.ts';
import { client, openEventStream, setUpTwoParties, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

interface Problem {
  code: string;
  detail: string;
  messages?: { sv: string; en: string };
}

describe.each(drivers)('removing a party (%s)', (driver) => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  let p: TwoParties;
  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpTwoParties(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const partyPath = (p: { agreementId: string }, partyId: string) => `/api/agreements/${p.agreementId}/parties/${partyId}`;

  /** Another agreement of the same two parties (organisations are registered once per server). */
  const anotherAgreement = async (): Promise<{ agreementId: string }> => {
    const a = await api.expectOk<{ id: string }>('POST', '/api/agreements', p.ngo, { title: 'IOP om simskola', organisationId: p.ngoOrgId });
    const { token } = await api.expectOk<{ token: string }>('POST', `/api/agreements/${a.id}/invitations`, p.ngo, { role: 'editor', newParty: true });
    await api.expectOk('POST', `/api/invitations/${token}/accept`, p.kommun, { organisationId: p.kommunOrgId });
    return { agreementId: a.id };
  };

  it("only the party's own editors may remove it; non-members get 404", async () => {
    const other = await api.call<Problem>('DELETE', partyPath(p, p.kommunOrgId), p.ngo);
    expect(other.status).toBe(403);
    expect(other.json.detail).toMatch(/own editors/);
    const commenter = await api.call<Problem>('DELETE', partyPath(p, p.ngoOrgId), p.ngoCommenter);
    expect(commenter.status).toBe(403);
    expect(commenter.json.detail).toMatch(/Only editors/);
    const stranger = await api.register('Sture Främling');
    expect((await api.call('DELETE', partyPath(p, p.kommunOrgId), stranger)).status).toBe(404);
    const detail = await api.expectOk<{ parties: Array<{ id: string }>; policies: Record<string, boolean> }>('GET', `/api/agreements/${p.agreementId}`, p.kommun);
    expect(detail.parties.map((x) => x.id).sort()).toEqual([p.ngoOrgId, p.kommunOrgId].sort());
    expect(detail.policies['party.remove']).toBe(true);
  });

  it('is refused once anyone has approved, with a clear message', async () => {
    const q = await anotherAgreement();
    // An approval on record (voided since, even): the agreement has been approved by someone.
    await server.db.insert(approvals).values({
      agreementId: q.agreementId,
      userId: p.ngo.userId,
      userName: p.ngo.name,
      partyId: p.ngoOrgId,
      hash: 'a'.repeat(64),
      canonical: '{}',
      voidedAt: new Date(),
      voidReason: 'changed',
    });
    const r = await api.call<Problem>('DELETE', partyPath(q, p.kommunOrgId), p.kommun);
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('party-removal-after-approval');
    expect(r.json.messages!.en).toMatch(/already approved/);
    expect(r.json.messages!.sv).toMatch(/redan godkänt/);
    const members = await api.expectOk<Array<{ userId: string }>>('GET', `/api/agreements/${q.agreementId}/members`, p.ngo);
    expect(members.map((m) => m.userId)).toContain(p.kommun.userId);
  });

  it("the last editor's way out: the kommun removes itself; members, invitations, document party and streams go, audited", async () => {
    // The last kommun editor cannot leave: the message points to removing the party.
    const leave = await api.call<Problem>('DELETE', `/api/agreements/${p.agreementId}/members/${p.kommun.userId}`, p.kommun);
    expect(leave.status).toBe(409);
    expect(leave.json.code).toBe('last-editor');
    expect(leave.json.messages!.en).toMatch(/remove your party/i);
    expect(leave.json.messages!.sv).toMatch(/ta bort din part/i);

    // A pending colleague invitation of the kommun, and one for a new party made by the kommun's editor.
    const colleague = await api.expectOk<{ token: string }>('POST', `/api/agreements/${p.agreementId}/invitations`, p.kommun, { role: 'viewer' });
    const newParty = await api.expectOk<{ token: string }>('POST', `/api/agreements/${p.agreementId}/invitations`, p.kommun, { role: 'editor', newParty: true });
    const ngoInvite = await api.expectOk<{ token: string }>('POST', `/api/agreements/${p.agreementId}/invitations`, p.ngo, { role: 'viewer' });
    const before = await server.deps.sync.getDocumentState(p.agreementId);
    expect(hasParty(before, p.kommunOrgId)).toBe(true);
    before.destroy();

    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    const ngoStream = await openEventStream(server.url, p.agreementId, p.ngo);
    try {
      const removed = await api.call<{ partyId: string; removedMembers: string[]; withdrawnInvitations: number }>('DELETE', partyPath(p, p.kommunOrgId), p.kommun);
      expect(removed.status).toBe(200);
      expect(removed.json).toEqual({ partyId: p.kommunOrgId, removedMembers: [p.kommun.userId], withdrawnInvitations: 2 });

      // The kommun's stream ends (access revoked); the NGO hears of the removal.
      await kommunStream.ended;
      expect(kommunStream.events.some((e) => e.event === 'access-revoked')).toBe(true);
      await ngoStream.waitFor((e) => e.event === 'member.removed' && (e.data as { userId: string }).userId === p.kommun.userId);

      // The kommun is gone from the agreement, its members and the live document (an outbox effect).
      const detail = await api.expectOk<{ parties: Array<{ id: string }>; members: Array<{ userId: string }> }>('GET', `/api/agreements/${p.agreementId}`, p.ngo);
      expect(detail.parties.map((x) => x.id)).toEqual([p.ngoOrgId]);
      expect(detail.members.map((m) => m.userId)).not.toContain(p.kommun.userId);
      expect((await api.call('GET', `/api/agreements/${p.agreementId}`, p.kommun)).status).toBe(404);
      const after = await server.deps.sync.getDocumentState(p.agreementId);
      expect(hasParty(after, p.kommunOrgId)).toBe(false);
      expect(hasParty(after, p.ngoOrgId)).toBe(true);
      after.destroy();

      // Its invitations are withdrawn; the NGO's own stays usable.
      expect((await api.call('GET', `/api/invitations/${colleague.token}`, null)).status).toBe(404);
      expect((await api.call('GET', `/api/invitations/${newParty.token}`, null)).status).toBe(404);
      expect((await api.call('GET', `/api/invitations/${ngoInvite.token}`, null)).status).toBe(200);

      // Audited, with who went.
      const audit = await api.expectOk<{ entries: Array<{ type: string; actor: { id: string } | null; data: Record<string, unknown> }> }>('GET', `/api/agreements/${p.agreementId}/audit`, p.ngo);
      const entry = audit.entries.find((e) => e.type === 'party.removed');
      expect(entry?.actor?.id).toBe(p.kommun.userId);
      expect(entry?.data).toMatchObject({ partyId: p.kommunOrgId, members: [{ userId: p.kommun.userId, role: 'editor' }], withdrawnInvitations: 2 });

      // The agreement's only party cannot be removed.
      const only = await api.call<Problem>('DELETE', partyPath(p, p.ngoOrgId), p.ngo);
      expect(only.status).toBe(409);
      expect(only.json.code).toBe('last-party');
    } finally {
      kommunStream.close();
      ngoStream.close();
    }
  });
});

