import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, agreements, type MemberRole } from '../db/schema/index.ts';

export interface Membership {
  agreementId: string;
  userId: string;
  role: MemberRole;
  signatory: boolean;
  /** The organisation (party) this member represents. */
  partyId: string;
}

/** The columns of a `Membership` (also selected beside the agreement row by the policy's loadSubject). */
export const membershipColumns = {
  agreementId: agreementMembers.agreementId,
  userId: agreementMembers.userId,
  role: agreementMembers.role,
  signatory: agreementMembers.signatory,
  partyId: agreementMembers.partyId,
};

/** The user's membership of the agreement, or null (not a member, or no such agreement). */
export async function getMembership(db: DbOrTx, agreementId: string, userId: string): Promise<Membership | null> {
  const [row] = await db
    .select(membershipColumns)
    .from(agreementMembers)
    .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.userId, userId)))
    .limit(1);
  return row ?? null;
}

/** The agreement row (no access check). */
export async function getAgreementRow(db: DbOrTx, agreementId: string) {
  const [row] = await db.select().from(agreements).where(eq(agreements.id, agreementId)).limit(1);
  return row ?? null;
}

/** User ids of every member (e.g. to notify or re-check live sockets). */
export async function listMemberIds(db: DbOrTx, agreementId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: agreementMembers.userId })
    .from(agreementMembers)
    .where(eq(agreementMembers.agreementId, agreementId));
  return rows.map((r) => r.userId);
}
