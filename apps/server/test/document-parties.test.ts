/**
 * A party the database has but the document lacks (the post-commit step of accepting a new-party
 * invitation failed) is put back by the outbox, which retries that step until it is done, exactly
 * once. Opening the agreement (GET) never writes to the document.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listParties as listDocParties, removeParty, updateParty } from '@overens/model';
import { PARTIES_ORIGIN } from '../src/outbox/dispatcher.ts';
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
  // The outbox's origin as written, or as the hub hands it to listeners (a server origin, reason reconcile).
  const isPartiesOrigin = (o: unknown) =>
    o === PARTIES_ORIGIN || (typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'server' && (o as { reason?: unknown }).reason === 'reconcile');
  const repairs = (agreementId: string) => changes.filter((c) => c.agreementId === agreementId && isPartiesOrigin(c.origin)).length;

  /** Runs the dispatcher until `done` (a failed delivery is due again after its backoff). */
  const untilDelivered = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 400 && !(await done()); i++) {
      await t.deps.outbox.drain();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await done()).toBe(true);
  };

  it('the document could not be loaded after the commit: the outbox retries until the party is in, once; opening writes nothing', async () => {
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
    // The gap: the database has the party, the document does not; opening it does not write.
    expect((await open(ngo, agreement.id)).parties.map((p) => p.id)).toEqual([ngoOrg.id, kommunOrg.id]);
    expect(repairs(agreement.id)).toBe(0);

    // The outbox row is still pending and is delivered on a later attempt; opens change nothing more.
    await untilDelivered(async () => (await docParties(agreement.id)).length === 2);
    await open(kommun, agreement.id);
    await open(ngo, agreement.id);
    await t.deps.outbox.drain();
    const parties = await docParties(agreement.id);
    expect(parties.map((p) => p.id)).toEqual([ngoOrg.id, kommunOrg.id]);
    expect(parties[1]).toMatchObject({ name: 'Kommunen B', kind: 'kommun', orgNumber: kommunOrg.orgNumber, municipalityCode: '0180' });
    expect(repairs(agreement.id)).toBe(1);
  });

  it('opening an agreement whose document lacks a party does not write to it (no GET writes)', async () => {
    const agreement = await createAgreement(t, ngo.cookie, { organisationId: ngoOrg.id, title: 'Already affected' });
    const region = await registerUser(t, { name: 'region' });
    const regionOrg = await createOrganisation(t, region.cookie, { kind: 'region', name: 'Region C' });
    await inviteAndAccept(t, ngo.cookie, agreement.id, region.cookie, { role: 'editor', newParty: true }, { organisationId: regionOrg.id });
    expect((await docParties(agreement.id)).map((p) => p.id)).toEqual([ngoOrg.id, regionOrg.id]);

    await t.deps.sync.withDocument(agreement.id, (doc) => {
      removeParty(doc, regionOrg.id);
      updateParty(doc, ngoOrg.id, { name: 'Föreningen A (ideell förening)' });
    });
    const before = changes.filter((c) => c.agreementId === agreement.id).length;
    for (let i = 0; i < 3; i++) await open(i % 2 ? region : ngo, agreement.id);
    expect(changes.filter((c) => c.agreementId === agreement.id).length).toBe(before);
    expect((await docParties(agreement.id)).map((p) => p.id)).toEqual([ngoOrg.id]);
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
