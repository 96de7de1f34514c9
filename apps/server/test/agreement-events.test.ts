/**
 * Live agreement metadata: renaming and archiving/restoring an agreement publishes `agreement.updated`
 * with the changed public fields only ({ agreementId, title? , archived? }) to the event streams of
 * everyone on the agreement (both parties, every role). Non-members get no stream; a refused or no-op
 * change publishes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, openEventStream, setUpTwoParties, type TwoParties } from './helpers/agreement-fixture.ts';
import { uniqueOrgNumber } from './support/http.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

describe.each(drivers)('agreement.updated events (%s)', (driver) => {
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

  const updated = (pred: (d: Record<string, unknown>) => boolean) => (e: { event: string; data: unknown }) =>
    e.event === 'agreement.updated' && pred((e.data ?? {}) as Record<string, unknown>);

  it('a rename and an archive reach both parties’ streams with the changed fields only; outsiders get no stream', async () => {
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    const viewerStream = await openEventStream(server.url, p.agreementId, p.ngoViewer);
    const outsider = await api.register('Olle Utomstående');
    const outsiderStream = await openEventStream(server.url, p.agreementId, outsider);
    expect(outsiderStream.status).toBe(404);
    // An outsider's own agreement's stream hears nothing of this one.
    const org = await api.expectOk<{ id: string }>('POST', '/api/organisations', outsider, { name: 'Annan förening', kind: 'ideburen', orgNumber: uniqueOrgNumber('802') });
    const own = await api.expectOk<{ id: string }>('POST', '/api/agreements', outsider, { title: 'Eget avtal', organisationId: org.id });
    const ownStream = await openEventStream(server.url, own.id, outsider);
    try {
      await api.expectOk('PATCH', `/api/agreements/${p.agreementId}`, p.ngo, { title: 'IOP om läxhjälp 2027' });
      const renamed = await kommunStream.waitFor(updated((d) => d.title === 'IOP om läxhjälp 2027'));
      expect(renamed.data).toEqual({ agreementId: p.agreementId, title: 'IOP om läxhjälp 2027' });
      await viewerStream.waitFor(updated((d) => d.title === 'IOP om läxhjälp 2027'));

      await api.expectOk('PATCH', `/api/agreements/${p.agreementId}`, p.kommun, { archived: true });
      const archived = await viewerStream.waitFor(updated((d) => d.archived === true));
      expect(archived.data).toEqual({ agreementId: p.agreementId, archived: true });
      await kommunStream.waitFor(updated((d) => d.archived === true));

      await api.expectOk('PATCH', `/api/agreements/${p.agreementId}`, p.ngo, { archived: false, title: 'IOP om läxhjälp' });
      const both = await kommunStream.waitFor(updated((d) => d.archived === false));
      expect(both.data).toEqual({ agreementId: p.agreementId, title: 'IOP om läxhjälp', archived: false });
      await viewerStream.waitFor(updated((d) => d.archived === false));

      expect(ownStream.events.some((e) => e.event === 'agreement.updated')).toBe(false);
    } finally {
      kommunStream.close();
      viewerStream.close();
      ownStream.close();
    }
  });

  it('a refused change and a no-op publish nothing', async () => {
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    try {
      // A viewer may not rename (403); renaming to the current title changes nothing.
      const refused = await api.call('PATCH', `/api/agreements/${p.agreementId}`, p.ngoViewer, { title: 'Kapat namn' });
      expect(refused.status).toBe(403);
      const current = await api.expectOk<{ title: string }>('GET', `/api/agreements/${p.agreementId}`, p.ngo);
      await api.expectOk('PATCH', `/api/agreements/${p.agreementId}`, p.ngo, { title: current.title, archived: false });
      // A later, real change arrives; the refused and the no-op ones never did.
      await api.expectOk('PATCH', `/api/agreements/${p.agreementId}`, p.ngo, { title: 'Sista namnet' });
      await kommunStream.waitFor(updated((d) => d.title === 'Sista namnet'));
      expect(kommunStream.events.filter((e) => e.event === 'agreement.updated')).toHaveLength(1);
    } finally {
      kommunStream.close();
    }
  });
});
