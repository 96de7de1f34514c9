import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, agreements, type MemberRole } from '../db/schema/index.ts';
import { agreementNotFound, forbidden } from '../http/problem.ts';

export interface Membership {
  agreementId: string;
  userId: string;
  role: MemberRole;
  signatory: boolean;
  /** The organisation (party) this member represents. */
  partyId: string;
}

/** The user's membership of the agreement, or null (not a member, or no such agreement). */
export async function getMembership(db: DbOrTx, agreementId: string, userId: string): Promise<Membership | null> {
  const [row] = await db
    .select({
      agreementId: agreementMembers.agreementId,
      userId: agreementMembers.userId,
      role: agreementMembers.role,
      signatory: agreementMembers.signatory,
      partyId: agreementMembers.partyId,
    })
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

export const canEdit = (role: MemberRole) => role === 'editor';
export const canComment = (role: MemberRole) => role === 'editor' || role === 'commenter';

/** 403 unless the member has (at least) `role`. `action` completes "Only editors can …". */
export function requireRole(m: Membership, role: 'editor' | 'commenter', action: string): void {
  const ok = role === 'editor' ? canEdit(m.role) : canComment(m.role);
  if (!ok) {
    const who = role === 'editor' ? 'editors' : 'editors and commenters';
    throw forbidden(`Only ${who} can ${action}; your role on this agreement is ${m.role}. Ask an editor to change your role.`);
  }
}

/** Member + role check in one call: 404 for non-members, 403 for too weak a role. */
export async function requireAgreementRole(
  db: DbOrTx,
  agreementId: string,
  userId: string,
  role: 'editor' | 'commenter' | 'viewer',
  action: string,
): Promise<Membership> {
  const m = await requireMembership(db, agreementId, userId);
  if (role !== 'viewer') requireRole(m, role, action);
  return m;
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
