import Organisationsnummer from 'organisationsnummer';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { organisationMembers, organisations, type OrganisationKind } from '../db/schema/index.ts';
import { forbidden, invalidField, notFound } from '../http/problem.ts';
import type { ReferenceData } from '../reference.ts';

/** Normalises a Swedish organisation number to NNNNNN-NNNN, or returns null when it is not valid (form + Luhn). */
export function normaliseOrgNumber(input: string): string | null {
  const trimmed = input.trim();
  try {
    if (!Organisationsnummer.valid(trimmed)) return null;
    return Organisationsnummer.parse(trimmed).format(true);
  } catch {
    return null;
  }
}

/** Error message for an unknown/malformed municipality code, or null when fine. */
export function checkMunicipalityCode(
  kind: OrganisationKind,
  code: string | undefined | null,
  ref: ReferenceData,
): string | null {
  if (kind === 'ideburen') {
    return code ? 'only a kommun or a region has a municipality code: remove it for an idéburen organisation' : null;
  }
  if (kind === 'kommun') {
    if (!code) return 'is required for a kommun: the 4-digit SCB municipality code (see GET /api/reference/municipalities), e.g. 0180 for Stockholm';
    if (!/^\d{4}$/.test(code)) return 'must be the 4-digit SCB municipality code, e.g. 0180 for Stockholm';
    if (!ref.municipalityByCode.has(code)) return `no municipality has the code ${code}: pick one from GET /api/reference/municipalities`;
    return null;
  }
  if (!code) return 'is required for a region: the 2-digit SCB county code (see GET /api/reference/regions), e.g. 01 for Stockholm';
  if (!/^\d{2}$/.test(code)) return 'must be the 2-digit SCB county code, e.g. 01 for Region Stockholm';
  if (!ref.regionByCode.has(code)) return `no region has the code ${code}: pick one from GET /api/reference/regions`;
  return null;
}

export async function getOrganisationRole(db: DbOrTx, organisationId: string, userId: string) {
  const [row] = await db
    .select({ role: organisationMembers.role })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)))
    .limit(1);
  return row?.role ?? null;
}

/** The organisation row if `userId` is a member of it; 404 otherwise (same answer for both). */
export async function requireOrganisationMember(db: DbOrTx, organisationId: string, userId: string, field?: string) {
  const [row] = await db
    .select({ org: organisations, role: organisationMembers.role })
    .from(organisations)
    .innerJoin(organisationMembers, eq(organisationMembers.organisationId, organisations.id))
    .where(and(eq(organisations.id, organisationId), eq(organisationMembers.userId, userId)))
    .limit(1);
  if (!row) {
    const message = 'is not an organisation you are a member of: create it (POST /api/organisations) or pick one from GET /api/organisations';
    if (field) throw invalidField(field, message);
    throw notFound(`No organisation with this id exists, or you are not a member of it.`);
  }
  return row;
}

export async function requireOrganisationAdmin(db: DbOrTx, organisationId: string, userId: string) {
  const row = await requireOrganisationMember(db, organisationId, userId);
  if (row.role !== 'admin') throw forbidden('Only an admin of this organisation can do this.');
  return row;
}
