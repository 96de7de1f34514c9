import { eq } from 'drizzle-orm';
import * as model from '@overens/model';
import type * as Y from 'yjs';
import { hashPassword } from './auth/passwords.ts';
import { createAgreement } from './agreements/service.ts';
import { agreementMembers, agreementParties, agreements, organisationMembers, organisations, users } from './db/schema/index.ts';
import type { AppDeps } from './deps.ts';

export interface DemoLogins {
  agreementId: string;
  agreementTitle: string;
  users: { label: string; email: string; password: string }[];
}

const AGREEMENT_TITLE = 'IOP Mötesplats för unga – Exempelföreningen och Stockholms stad';

const NGO = {
  label: 'idéburen',
  email: 'ngo@demo.overens.se',
  password: 'demo-ideburen-2026',
  name: 'Nora Idéburen',
  org: { name: 'Exempelföreningen för unga', kind: 'ideburen' as const, orgNumber: '802002-4280', municipalityCode: null },
};
const KOMMUN = {
  label: 'kommun',
  email: 'kommun@demo.overens.se',
  password: 'demo-kommun-2026',
  name: 'Karl Kommun',
  org: { name: 'Stockholms stad', kind: 'kommun' as const, orgNumber: '212000-0142', municipalityCode: '0180' },
};

async function ensureUser(deps: AppDeps, u: typeof NGO | typeof KOMMUN) {
  const { db } = deps;
  const [existing] = await db.select().from(users).where(eq(users.email, u.email)).limit(1);
  if (existing) return { userId: existing.id, created: false };
  const [row] = await db
    .insert(users)
    .values({ email: u.email, name: u.name, passwordHash: await hashPassword(u.password) })
    .returning({ id: users.id });
  return { userId: row!.id, created: true };
}

async function ensureOrg(deps: AppDeps, userId: string, org: (typeof NGO)['org'] | (typeof KOMMUN)['org']) {
  const { db } = deps;
  const [existing] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .innerJoin(organisationMembers, eq(organisationMembers.organisationId, organisations.id))
    .where(eq(organisationMembers.userId, userId))
    .limit(1);
  if (existing) return existing.id;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(organisations).values({ ...org, createdBy: userId }).returning({ id: organisations.id });
    await tx.insert(organisationMembers).values({ organisationId: row!.id, userId, role: 'admin' });
    return row!.id;
  });
}

/**
 * OVERENS_DEMO=1: an NGO user and a kommun user sharing a sample agreement (idempotent: a second start
 * with the same data reuses them). Both are editors and signatories of their party. When the model
 * package exports a complete fixture (`fillDemoAgreement` / `populateCompleteFixture`), the document
 * gets its content; otherwise it starts from the standard template.
 */
export async function seedDemo(deps: AppDeps): Promise<DemoLogins> {
  const { db, sync, logger } = deps;
  const ngo = await ensureUser(deps, NGO);
  const kommun = await ensureUser(deps, KOMMUN);
  const ngoOrg = await ensureOrg(deps, ngo.userId, NGO.org);
  const kommunOrg = await ensureOrg(deps, kommun.userId, KOMMUN.org);

  const [existing] = await db
    .select({ id: agreements.id })
    .from(agreements)
    .innerJoin(agreementMembers, eq(agreementMembers.agreementId, agreements.id))
    .where(eq(agreementMembers.userId, ngo.userId))
    .limit(1);
  let agreementId = existing?.id;
  if (!agreementId) {
    agreementId = (await createAgreement(db, ngo.userId, { title: AGREEMENT_TITLE, organisationId: ngoOrg })).id;
    await db.transaction(async (tx) => {
      await tx.insert(agreementParties).values({ agreementId: agreementId!, organisationId: kommunOrg, position: 1 });
      await tx.insert(agreementMembers).values({ agreementId: agreementId!, userId: kommun.userId, partyId: kommunOrg, role: 'editor', signatory: true });
      await tx.update(agreementMembers).set({ signatory: true }).where(eq(agreementMembers.userId, ngo.userId));
    });
    const parties = [
      { id: ngoOrg, ...NGO.org, person: NGO, userId: ngo.userId },
      { id: kommunOrg, ...KOMMUN.org, person: KOMMUN, userId: kommun.userId },
    ];
    await sync.withDocument(
      agreementId,
      (doc: Y.Doc) => {
        model.addParty(doc, { id: kommunOrg, ...KOMMUN.org });
        const fill = (model as unknown as Record<string, unknown>).fillDemoAgreement ?? (model as unknown as Record<string, unknown>).populateCompleteFixture;
        if (typeof fill === 'function') {
          (fill as (doc: Y.Doc, opts: unknown) => void)(doc, { parties: parties.map((p) => ({ id: p.id, kind: p.kind, name: p.name })) });
        } else {
          for (const p of parties) {
            model.addContact(doc, p.id, { name: p.person.name, title: 'Samordnare', email: p.person.email, phone: '08-123 456 78' });
            model.addSignatory(doc, p.id, { name: p.person.name, title: 'Firmatecknare', userId: p.userId });
          }
        }
      },
      'server:demo',
    );
    logger.info({ agreementId }, 'demo agreement created');
  }
  return {
    agreementId,
    agreementTitle: AGREEMENT_TITLE,
    users: [NGO, KOMMUN].map((u) => ({ label: u.label, email: u.email, password: u.password })),
  };
}
