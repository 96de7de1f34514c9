/**
 * Loads what the rules look at (the caller's membership and the agreement) in one query and asks
 * them. Routes call `authorizeOn` first thing; commands load inside their transaction instead.
 */
import { and, eq } from 'drizzle-orm';
import { membershipColumns, type Membership } from '../agreements/membership.ts';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, agreements } from '../db/schema/index.ts';
import { authorize, type Action, type Target } from './index.ts';

export type AgreementRow = typeof agreements.$inferSelect;

export interface Subject {
  actor: Membership;
  agreement: AgreementRow;
}

/** The caller's membership and the agreement row; both null unless the caller is a member. */
export async function loadSubject(db: DbOrTx, agreementId: string, userId: string): Promise<{ actor: Membership | null; agreement: AgreementRow | null }> {
  const [row] = await db
    .select({ agreement: agreements, actor: membershipColumns })
    .from(agreementMembers)
    .innerJoin(agreements, eq(agreements.id, agreementMembers.agreementId))
    .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.userId, userId)))
    .limit(1);
  return { actor: row?.actor ?? null, agreement: row?.agreement ?? null };
}

/** The caller's membership and the agreement, after `authorize(actor, action, agreement, target)`. */
export async function authorizeOn(db: DbOrTx, agreementId: string, userId: string, action: Action, target?: Target): Promise<Subject> {
  const { actor, agreement } = await loadSubject(db, agreementId, userId);
  authorize(actor, action, agreement, target);
  return { actor, agreement: agreement! };
}
