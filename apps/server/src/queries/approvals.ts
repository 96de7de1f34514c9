/** Read models of approvals and final versions (GET …/approvals, …/final-versions, export). */
import type { ApprovalPayload, FinalVersionPayload } from '@overens/contracts';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { getAgreementRow } from '../agreements/membership.ts';
import { currentContent } from '../approvals/content.ts';
import { openItems, type OpenItems } from '../approvals/open-items.ts';
import { signatoryMembers } from '../approvals/signatories.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { agreementParties, approvals, finalVersions, organisations } from '../db/schema/index.ts';
import { agreementNotFoundError as agreementNotFound } from '../domain/errors.ts';
import type { SyncHub } from '../sync/hub-contract.ts';


/** The wire shapes are the contract's (the event stream carries the same payloads). */
export type ApprovalDto = ApprovalPayload;
export type FinalVersionDto = FinalVersionPayload;

export interface ApprovalState {
  status: 'draft' | 'locked';
  finalVersion: FinalVersionDto | null;
  /** Active approvals (not voided). */
  approvals: ApprovalDto[];
  /** The most recent voided approvals, newest first (for the "approval voided because …" notice). */
  voided: ApprovalDto[];
  /** Parties without an active approval of the current hash. */
  waitingFor: Array<{ partyId: string; name: string }>;
  currentHash: string;
  /** What is still open before approving (the confirmation dialog lists it; sections and errors block). */
  open: OpenItems;
  /** Per party: who signs (members with the signatory flag, name and title) and whether they approved the current text. */
  signatories: PartySignatories[];
}

export interface PartySignatories {
  partyId: string;
  name: string;
  people: Array<{ userId: string; name: string; title: string; approved: boolean }>;
  /** Free-text firmatecknare from the document, shown (as missing) only while the party has no signatory member. */
  fallback: string[];
}

function toApprovalDto(r: typeof approvals.$inferSelect & { partyName: string | null }): ApprovalDto {
  return {
    id: r.id,
    userId: r.userId,
    userName: r.userName,
    partyId: r.partyId,
    partyName: r.partyName ?? '',
    hash: r.hash,
    createdAt: r.createdAt.toISOString(),
    voided: r.voidedAt
      ? {
          at: r.voidedAt.toISOString(),
          reason: r.voidReason ?? 'changed',
          by: r.voidedById ? { id: r.voidedById, name: r.voidedByName ?? '' } : null,
          change: r.voidedChange ?? null,
        }
      : null,
  };
}

export function toFinalDto(r: typeof finalVersions.$inferSelect): FinalVersionDto {
  return {
    id: r.id,
    number: r.number,
    hash: r.hash,
    versionId: r.versionId,
    lockedAt: r.lockedAt.toISOString(),
    unlocked: r.unlockedAt
      ? { at: r.unlockedAt.toISOString(), by: r.unlockedById ? { id: r.unlockedById, name: r.unlockedByName ?? '' } : null, reason: r.unlockReason ?? '' }
      : null,
  };
}

export async function approvalRows(db: DbOrTx, agreementId: string, active: boolean) {
  return db
    .select({ a: approvals, partyName: organisations.name })
    .from(approvals)
    .leftJoin(organisations, eq(organisations.id, approvals.partyId))
    .where(and(eq(approvals.agreementId, agreementId), active ? isNull(approvals.voidedAt) : undefined))
    .orderBy(active ? asc(approvals.createdAt) : desc(approvals.voidedAt))
    .then((rows) => rows.filter((r) => active || r.a.voidedAt !== null).map((r) => toApprovalDto({ ...r.a, partyName: r.partyName })));
}

export async function partiesOf(db: Db, agreementId: string): Promise<Array<{ partyId: string; name: string }>> {
  return db
    .select({ partyId: agreementParties.organisationId, name: organisations.name })
    .from(agreementParties)
    .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
    .where(eq(agreementParties.agreementId, agreementId))
    .orderBy(asc(agreementParties.position));
}

export async function finalVersionById(db: Db, agreementId: string, id: string): Promise<FinalVersionDto | null> {
  const [row] = await db
    .select()
    .from(finalVersions)
    .where(and(eq(finalVersions.agreementId, agreementId), eq(finalVersions.id, id)));
  return row ? toFinalDto(row) : null;
}

/** The final version stored as agreement_versions row `versionId`, if that version is a final one. */
export async function finalVersionByVersionId(db: Db, agreementId: string, versionId: string): Promise<FinalVersionDto | null> {
  const [row] = await db
    .select()
    .from(finalVersions)
    .where(and(eq(finalVersions.agreementId, agreementId), eq(finalVersions.versionId, versionId)));
  return row ? toFinalDto(row) : null;
}

export async function listFinalVersions(db: Db, agreementId: string): Promise<FinalVersionDto[]> {
  const rows = await db.select().from(finalVersions).where(eq(finalVersions.agreementId, agreementId)).orderBy(desc(finalVersions.number));
  return rows.map(toFinalDto);
}

export async function approvalState(deps: { db: Db; sync: SyncHub }, agreementId: string): Promise<ApprovalState> {
  const agreement = await getAgreementRow(deps.db, agreementId);
  if (!agreement) throw agreementNotFound();
  const [active, voided, parties, content] = await Promise.all([
    approvalRows(deps.db, agreementId, true),
    approvalRows(deps.db, agreementId, false),
    partiesOf(deps.db, agreementId),
    currentContent(deps, agreementId),
  ]);
  const finalVersion = agreement.status === 'locked' ? (await listFinalVersions(deps.db, agreementId)).find((f) => !f.unlocked) ?? null : null;
  const current = active.filter((a) => a.hash === content.hash);
  const approvedParties = new Set(current.map((a) => a.partyId));
  const approvedUsers = new Set(current.map((a) => a.userId));
  const [open, members] = await Promise.all([openItems(deps.db, agreementId, content, parties), signatoryMembers(deps.db, agreementId)]);
  const signatories: PartySignatories[] = parties.map((p) => {
    const people = (members[p.partyId] ?? []).map((m) => ({ userId: m.userId, name: m.name, title: m.title, approved: approvedUsers.has(m.userId) }));
    const docParty = content.snapshot.parties.find((x) => x.id === p.partyId);
    const fallback = people.length > 0 ? [] : (docParty?.signatories ?? []).filter((s) => !s.userId && s.name.trim()).map((s) => [s.name, s.title].filter(Boolean).join(', '));
    return { partyId: p.partyId, name: p.name, people, fallback };
  });
  return {
    open,
    signatories,
    status: agreement.status,
    finalVersion,
    approvals: active,
    voided: voided.slice(0, 20),
    waitingFor: parties.filter((p) => !approvedParties.has(p.partyId)),
    currentHash: content.hash,
  };
}

