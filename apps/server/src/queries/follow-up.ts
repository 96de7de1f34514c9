/**
 * The follow-up read model (GET /api/agreements/:id/follow-up, the report, the calendar): the latest
 * signed final version's goals and period — never the live draft, which may be an amendment in
 * progress — with the measurements recorded since, their confirmations and comments, the status of each
 * goal and the findings (rules in packages/model/src/follow-up).
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { FollowUpPayload, MeasurementPayload } from '@overens/contracts';
import {
  followUpFindings,
  finalVersionLabel,
  goalStatus,
  keyDates,
  parseGoalNumber,
  snapshotAgreement,
  type AgreementSnapshot,
  type KeyDate,
} from '@overens/model';
import type { Membership } from '../agreements/membership.ts';
import type { DbOrTx } from '../db/client.ts';
import { agreementMembers, agreements, agreementVersions, finalVersions, measurementComments, measurementConfirmations, measurements } from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';
import { can } from '../policies/index.ts';
import type { AgreementRow } from '../policies/subject.ts';
import { docFromState } from '../versions/service.ts';

export interface SignedVersion {
  id: string;
  number: number;
  hash: string;
  lockedAt: Date;
  kind: 'original' | 'amendment' | 'renewal';
  revisionNumber: number | null;
  amends: number | null;
  label: string;
  snapshot: AgreementSnapshot;
}

/** Today's date in Europe/Stockholm (the agreements' calendar). */
export function todayInStockholm(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export const notSignedError = () =>
  new DomainError('conflict', 'not-signed', 'The agreement has no signed final version yet: follow-up starts once every signatory has approved and it is locked.', {
    messages: {
      sv: 'Överenskommelsen har ingen undertecknad slutlig version än. Uppföljningen börjar när alla firmatecknare har godkänt och den är låst.',
      en: 'The agreement has no signed final version yet. Follow-up starts once every signatory has approved and it is locked.',
    },
  });

/**
 * Snapshots of final versions by final version id and title. A final version's state never changes, so
 * the calendar, the upcoming list and the reminder job need not decode the same document again.
 */
const snapshots = new Map<string, AgreementSnapshot>();
const MAX_CACHED = 200;

type FinalVersionRow = typeof finalVersions.$inferSelect;

function cacheSnapshot(key: string, state: Uint8Array, title: string): AgreementSnapshot {
  const doc = docFromState(state);
  let snapshot: AgreementSnapshot;
  try {
    snapshot = snapshotAgreement(doc, { title });
  } finally {
    doc.destroy();
  }
  if (snapshots.size >= MAX_CACHED) snapshots.delete(snapshots.keys().next().value!);
  snapshots.set(key, snapshot);
  return snapshot;
}

const snapshotKey = (fv: FinalVersionRow, title: string) => `${fv.id}\u0000${title}`;

function signedVersion(fv: FinalVersionRow, snapshot: AgreementSnapshot): SignedVersion {
  return {
    id: fv.id,
    number: fv.number,
    hash: fv.hash,
    lockedAt: fv.lockedAt,
    kind: fv.kind,
    revisionNumber: fv.revisionNumber,
    amends: fv.amends,
    label: finalVersionLabel(fv),
    snapshot,
  };
}

/** The latest final version still in force (not unlocked), with its snapshot; null when there is none. */
export async function latestSignedVersion(db: DbOrTx, agreementId: string, title: string): Promise<SignedVersion | null> {
  return (await latestSignedVersions(db, [{ id: agreementId, title }])).get(agreementId) ?? null;
}

/**
 * The latest signed final version of each agreement (absent: none), in one query for the versions and
 * one for the snapshots not cached yet: the calendar and the upcoming list ask for all of a member's
 * agreements at once.
 */
export async function latestSignedVersions(db: DbOrTx, list: ReadonlyArray<{ id: string; title: string }>): Promise<Map<string, SignedVersion>> {
  const out = new Map<string, SignedVersion>();
  if (list.length === 0) return out;
  const titles = new Map(list.map((a) => [a.id, a.title]));
  const rows = await db
    .select()
    .from(finalVersions)
    .where(and(inArray(finalVersions.agreementId, [...titles.keys()]), isNull(finalVersions.unlockedAt)))
    .orderBy(desc(finalVersions.number));
  const latest = new Map<string, FinalVersionRow>();
  for (const fv of rows) if (!latest.has(fv.agreementId)) latest.set(fv.agreementId, fv);
  const missing = [...latest.values()].filter((fv) => !snapshots.has(snapshotKey(fv, titles.get(fv.agreementId)!)));
  const versions = missing.length
    ? await db
        .select({ id: agreementVersions.id, state: agreementVersions.state })
        .from(agreementVersions)
        .where(inArray(agreementVersions.id, missing.map((fv) => fv.versionId)))
    : [];
  const states = new Map(versions.map((v) => [v.id, v.state]));
  for (const [agreementId, fv] of latest) {
    const title = titles.get(agreementId)!;
    const key = snapshotKey(fv, title);
    const snapshot = snapshots.get(key) ?? cacheSnapshot(key, states.get(fv.versionId)!, title);
    out.set(agreementId, signedVersion(fv, snapshot));
  }
  return out;
}

/** The measurements of an agreement (optionally some ids), oldest first, with confirmations and comments. */
export async function listMeasurements(db: DbOrTx, agreementId: string, ids?: string[]): Promise<MeasurementPayload[]> {
  const rows = await db
    .select()
    .from(measurements)
    .where(ids ? and(eq(measurements.agreementId, agreementId), inArray(measurements.id, ids)) : eq(measurements.agreementId, agreementId))
    .orderBy(asc(measurements.measuredOn), asc(measurements.recordedAt));
  if (rows.length === 0) return [];
  const mids = rows.map((r) => r.id);
  const [confirmations, comments] = await Promise.all([
    db.select().from(measurementConfirmations).where(inArray(measurementConfirmations.measurementId, mids)).orderBy(asc(measurementConfirmations.createdAt)),
    db.select().from(measurementComments).where(inArray(measurementComments.measurementId, mids)).orderBy(asc(measurementComments.createdAt)),
  ]);
  return rows.map((r) => ({
    id: r.id,
    goalId: r.goalId,
    value: r.value,
    measuredOn: r.measuredOn,
    source: r.source,
    comment: r.comment,
    recordedBy: { userId: r.recordedById, name: r.recordedByName, partyId: r.partyId },
    recordedAt: r.recordedAt.toISOString(),
    finalVersionNumber: r.finalVersionNumber,
    confirmations: confirmations
      .filter((c) => c.measurementId === r.id)
      .map((c) => ({ userId: c.userId, name: c.userName, partyId: c.partyId, at: c.createdAt.toISOString(), comment: c.comment })),
    comments: comments
      .filter((c) => c.measurementId === r.id)
      .map((c) => ({ id: c.id, userId: c.userId, name: c.userName, partyId: c.partyId, at: c.createdAt.toISOString(), text: c.text })),
  }));
}

/** One measurement with its confirmations and comments (for event payloads and 201 answers). */
export async function getMeasurement(db: DbOrTx, agreementId: string, id: string): Promise<MeasurementPayload | null> {
  return (await listMeasurements(db, agreementId, [id]))[0] ?? null;
}

/** Whether a decision about the period was taken after `signedNumber`: a revision started from it or later. */
export function decisionMade(agreement: Pick<AgreementRow, 'revisionBasedOn'>, signedNumber: number): boolean {
  return agreement.revisionBasedOn != null && agreement.revisionBasedOn >= signedNumber;
}

/**
 * The follow-up of an agreement for a member, on `asOf` (default: today in Stockholm).
 * Throws 409 `not-signed` without a signed final version.
 */
export async function followUpFor(db: DbOrTx, agreement: AgreementRow, actor: Membership, asOf = todayInStockholm()): Promise<FollowUpPayload> {
  const signed = await latestSignedVersion(db, agreement.id, agreement.title);
  if (!signed) throw notSignedError();
  const { snapshot } = signed;
  const all = await listMeasurements(db, agreement.id);
  const partyNames = new Map(snapshot.parties.map((p) => [p.id, p.name]));
  const goalIds = new Set(snapshot.goals.map((g) => g.id));
  const points = all.filter((m) => goalIds.has(m.goalId));
  const state = { status: agreement.status };
  return {
    agreementId: agreement.id,
    signedVersion: { number: signed.number, hash: signed.hash, lockedAt: signed.lockedAt.toISOString(), label: signed.label },
    asOf,
    period: snapshot.period,
    goals: snapshot.goals.map((g) => ({
      goalId: g.id,
      goal: g.goal,
      indicator: g.indicator,
      baseline: { value: g.baselineValue, date: g.baselineDate, source: g.baselineSource },
      baselineNumber: parseGoalNumber(g.baselineValue),
      target: g.targetValue,
      targetNumber: parseGoalNumber(g.targetValue),
      deadline: g.deadline,
      followUpMethod: g.followUpMethod,
      responsiblePartyId: g.responsiblePartyId,
      responsiblePartyName: g.responsiblePartyId ? (partyNames.get(g.responsiblePartyId) ?? null) : null,
      followUpDates: [...g.followUpDates].sort(),
      status: goalStatus(g, points, asOf),
      measurements: points.filter((m) => m.goalId === g.id),
    })),
    keyDates: keyDates(snapshot.goals, snapshot.period),
    // As of the date: a report for an earlier date does not count what was measured after it.
    findings: followUpFindings({ goals: snapshot.goals, period: snapshot.period, measurements: points.filter((m) => m.measuredOn <= asOf), asOf, decisionMade: decisionMade(agreement, signed.number) }),
    can: {
      record: snapshot.goals.filter((g) => g.responsiblePartyId && can(actor, 'measurement.record', state, { partyId: g.responsiblePartyId })).map((g) => g.id),
      // Another party's measurements: an editor may confirm those (commands refuse their own party's).
      confirm: actor.role === 'editor',
      comment: can(actor, 'measurement.comment', state),
    },
  };
}


export interface AgreementKeyDate {
  agreementId: string;
  agreementTitle: string;
  date: string;
  kind: KeyDate['kind'];
  goalId?: string;
  goalTitle?: string;
  signedVersion: number;
}

/**
 * The key dates of a user's agreements that have a signed final version (one agreement, or all of
 * them; archived agreements are left out of "all"), sorted by date. Used by the calendar feed, the
 * upcoming list and the reminders.
 */
export async function keyDatesOfMember(db: DbOrTx, userId: string, agreementId: string | null): Promise<AgreementKeyDate[]> {
  const rows = await db
    .select({ id: agreements.id, title: agreements.title })
    .from(agreementMembers)
    .innerJoin(agreements, eq(agreements.id, agreementMembers.agreementId))
    .where(
      agreementId
        ? and(eq(agreementMembers.userId, userId), eq(agreements.id, agreementId))
        : and(eq(agreementMembers.userId, userId), isNull(agreements.archivedAt)),
    );
  const signed = await latestSignedVersions(db, rows);
  const out: AgreementKeyDate[] = [];
  for (const a of rows) {
    const s = signed.get(a.id);
    if (s) out.push(...keyDatesOf(a, s));
  }
  return out.sort((x, y) => x.date.localeCompare(y.date) || x.agreementTitle.localeCompare(y.agreementTitle, 'sv'));
}

/** The key dates of one agreement's latest signed final version (none without one). */
export async function keyDatesOfAgreement(db: DbOrTx, a: { id: string; title: string }): Promise<AgreementKeyDate[]> {
  const signed = await latestSignedVersion(db, a.id, a.title);
  return signed ? keyDatesOf(a, signed) : [];
}

function keyDatesOf(a: { id: string; title: string }, signed: SignedVersion): AgreementKeyDate[] {
  const titles = new Map(signed.snapshot.goals.map((g) => [g.id, g.goal]));
  return keyDates(signed.snapshot.goals, signed.snapshot.period).map((d) => ({
    agreementId: a.id,
    agreementTitle: a.title,
    date: d.date,
    kind: d.kind,
    ...(d.goalId ? { goalId: d.goalId, goalTitle: titles.get(d.goalId) ?? '' } : {}),
    signedVersion: signed.number,
  }));
}
