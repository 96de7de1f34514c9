import { abilities } from '../policies/index.ts';
import { finalVersionChains, revisionOf, type FinalVersionChainItem } from '../commands/revisions.ts';
import { and, asc, eq, sql } from 'drizzle-orm';
import { createInitialDocumentState } from '@overens/model';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import {
  agreementMembers,
  agreementParties,
  agreements,
  finalVersions,
  organisations,
  users,
  type MemberRole,
} from '../db/schema/index.ts';
import { invalidFieldError } from '../domain/errors.ts';
import { requireOrganisationMember } from '../organisations/service.ts';
import { storeInitialState } from '../sync/persistence.ts';
import { canUseTemplate, loadTemplate, standardTemplate } from '../templates/service.ts';
import type { Membership } from './membership.ts';

export interface CreateAgreementInput {
  title: string;
  organisationId: string;
  templateId?: string;
}

/**
 * Creates an agreement in ONE transaction (the command commands/agreements.ts adds its audit row; the
 * demo seed calls this directly): see `insertAgreement`.
 */
export async function createAgreement(db: Db, userId: string, input: CreateAgreementInput): Promise<{ id: string }> {
  return db.transaction((tx) => insertAgreement(tx, userId, input));
}

/**
 * Inside the caller's transaction: the row, the creator's organisation as first party, the creator as
 * member (role editor, signatory false: being the person who drafts is not the same as being
 * authorised to sign; they set their own flag later via PATCH …/members/:userId), and the initial Yjs
 * document state (exactly once: storeInitialState fails on a second call).
 */
export async function insertAgreement(tx: Tx, userId: string, input: CreateAgreementInput): Promise<{ id: string; templateId: string; templateVersion: number; partyId: string }> {
  {
    const { org } = await requireOrganisationMember(tx, input.organisationId, userId, 'organisationId');
    let resolved = standardTemplate();
    if (input.templateId !== undefined) {
      const t = await loadTemplate(tx, input.templateId);
      if (!t || !(await canUseTemplate(tx, t, userId))) {
        throw invalidFieldError(
          'templateId',
          'is not a template you can use: pick one from GET /api/templates (or omit it for the standard IOP template)',
        );
      }
      resolved = t;
    }
    const [agreement] = await tx
      .insert(agreements)
      .values({
        title: input.title,
        templateId: resolved.id,
        templateVersion: resolved.version,
        createdBy: userId,
      })
      .returning({ id: agreements.id });
    if (!agreement) throw new Error('insert returned no row');
    await tx.insert(agreementParties).values({ agreementId: agreement.id, organisationId: org.id, position: 0 });
    await tx.insert(agreementMembers).values({
      agreementId: agreement.id,
      userId,
      partyId: org.id,
      role: 'editor',
      signatory: false,
    });
    const update = createInitialDocumentState({
      template: resolved.template,
      templateId: resolved.id,
      templateVersion: resolved.version,
      parties: [
        {
          id: org.id,
          name: org.name,
          kind: org.kind,
          orgNumber: org.orgNumber,
          municipalityCode: org.municipalityCode,
        },
      ],
    });
    await storeInitialState(tx, agreement.id, update);
    return { id: agreement.id, templateId: resolved.id, templateVersion: resolved.version, partyId: org.id };
  }
}

export async function listParties(db: DbOrTx, agreementId: string) {
  return db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      orgNumber: organisations.orgNumber,
      municipalityCode: organisations.municipalityCode,
      verified: sql<boolean>`${organisations.verifiedAt} is not null`,
    })
    .from(agreementParties)
    .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
    .where(eq(agreementParties.agreementId, agreementId))
    .orderBy(asc(agreementParties.position));
}

export async function listMembers(db: DbOrTx, agreementId: string) {
  return db
    .select({
      userId: agreementMembers.userId,
      name: users.name,
      email: users.email,
      title: users.title,
      role: agreementMembers.role,
      signatory: agreementMembers.signatory,
      partyId: agreementMembers.partyId,
      joinedAt: agreementMembers.createdAt,
    })
    .from(agreementMembers)
    .innerJoin(users, eq(users.id, agreementMembers.userId))
    .where(eq(agreementMembers.agreementId, agreementId))
    .orderBy(asc(agreementMembers.createdAt));
}

export type MemberJson = {
  userId: string;
  name: string;
  email: string;
  /** Befattning from the account (printed when they sign). */
  title: string;
  role: MemberRole;
  signatory: boolean;
  partyId: string;
  joinedAt: string;
};

export function memberJson(m: Awaited<ReturnType<typeof listMembers>>[number]): MemberJson {
  return { ...m, joinedAt: m.joinedAt.toISOString() };
}

type AgreementRow = typeof agreements.$inferSelect;

export function agreementSummaryJson(a: AgreementRow, me: Pick<Membership, 'role' | 'signatory' | 'partyId'>, chain: FinalVersionChainItem[] = []) {
  return {
    id: a.id,
    title: a.title,
    status: a.status,
    archived: a.archivedAt !== null,
    archivedAt: a.archivedAt?.toISOString() ?? null,
    templateId: a.templateId,
    templateVersion: a.templateVersion,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    role: me.role,
    signatory: me.signatory,
    partyId: me.partyId,
    /** An amendment or renewal being drafted (issue 17), and the signed final versions in force. */
    revision: revisionOf(a),
    finalVersions: chain,
  };
}

/** Full detail of an agreement for a member. */
export async function agreementDetail(db: DbOrTx, a: AgreementRow, me: Membership) {
  const [parties, members, chains] = await Promise.all([listParties(db, a.id), listMembers(db, a.id), finalVersionChains(db, [a.id])]);
  let finalVersion: number | null = null;
  if (a.finalVersionId) {
    const [fv] = await db
      .select({ number: finalVersions.number })
      .from(finalVersions)
      .where(and(eq(finalVersions.agreementId, a.id), eq(finalVersions.versionId, a.finalVersionId)))
      .limit(1);
    finalVersion = fv?.number ?? null;
  }
  return {
    ...agreementSummaryJson(a, me, chains.get(a.id)),
    finalVersionId: a.finalVersionId,
    /** Number N of "final version N" while locked, else null. */
    finalVersion,
    parties,
    members: members.map(memberJson),
    me: { userId: me.userId, role: me.role, signatory: me.signatory, partyId: me.partyId },
    /** What the caller may do here (from the policy); the UI enables and disables by it, never re-deriving rules. */
    policies: abilities(me, a),
  };
}
