/**
 * `audit.appended` (issue 15): every audit entry writes a notice to the outbox in its own transaction, so
 * open audit lists refetch on that event instead of polling. A command's request delivers the notice
 * with its own rows (an import, which has no event of its own, included); a notice about an internal
 * comment reaches only that party, like the entry in GET …/audit.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, openEventStream, setUpTwoParties, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { sectionAnchor } from './helpers/section-anchor.ts';

describe.each(drivers)('audit.appended events (%s)', (driver) => {
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

  const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
  const notices = async (auditType: string) =>
    rowsOf<{ party_id: string | null; delivered: boolean; entry_id: number }>(
      await server.db.execute(
        sql`select party_id, delivered_at is not null as delivered, (data->>'entryId')::int as entry_id from outbox_events
            where agreement_id = ${p.agreementId} and type = 'audit.appended' and data->>'type' = ${auditType} order by id`,
      ),
    );
  const appended = (auditType: string) => (e: { event: string; data: unknown }) =>
    e.event === 'audit.appended' && (e.data as { type?: string } | null)?.type === auditType;

  it('an import announces its audit entry to every member, delivered before the request returns', async () => {
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    const viewerStream = await openEventStream(server.url, p.agreementId, p.ngoViewer);
    try {
      const body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Vi möts varje vecka.' }] }] };
      await api.expectOk('POST', `/api/agreements/${p.agreementId}/import`, p.ngo, {
        fileName: 'avtal.docx',
        sections: [{ heading: 'Kommunikation', key: null, title: 'Kommunikation', body }],
      });
      const [notice] = await notices('import');
      expect(notice).toMatchObject({ party_id: null, delivered: true });
      const entries = (await api.expectOk<{ entries: Array<{ id: number; type: string }> }>('GET', `/api/agreements/${p.agreementId}/audit`, p.kommun)).entries;
      const entry = entries.find((e) => e.type === 'import')!;
      expect(notice!.entry_id).toBe(entry.id);
      const heard = await kommunStream.waitFor(appended('import'));
      expect(heard.data).toEqual({ entryId: entry.id, type: 'import' });
      await viewerStream.waitFor(appended('import'));
    } finally {
      kommunStream.close();
      viewerStream.close();
    }
  });

  it('an internal comment’s entry is announced to its party only; a shared one to everyone', async () => {
    const anchor = await sectionAnchor(server, p.agreementId);
    const kommunStream = await openEventStream(server.url, p.agreementId, p.kommun);
    const ngoStream = await openEventStream(server.url, p.agreementId, p.ngoViewer);
    try {
      const base = `/api/agreements/${p.agreementId}/comments`;
      await api.expectOk('POST', base, p.ngo, { ...anchor, body: 'INTERN anteckning', visibility: 'internal' });
      await api.expectOk('POST', base, p.ngo, { ...anchor, body: 'Öppen fråga', visibility: 'all' });
      // Both notices were delivered with the command's own rows (the request waited for them).
      expect(await notices('comment.created')).toEqual([
        expect.objectContaining({ party_id: p.ngoOrgId, delivered: true }),
        expect.objectContaining({ party_id: null, delivered: true }),
      ]);
      await ngoStream.waitFor((e) => appended('comment.created')(e) && ngoStream.events.filter(appended('comment.created')).length === 2);
      // The kommun hears the shared one (delivered after the internal one, in order) and never the internal one.
      await kommunStream.waitFor(appended('comment.created'));
      expect(kommunStream.events.filter(appended('comment.created'))).toHaveLength(1);
    } finally {
      kommunStream.close();
      ngoStream.close();
    }
  });
});
