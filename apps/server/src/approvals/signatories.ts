/**
 * Signatories are people: a party's firmatecknare are the agreement's members of that party with the
 * signatory flag, printed with their name and title (users.title). The document carries them as the
 * party's signatory rows with a userId, so the approved hash covers who signs and the exports print
 * them; free-text rows stay as the fallback (marked as missing) for a party without a signatory member.
 *
 * Member commands call reconcileSignatories after their commit. Only drafts are touched: a locked final
 * version keeps the signatories it was approved with.
 */
import { reconcileSignatoryMembers, type SignatoryMember } from '@overens/model';
import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, agreementParties, agreements, users } from '../db/schema/index.ts';
import type { Logger } from '../logger.ts';
import type { SyncHub } from '../sync/hub-contract.ts';

/** Origin of the document changes this makes (a server change, not a user's edit). */
export const RECONCILE_SIGNATORIES_ORIGIN = 'server:reconcile-signatories';

/** partyId → its signatory members (in the order they joined), for every party of the agreement. */
export async function signatoryMembers(db: DbOrTx, agreementId: string): Promise<Record<string, Array<SignatoryMember & { email: string }>>> {
  const parties = await db
    .select({ id: agreementParties.organisationId })
    .from(agreementParties)
    .where(eq(agreementParties.agreementId, agreementId))
    .orderBy(asc(agreementParties.position));
  const rows = await db
    .select({ userId: users.id, name: users.name, title: users.title, email: users.email, partyId: agreementMembers.partyId })
    .from(agreementMembers)
    .innerJoin(users, eq(users.id, agreementMembers.userId))
    .where(and(eq(agreementMembers.agreementId, agreementId), eq(agreementMembers.signatory, true)))
    .orderBy(asc(agreementMembers.createdAt));
  const out: Record<string, Array<SignatoryMember & { email: string }>> = {};
  for (const p of parties) out[p.id] = [];
  for (const r of rows) (out[r.partyId] ??= []).push({ userId: r.userId, name: r.name, title: r.title, email: r.email });
  return out;
}

/**
 * Writes the signatory members into the live document of a draft agreement (nothing when in line).
 * Never throws: a failure is logged, and the next member change tries again.
 */
export async function reconcileSignatories(deps: { db: DbOrTx; sync: Pick<SyncHub, 'withDocument'>; logger?: Logger }, agreementId: string): Promise<boolean> {
  try {
    const [agreement] = await deps.db.select({ status: agreements.status }).from(agreements).where(eq(agreements.id, agreementId));
    if (!agreement || agreement.status !== 'draft') return false;
    const byParty = await signatoryMembers(deps.db, agreementId);
    const plain = Object.fromEntries(Object.entries(byParty).map(([k, v]) => [k, v.map(({ userId, name, title }) => ({ userId, name, title }))]));
    let changed = false;
    await deps.sync.withDocument(agreementId, (doc) => {
      changed = reconcileSignatoryMembers(doc, plain);
    }, RECONCILE_SIGNATORIES_ORIGIN);
    return changed;
  } catch (err) {
    deps.logger?.error({ err, agreementId }, 'could not bring the signatories of the document in line with the signatory members');
    return false;
  }
}

/** After a user's name or title changed: every draft agreement where they sign. */
export async function reconcileSignatoriesOfUser(deps: { db: DbOrTx; sync: Pick<SyncHub, 'withDocument'>; logger?: Logger }, userId: string): Promise<void> {
  const rows = await deps.db
    .select({ agreementId: agreementMembers.agreementId })
    .from(agreementMembers)
    .innerJoin(agreements, eq(agreements.id, agreementMembers.agreementId))
    .where(and(eq(agreementMembers.userId, userId), eq(agreementMembers.signatory, true), eq(agreements.status, 'draft')));
  for (const r of rows) await reconcileSignatories(deps, r.agreementId);
}
