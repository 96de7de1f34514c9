import { and, eq, isNull } from 'drizzle-orm';
import {
  addAttachment,
  addContact,
  addContribution,
  addGoal,
  addParty,
  addSignatory,
  COMPLETE_FIXTURE_TITLE,
  completeFixtureSnapshot,
  listSections,
  setChecklistAnswer,
  setPeriod,
  setSectionBody,
  type AgreementSnapshot,
  type ChecklistKey,
  type PartySnapshot,
} from '@overens/model';
import type * as Y from 'yjs';
import { hashPassword } from './auth/passwords.ts';
import { createAgreement } from './agreements/service.ts';
import { agreementMembers, agreementParties, agreements, organisationMembers, organisations, users } from './db/schema/index.ts';
import type { AppDeps } from './deps.ts';

export interface DemoLogins {
  agreementId: string;
  agreementTitle: string;
  created: boolean;
  users: { label: string; email: string; password: string; organisation: string }[];
}

const PEOPLE = [
  { label: 'idéburen', email: 'ngo@demo.overens.se', password: 'demo-ideburen-2026', name: 'Amira Haddad', partyKind: 'ideburen' as const },
  { label: 'kommun', email: 'kommun@demo.overens.se', password: 'demo-kommun-2026', name: 'Johan Nilsson', partyKind: 'kommun' as const },
];

async function ensureUser(deps: AppDeps, p: (typeof PEOPLE)[number]): Promise<string> {
  const [existing] = await deps.db.select({ id: users.id }).from(users).where(eq(users.email, p.email)).limit(1);
  if (existing) return existing.id;
  // Demo addresses count as verified (nobody reads mail at demo.overens.se).
  const [row] = await deps.db
    .insert(users)
    .values({ email: p.email, name: p.name, passwordHash: await hashPassword(p.password), emailVerifiedAt: new Date() })
    .returning({ id: users.id });
  return row!.id;
}

/** Demo organisations are verified (as if an operator had checked them), also ones seeded before verification existed. */
const DEMO_VERIFIER = 'demo (OVERENS_DEMO)';

async function ensureOrg(deps: AppDeps, userId: string, party: PartySnapshot): Promise<string> {
  const [existing] = await deps.db
    .select({ id: organisations.id, verifiedAt: organisations.verifiedAt })
    .from(organisations)
    .innerJoin(organisationMembers, eq(organisationMembers.organisationId, organisations.id))
    .where(eq(organisationMembers.userId, userId))
    .limit(1);
  if (existing) {
    if (!existing.verifiedAt) {
      await deps.db.update(organisations).set({ verifiedAt: new Date(), verifiedBy: DEMO_VERIFIER }).where(eq(organisations.id, existing.id));
    }
    return existing.id;
  }
  return deps.db.transaction(async (tx) => {
    // One organisation per number: if someone registered the demo's number already, the demo user joins it.
    const [taken] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.orgNumber, party.orgNumber), isNull(organisations.duplicateOf)))
      .limit(1);
    const [row] = taken
      ? [taken]
      : await tx
          .insert(organisations)
          .values({
            name: party.name,
            kind: party.kind,
            orgNumber: party.orgNumber,
            municipalityCode: party.municipalityCode,
            createdBy: userId,
            verifiedAt: new Date(),
            verifiedBy: DEMO_VERIFIER,
          })
          .returning({ id: organisations.id });
    await tx.insert(organisationMembers).values({ organisationId: row!.id, userId, role: taken ? 'member' : 'admin' });
    return row!.id;
  });
}

/**
 * Writes the model's complete fixture (every section, contacts, signatories, goals, contributions,
 * period, checklist, attachments) into a freshly created agreement document, mapping the fixture's
 * party ids to the demo organisations' ids. Uses the typed accessors only.
 */
function fillFromFixture(doc: Y.Doc, fixture: AgreementSnapshot, partyIdMap: Map<string, string>, userIds: Map<string, string>): void {
  const mapParty = (id: string | null) => (id ? (partyIdMap.get(id) ?? id) : null);
  doc.transact(() => {
    const byKey = new Map(fixture.sections.map((s) => [s.key, s]));
    for (const section of listSections(doc)) {
      const source = section.key ? byKey.get(section.key) : undefined;
      if (source) setSectionBody(doc, section.id, source.body);
    }
    for (const party of fixture.parties) {
      const id = mapParty(party.id)!;
      for (const c of party.contacts) addContact(doc, id, { name: c.name, title: c.title, email: c.email, phone: c.phone });
      for (const s of party.signatories) addSignatory(doc, id, { name: s.name, title: s.title, userId: userIds.get(id) ?? null });
    }
    setPeriod(doc, fixture.period);
    for (const g of fixture.goals) {
      const { id: _id, acceptedBy, responsiblePartyId, ...rest } = g;
      addGoal(doc, {
        ...rest,
        responsiblePartyId: mapParty(responsiblePartyId),
        acceptedBy: Object.fromEntries(Object.entries(acceptedBy).map(([k, v]) => [mapParty(k)!, v])),
      });
    }
    for (const c of fixture.contributions) {
      const { id: _id, partyId, ...rest } = c;
      addContribution(doc, { ...rest, partyId: mapParty(partyId) });
    }
    for (const [key, answer] of Object.entries(fixture.checklist)) setChecklistAnswer(doc, key as ChecklistKey, answer);
    for (const a of fixture.attachments) addAttachment(doc, { title: a.title, description: a.description });
  });
}

/**
 * OVERENS_DEMO=1: an NGO user and a kommun user sharing a sample agreement filled with the model's
 * complete fixture (it validates without errors). Idempotent: a second start reuses what exists.
 * Both users are editors and signatories of their party.
 */
export async function seedDemo(deps: AppDeps): Promise<DemoLogins> {
  const { db, sync, logger } = deps;
  const fixture = completeFixtureSnapshot();
  const partyFor = (kind: 'ideburen' | 'kommun') => fixture.parties.find((p) => p.kind === kind)!;
  const [ngoPerson, kommunPerson] = PEOPLE as [(typeof PEOPLE)[0], (typeof PEOPLE)[1]];
  const ngoUser = await ensureUser(deps, ngoPerson);
  const kommunUser = await ensureUser(deps, kommunPerson);
  const ngoParty = partyFor('ideburen');
  const kommunParty = partyFor('kommun');
  const ngoOrg = await ensureOrg(deps, ngoUser, ngoParty);
  const kommunOrg = await ensureOrg(deps, kommunUser, kommunParty);

  const [existing] = await db
    .select({ id: agreements.id })
    .from(agreements)
    .innerJoin(agreementMembers, eq(agreementMembers.agreementId, agreements.id))
    .where(eq(agreementMembers.userId, ngoUser))
    .limit(1);
  let agreementId = existing?.id;
  const created = !agreementId;
  if (!agreementId) {
    const id = (await createAgreement(db, ngoUser, { title: COMPLETE_FIXTURE_TITLE, organisationId: ngoOrg })).id;
    agreementId = id;
    await db.transaction(async (tx) => {
      await tx.insert(agreementParties).values({ agreementId: id, organisationId: kommunOrg, position: 1 });
      await tx.insert(agreementMembers).values({ agreementId: id, userId: kommunUser, partyId: kommunOrg, role: 'editor', signatory: true });
      await tx.update(agreementMembers).set({ signatory: true }).where(eq(agreementMembers.agreementId, id));
    });
    await sync.withDocument(
      id,
      (doc) => {
        addParty(doc, { id: kommunOrg, name: kommunParty.name, kind: 'kommun', orgNumber: kommunParty.orgNumber, municipalityCode: kommunParty.municipalityCode });
        fillFromFixture(
          doc,
          fixture,
          new Map([
            [ngoParty.id, ngoOrg],
            [kommunParty.id, kommunOrg],
          ]),
          new Map([
            [ngoOrg, ngoUser],
            [kommunOrg, kommunUser],
          ]),
        );
      },
      'server:demo',
    );
    logger.info({ agreementId }, 'demo agreement created');
  }
  return {
    agreementId,
    agreementTitle: COMPLETE_FIXTURE_TITLE,
    created,
    users: [
      { ...ngoPerson, organisation: ngoParty.name },
      { ...kommunPerson, organisation: kommunParty.name },
    ].map((u) => ({ label: u.label, email: u.email, password: u.password, organisation: u.organisation })),
  };
}
