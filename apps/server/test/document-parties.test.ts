/**
 * A party the database has but the document lacks (the post-commit step of accepting a new-party
 * invitation failed) is put back when a member opens the agreement, exactly once.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listParties as listDocParties, removeParty, updateParty } from '@overens/model';
import { RECONCILE_PARTIES_ORIGIN } from '../src/agreements/document-parties.ts';
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

describe.each(testDrivers())('document parties follow the database (%s)', (driver) => {
  let t: TestApp;
  let ngo: TestUser;
  let ngoOrg: { id: string };
  const changes: Array<{ agreementId: string; origin: unknown }> = [];

  beforeAll(async () => {
    t = await createTestApp({ database: await createTestDatabase({ driver }) });
    ngo = await registerUser(t, { name: 'ngo' });
    ngoOrg = await createOrganisation(t, ngo.cookie, { kind: 'ideburen', name: 'Föreningen A' });
    t.deps.sync.onDocumentChanged((agreementId, _update, origin) => changes.push({ agreementId, origin }));
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.close();
  });

  const docParties = async (agreementId: string) => {
    const doc: Y.Doc = await t.deps.sync.getDocumentState(agreementId);
    const parties = listDocParties(doc);
    doc.destroy();
    return parties;
  };
  const open = async (who: TestUser, agreementId: string) => {
    const res = await api(t, 'GET', `/api/agreements/${agreementId}`, { cookie: who.cookie });
    expect(res.status).toBe(200);
    return (await res.json()) as { parties: { id: string }[] };
  };
  const repairs = (agreementId: string) => changes.filter((c) => c.agreementId === agreementId && c.origin === RECONCILE_PARTIES_ORIGIN).length;

  it('the document could not be loaded after the commit: the next open adds the party, once', async () => {
    const agreement = await createAgreement(t, ngo.cookie, { organisationId: ngoOrg.id, title: 'Failed step' });
    const kommun = await registerUser(t, { name: 'kommun' });
    const kommunOrg = await createOrganisation(t, kommun.cookie, { kind: 'kommun', name: 'Kommunen B' });

    // The post-commit step fails once, as when the document cannot be loaded at that moment.
    const sync = t.deps.sync;
    const real = sync.withDocument.bind(sync);
    let failures = 0;
    sync.withDocument = async (...args) => {
      sync.withDocument = real;
      failures++;
      throw new Error('document could not be loaded (simulated)');
    };
    try {
      await inviteAndAccept(t, ngo.cookie, agreement.id, kommun.cookie, { role: 'editor', newParty: true }, { organisationId: kommunOrg.id });
    } finally {
      sync.withDocument = real;
    }
    expect(failures).toBe(1);
    // The gap: the database has the party, the document does not.
    expect((await open(ngo, agreement.id)).parties.map((p) => p.id)).toEqual([ngoOrg.id, kommunOrg.id]);

    // That open put it back; further opens (by either party) change nothing.
    await open(kommun, agreement.id);
    await open(ngo, agreement.id);
    const parties = await docParties(agreement.id);
    expect(parties.map((p) => p.id)).toEqual([ngoOrg.id, kommunOrg.id]);
    expect(parties[1]).toMatchObject({ name: 'Kommunen B', kind: 'kommun', orgNumber: kommunOrg.orgNumber, municipalityCode: '0180' });
    expect(repairs(agreement.id)).toBe(1);
  });

  it('an agreement already affected (party gone from the document) is repaired without touching the edits to the other party', async () => {
    const agreement = await createAgreement(t, ngo.cookie, { organisationId: ngoOrg.id, title: 'Already affected' });
    const region = await registerUser(t, { name: 'region' });
    const regionOrg = await createOrganisation(t, region.cookie, { kind: 'region', name: 'Region C' });
    await inviteAndAccept(t, ngo.cookie, agreement.id, region.cookie, { role: 'editor', newParty: true }, { organisationId: regionOrg.id });
    expect((await docParties(agreement.id)).map((p) => p.id)).toEqual([ngoOrg.id, regionOrg.id]);

    // Mimic the gap on a live document, plus a user's edit of the NGO's name in the document.
    await t.deps.sync.withDocument(agreement.id, (doc) => {
      removeParty(doc, regionOrg.id);
      updateParty(doc, ngoOrg.id, { name: 'Föreningen A (ideell förening)' });
    });
    expect((await docParties(agreement.id)).map((p) => p.id)).toEqual([ngoOrg.id]);

    for (let i = 0; i < 3; i++) await open(i % 2 ? region : ngo, agreement.id);
    const parties = await docParties(agreement.id);
    expect(parties.map((p) => p.id)).toEqual([ngoOrg.id, regionOrg.id]);
    expect(parties[0]!.name).toBe('Föreningen A (ideell förening)');
    expect(repairs(agreement.id)).toBe(1);
  });

  it('opening an agreement whose document is complete changes nothing', async () => {
    const agreement = await createAgreement(t, ngo.cookie, { organisationId: ngoOrg.id, title: 'Complete' });
    await open(ngo, agreement.id);
    const before = changes.filter((c) => c.agreementId === agreement.id).length;
    await open(ngo, agreement.id);
    await open(ngo, agreement.id);
    expect(changes.filter((c) => c.agreementId === agreement.id).length).toBe(before);
    expect((await docParties(agreement.id)).map((p) => p.id)).toEqual([ngoOrg.id]);
  });
});
