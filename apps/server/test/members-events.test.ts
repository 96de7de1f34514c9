/**
 * Live member events: accepting an invitation, changing a role and removing a member each publish a
 * `member.*` event that reaches the event streams of everyone on the agreement (both parties), carrying
 * ids only. Someone who is not a member gets no stream, and a removed member's stream ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, openEventStream, setUpTwoParties, type Session, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

describe.each(drivers)('member events (%s)', (driver) => {
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

  const of = (type: string, userId: string) => (e: { event: string; data: unknown }) =>
    e.event === type && (e.data as { userId?: string } | null)?.userId === userId;

  it('join, role change and removal reach both parties’ streams; outsiders get no stream', async () => {
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    const viewerStream = await openEventStream(server.url, p.agreementId, p.ngoViewer);
    let newcomer: Session | null = null;
    try {
      newcomer = await api.register('Nils Nykomling');
      // Not a member yet: no stream.
      const outsider = await openEventStream(server.url, p.agreementId, newcomer);
      expect(outsider.status).toBe(404);

      const { token } = await api.expectOk<{ token: string }>('POST', `/api/agreements/${p.agreementId}/invitations`, p.ngo, { role: 'commenter' });
      await api.expectOk('POST', `/api/invitations/${token}/accept`, newcomer, {});
      const joined = await kommunStream.waitFor(of('member.joined', newcomer.userId));
      expect(joined.data).toEqual({ userId: newcomer.userId, partyId: p.ngoOrgId });
      await viewerStream.waitFor(of('member.joined', newcomer.userId));

      await api.expectOk('PATCH', `/api/agreements/${p.agreementId}/members/${newcomer.userId}`, p.ngo, { role: 'editor' });
      await kommunStream.waitFor(of('member.updated', newcomer.userId));
      await viewerStream.waitFor(of('member.updated', newcomer.userId));

      const r = await api.call('DELETE', `/api/agreements/${p.agreementId}/members/${newcomer.userId}`, p.ngo);
      expect(r.status).toBe(204);
      await kommunStream.waitFor(of('member.removed', newcomer.userId));
      await viewerStream.waitFor(of('member.removed', newcomer.userId));
      // Ids only: no e-mail addresses or names in the member events.
      const memberEvents = kommunStream.events.filter((e) => e.event.startsWith('member.'));
      for (const e of memberEvents) expect(Object.keys(e.data as object).sort()).toEqual(['partyId', 'userId']);
    } finally {
      kommunStream.close();
      viewerStream.close();
    }
  });

  it('a refused change publishes nothing', async () => {
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    try {
      // The kommun editor may not change an NGO member (403), so nobody hears of it.
      const r = await api.call('PATCH', `/api/agreements/${p.agreementId}/members/${p.ngoViewer.userId}`, p.kommun, { role: 'editor' });
      expect(r.status).toBe(403);
      // A later, allowed change arrives; the refused one never did.
      await api.expectOk('PATCH', `/api/agreements/${p.agreementId}/members/${p.ngoViewer.userId}`, p.ngo, { signatory: true });
      await kommunStream.waitFor(of('member.updated', p.ngoViewer.userId));
      expect(kommunStream.events.filter((e) => e.event === 'member.updated')).toHaveLength(1);
    } finally {
      kommunStream.close();
    }
  });
});
