/** Read models of organisations: the user's own, one in detail, the operator's list, and parties' verification. */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { agreementParties, organisationDomains, organisationJoinRequests, organisationMembers, organisations, users } from '../db/schema/index.ts';

type OrgRow = typeof organisations.$inferSelect;

export interface DomainDto {
  domain: string;
  verified: boolean;
}

export function organisationJson(org: OrgRow) {
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    orgNumber: org.orgNumber,
    municipalityCode: org.municipalityCode,
    verified: org.verifiedAt !== null,
    verifiedAt: org.verifiedAt?.toISOString() ?? null,
    duplicateOf: org.duplicateOf,
    createdAt: org.createdAt.toISOString(),
  };
}

async function domainsOf(db: DbOrTx, ids: string[]): Promise<Map<string, DomainDto[]>> {
  const out = new Map<string, DomainDto[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ organisationId: organisationDomains.organisationId, domain: organisationDomains.domain, verifiedAt: organisationDomains.verifiedAt })
    .from(organisationDomains)
    .where(inArray(organisationDomains.organisationId, ids))
    .orderBy(asc(organisationDomains.domain));
  for (const r of rows) out.set(r.organisationId, [...(out.get(r.organisationId) ?? []), { domain: r.domain, verified: r.verifiedAt !== null }]);
  return out;
}

/** The organisations the user is a member of, with their role, domains and (for administrators) the number of pending requests. */
export async function myOrganisations(db: DbOrTx, userId: string) {
  const rows = await db
    .select({ org: organisations, role: organisationMembers.role })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(desc(organisations.createdAt));
  const ids = rows.map((r) => r.org.id);
  const domains = await domainsOf(db, ids);
  const pending = ids.length
    ? await db
        .select({ organisationId: organisationJoinRequests.organisationId, n: sql<number>`count(*)::int` })
        .from(organisationJoinRequests)
        .where(and(inArray(organisationJoinRequests.organisationId, ids), eq(organisationJoinRequests.status, 'pending')))
        .groupBy(organisationJoinRequests.organisationId)
    : [];
  return rows.map((r) => ({
    ...organisationJson(r.org),
    role: r.role,
    domains: domains.get(r.org.id) ?? [],
    pendingRequests: r.role === 'admin' ? (pending.find((p) => p.organisationId === r.org.id)?.n ?? 0) : 0,
  }));
}

/** Members and (for administrators) pending requests of one organisation. */
export async function organisationMembersAndRequests(db: DbOrTx, organisationId: string, includeRequests: boolean) {
  const members = await db
    .select({ userId: users.id, name: users.name, email: users.email, role: organisationMembers.role })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(eq(organisationMembers.organisationId, organisationId))
    .orderBy(asc(organisationMembers.createdAt));
  const requests = includeRequests
    ? await db
        .select({ id: organisationJoinRequests.id, userId: users.id, name: users.name, email: users.email, createdAt: organisationJoinRequests.createdAt })
        .from(organisationJoinRequests)
        .innerJoin(users, eq(users.id, organisationJoinRequests.userId))
        .where(and(eq(organisationJoinRequests.organisationId, organisationId), eq(organisationJoinRequests.status, 'pending')))
        .orderBy(asc(organisationJoinRequests.createdAt))
    : [];
  return { members, requests: requests.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
}

/** The user's own pending requests (to show "request sent"). */
export async function myJoinRequests(db: DbOrTx, userId: string) {
  const rows = await db
    .select({ id: organisationJoinRequests.id, organisationId: organisations.id, name: organisations.name, orgNumber: organisations.orgNumber, createdAt: organisationJoinRequests.createdAt })
    .from(organisationJoinRequests)
    .innerJoin(organisations, eq(organisations.id, organisationJoinRequests.organisationId))
    .where(and(eq(organisationJoinRequests.userId, userId), eq(organisationJoinRequests.status, 'pending')))
    .orderBy(desc(organisationJoinRequests.createdAt));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Every organisation, for the operator's admin page: number, type, members, domains, verification state. */
export async function allOrganisations(db: DbOrTx) {
  const rows = await db.select().from(organisations).orderBy(asc(organisations.name), asc(organisations.createdAt));
  const ids = rows.map((r) => r.id);
  const domains = await domainsOf(db, ids);
  const members = ids.length
    ? await db
        .select({ organisationId: organisationMembers.organisationId, name: users.name, email: users.email, role: organisationMembers.role })
        .from(organisationMembers)
        .innerJoin(users, eq(users.id, organisationMembers.userId))
        .where(inArray(organisationMembers.organisationId, ids))
        .orderBy(asc(organisationMembers.createdAt))
    : [];
  return rows.map((o) => ({
    ...organisationJson(o),
    domains: domains.get(o.id) ?? [],
    members: members.filter((m) => m.organisationId === o.id).map(({ name, email, role }) => ({ name, email, role })),
  }));
}

/** The agreement's parties with their verification state (the signing gate's input). */
export async function partiesWithVerification(db: DbOrTx, agreementId: string) {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind, verifiedAt: organisations.verifiedAt })
    .from(agreementParties)
    .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
    .where(eq(agreementParties.agreementId, agreementId))
    .orderBy(asc(agreementParties.position));
  return rows.map(({ verifiedAt, ...p }) => ({ ...p, verified: verifiedAt !== null }));
}
