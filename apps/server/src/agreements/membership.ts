import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, agreements, type MemberRole } from '../db/schema/index.ts';
import { agreementNotFound, forbidden } from '../http/problem.ts';
import { can } from '../policies/index.ts';
import { loadSubject } from '../policies/subject.ts';

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

/** Membership or a 404 (the same 404 whether the agreement does not exist or the caller is not a member). */
export async function requireMembership(db: DbOrTx, agreementId: string, userId: string): Promise<Membership> {
  const m = await getMembership(db, agreementId, userId);
  if (!m) throw agreementNotFound();
  return m;
}

/** The policy action whose rule is "at least this role, in any agreement state". */
const ROLE_FLOOR = { viewer: 'agreement.read', commenter: 'comment.create', editor: 'agreement.archive' } as const;

/**
 * Member + role check in one call: 404 for non-members, 403 for too weak a role. Decided by the
 * policy (policies/); prefer `authorizeOn(db, id, userId, <action>)`, which also knows the lock state.
 * `action` completes "Only editors can …".
 */
export async function requireAgreementRole(
  db: DbOrTx,
  agreementId: string,
  userId: string,
  role: 'editor' | 'commenter' | 'viewer',
  action: string,
): Promise<Membership> {
  const { actor, agreement } = await loadSubject(db, agreementId, userId);
  if (!actor || !agreement) throw agreementNotFound();
  if (!can(actor, ROLE_FLOOR[role], agreement)) {
    const who = role === 'editor' ? 'editors' : 'editors and commenters';
    throw forbidden(`Only ${who} can ${action}; your role on this agreement is ${actor.role}. Ask an editor to change your role.`);
  }
  return actor;
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
