import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGoal, getSectionRichBody, listGoals, listSections, paragraphsToRich, richPlainText, setSectionBody, type AgreementRedline } from '@overens/model';
import { client, openEventStream, setUpTwoParties, type TwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';

interface Version {
  id: string;
  name: string;
  kind: 'named' | 'auto' | 'restore';
  createdBy: { id: string; name: string } | null;
  restoredFrom: string | null;
}

describe.each(drivers)('versions (%s)', (driver) => {
  let server: TestServer;
  let p: TwoParties;
  let api: ReturnType<typeof client>;
  let base: string;

  beforeAll(async () => {
    // Short idle period for the automatic checkpoint test; no minimum interval.
    process.env.OVERENS_CHECKPOINT_IDLE_MS = '200';
    process.env.OVERENS_CHECKPOINT_MIN_INTERVAL_MS = '0';
    server = await startServerOn(driver);
    delete process.env.OVERENS_CHECKPOINT_IDLE_MS;
    delete process.env.OVERENS_CHECKPOINT_MIN_INTERVAL_MS;
    api = client(server.url);
    p = await setUpTwoParties(server.url);
    base = `/api/agreements/${p.agreementId}/versions`;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const firstSectionId = async () => {
    const doc = await server.deps.sync.getDocumentState(p.agreementId);
    return listSections(doc)[0]!.id;
  };
  const bodyText = async (sectionId: string) => richPlainText(getSectionRichBody(await server.deps.sync.getDocumentState(p.agreementId), sectionId));
  const setBody = (sectionId: string, text: string) =>
    server.deps.sync.withDocument(p.agreementId, (doc) => setSectionBody(doc, sectionId, paragraphsToRich([text])));

  it('save a version, change text, compare shows the change, restore brings it back', async () => {
    const sectionId = await firstSectionId();
    await setBody(sectionId, 'Föreningen har drivit läxhjälp sedan 2015.');
    const stream = await openEventStream(server.url, p.agreementId, p.kommun);
    try {
      const saved = await api.call<Version>('POST', base, p.ngo, { name: 'Förslag 1' });
      expect(saved.status).toBe(201);
      expect(saved.json).toMatchObject({ name: 'Förslag 1', kind: 'named', createdBy: { id: p.ngo.userId, name: 'Nora NGO' } });
      await stream.waitFor((e) => e.event === 'version.saved' && (e.data as { version: Version }).version.id === saved.json.id);

      await setBody(sectionId, 'Föreningen har drivit läxhjälp och språkcafé sedan 2016.');
      // And the goal table: one row added.
      await server.deps.sync.withDocument(p.agreementId, (doc) => {
        addGoal(doc, { goal: 'Fler elever når godkänt i matematik', targetValue: '80 %' });
      });
      const cmp = await api.call<AgreementRedline>('GET', `${base}/compare?from=${saved.json.id}&to=current`, p.kommun);
      expect(cmp.status).toBe(200);
      const section = cmp.json.sections.find((s) => s.sectionId === sectionId)!;
      expect(section.change).toBe('modified');
      const inserted = section.body.filter((c) => c.op === 'insert').map((c) => c.text).join('');
      const deleted = section.body.filter((c) => c.op === 'delete').map((c) => c.text).join('');
      expect(inserted).toContain('språkcafé');
      expect(inserted).toContain('2016');
      expect(deleted).toContain('2015');
      expect(cmp.json.summary.sectionsModified).toBe(1);
      const addedRow = cmp.json.goals.rows.find((r) => r.change === 'added');
      expect(addedRow?.label).toBe('Fler elever når godkänt i matematik');
      expect(addedRow?.cells.find((c) => c.column === 'targetValue')).toMatchObject({ old: '', new: '80 %' });

      const snapshot = await api.call<{ snapshot: { sections: Array<{ id: string }> } }>('GET', `${base}/${saved.json.id}`, p.kommun);
      expect(snapshot.status).toBe(200);
      expect(snapshot.json.snapshot.sections[0]!.id).toBe(sectionId);

      const restored = await api.call<Version>('POST', `${base}/${saved.json.id}/restore`, p.ngo);
      expect(restored.status).toBe(201);
      expect(restored.json).toMatchObject({ kind: 'restore', restoredFrom: saved.json.id });
      expect(restored.json.name).toContain('Återställd från');
      expect(restored.json.name).toContain('Förslag 1');
      expect(await bodyText(sectionId)).toBe('Föreningen har drivit läxhjälp sedan 2015.');
      expect(listGoals(await server.deps.sync.getDocumentState(p.agreementId)).some((g) => g.goal.includes('matematik'))).toBe(false);
      await stream.waitFor((e) => e.event === 'version.saved' && (e.data as { version: Version }).version.id === restored.json.id);

      // Nothing rewritten: the saved version and the restore are both in the list, and comparing the
      // version with the current document now shows no change.
      const list = await api.call<{ versions: Version[] }>('GET', base, p.kommun);
      const ids = list.json.versions.map((v) => v.id);
      expect(ids).toContain(saved.json.id);
      expect(ids).toContain(restored.json.id);
      const after = await api.call<AgreementRedline>('GET', `${base}/compare?from=${saved.json.id}&to=current`, p.kommun);
      expect(after.json.sections.find((s) => s.sectionId === sectionId)!.change).toBe('unchanged');
    } finally {
      stream.close();
    }
  });

  it('only editors save and restore; every member can list and compare; others get 404', async () => {
    expect((await api.call('POST', base, p.ngoCommenter, { name: 'x' })).status).toBe(403);
    expect((await api.call('POST', base, p.ngoViewer, { name: 'x' })).status).toBe(403);
    expect((await api.call('POST', base, p.ngo, { name: '   ' })).status).toBe(400);
    const list = await api.call<{ versions: Version[] }>('GET', base, p.ngoViewer);
    expect(list.status).toBe(200);
    const some = list.json.versions[0]!;
    expect((await api.call('POST', `${base}/${some.id}/restore`, p.ngoViewer)).status).toBe(403);
    const stranger = await api.register('Främling');
    expect((await api.call('GET', base, stranger)).status).toBe(404);
    expect((await api.call('GET', `${base}/${some.id}`, stranger)).status).toBe(404);
    expect((await api.call('GET', `${base}/compare?from=nonsense`, p.ngo)).status).toBe(400);
    expect((await api.call('GET', `${base}/00000000-0000-4000-8000-000000000000`, p.ngo)).status).toBe(404);
  });

  it('stores an automatic checkpoint when editing goes idle', async () => {
    const sectionId = await firstSectionId();
    const before = (await api.call<{ versions: Version[] }>('GET', base, p.ngo)).json.versions.filter((v) => v.kind === 'auto').length;
    const stream = await openEventStream(server.url, p.agreementId, p.kommun);
    try {
      await setBody(sectionId, 'Text skriven strax före en paus.');
      const event = await stream.waitFor((e) => e.event === 'version.saved' && (e.data as { version: Version }).version.kind === 'auto');
      const version = (event.data as { version: Version }).version;
      const list = (await api.call<{ versions: Version[] }>('GET', base, p.ngo)).json.versions;
      expect(list.filter((v) => v.kind === 'auto').length).toBe(before + 1);
      const snapshot = await api.call<{ snapshot: { sections: Array<{ id: string; body: unknown }> } }>('GET', `${base}/${version.id}`, p.ngo);
      expect(JSON.stringify(snapshot.json.snapshot.sections.find((s) => s.id === sectionId)!.body)).toContain('strax före en paus');
    } finally {
      stream.close();
    }
  });

  it('every version (named, restore, automatic) has its version.saved outbox row from its own transaction, delivered; saves and restores are audited', async () => {
    const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
    const versions = (await api.expectOk<{ versions: Version[] }>('GET', base, p.ngo)).versions;
    expect(new Set(versions.map((v) => v.kind))).toEqual(new Set(['named', 'restore', 'auto']));
    const rows = rowsOf<{ id: string; delivered: boolean }>(
      await server.db.execute(
        sql`select data->'version'->>'id' as id, delivered_at is not null as delivered from outbox_events where agreement_id = ${p.agreementId} and type = 'version.saved'`,
      ),
    );
    expect(rows.map((r) => r.id).sort()).toEqual(versions.map((v) => v.id).sort());
    expect(rows.every((r) => r.delivered)).toBe(true);
    const audit = (await api.expectOk<{ entries: Array<{ type: string; data: Record<string, unknown> }> }>('GET', `/api/agreements/${p.agreementId}/audit`, p.kommun)).entries;
    const byVersion = new Map(audit.filter((e) => e.type.startsWith('version.')).map((e) => [e.data['versionId'], e.type]));
    for (const v of versions.filter((x) => x.kind !== 'auto')) expect(byVersion.get(v.id)).toBe(v.kind === 'restore' ? 'version.restored' : 'version.saved');
  });
});
