/**
 * Follow-up commands (issue 17): record a measurement of a signed agreement's goal (an editor of the
 * goal's responsible party), confirm another party's measurement, comment on one. Each: authorize in
 * the transaction, the row, its audit row and its outbox row (`measurement.*` on the agreement's event
 * stream) together, then deliver.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/service.ts';
import type { Tx } from '../db/client.ts';
import { agreements, measurementComments, measurementConfirmations, measurements } from '../db/schema/index.ts';
import { DomainError, invalidFieldError } from '../domain/errors.ts';
import { fileSlug } from '../domain/file-name.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { authorize } from '../policies/index.ts';
import { authorizeOn, loadSubject } from '../policies/subject.ts';
import { loadExportRenderers } from '../export-renderers.ts';
import { followUpFor, getMeasurement, latestSignedVersion, notSignedError, todayInStockholm } from '../queries/follow-up.ts';
import type { CommandDeps, CommandUser } from './members.ts';

export interface MeasurementInput {
  goalId: string;
  value: number;
  measuredOn: string;
  source: string;
  comment?: string;
}

const measurementNotFound = () => new DomainError('not-found', 'measurement-not-found', 'No measurement with this id belongs to the agreement.');

/** Serialises follow-up writes per agreement and loads what the rules look at. */
async function subjectFor(tx: Tx, agreementId: string, userId: string) {
  await tx.select({ id: agreements.id }).from(agreements).where(eq(agreements.id, agreementId)).for('update');
  return loadSubject(tx, agreementId, userId);
}

export async function recordMeasurement(deps: CommandDeps, user: CommandUser, agreementId: string, input: MeasurementInput) {
  await authorizeOn(deps.db, agreementId, user.id, 'followUp.read'); // a non-member learns nothing, not even the goals
  if (!Number.isFinite(input.value)) throw invalidFieldError('value', 'must be a finite number');
  // A measurement describes something that happened: not a date in the future.
  if (input.measuredOn > todayInStockholm()) {
    throw new DomainError('invalid', 'measured-in-future', 'measuredOn is in the future: record a measurement once it has been taken.', {
      field: 'measuredOn',
      messages: { sv: 'Mätdatumet ligger i framtiden. Registrera mätningen när den är gjord.', en: 'The measurement date is in the future. Record the measurement once it has been taken.' },
    });
  }
  const { id, outboxId } = await deps.db.transaction(async (tx) => {
    const { actor, agreement } = await subjectFor(tx, agreementId, user.id);
    authorize(actor, 'followUp.read', agreement);
    const signed = await latestSignedVersion(tx, agreementId, agreement!.title);
    if (!signed) throw notSignedError();
    const goal = signed.snapshot.goals.find((g) => g.id === input.goalId);
    if (!goal) {
      throw new DomainError('invalid', 'goal-not-found', `goalId: the signed final version ${signed.number} has no goal with this id.`, {
        field: 'goalId',
        messages: { sv: 'Målet finns inte i den undertecknade versionen.', en: 'The goal is not in the signed version.' },
      });
    }
    authorize(actor, 'measurement.record', agreement, { partyId: goal.responsiblePartyId });
    const [row] = await tx
      .insert(measurements)
      .values({
        agreementId,
        goalId: goal.id,
        finalVersionNumber: signed.number,
        value: input.value,
        measuredOn: input.measuredOn,
        source: input.source.trim(),
        comment: (input.comment ?? '').trim(),
        recordedById: user.id,
        recordedByName: user.name,
        partyId: actor.partyId,
      })
      .returning({ id: measurements.id });
    const measurement = (await getMeasurement(tx, agreementId, row!.id))!;
    await recordAudit(tx, {
      agreementId,
      type: 'measurement.recorded',
      actor: { id: user.id, name: user.name },
      data: { measurementId: row!.id, goalId: goal.id, value: input.value, measuredOn: input.measuredOn, partyId: actor.partyId, finalVersionNumber: signed.number },
    });
    const outboxId = await writeOutbox(tx, { agreementId, type: 'measurement.recorded', data: { measurement } });
    return { id: row!.id, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  return (await getMeasurement(deps.db, agreementId, id))!;
}

export async function confirmMeasurement(deps: CommandDeps, user: CommandUser, agreementId: string, measurementId: string, comment = '') {
  const outboxId = await deps.db.transaction(async (tx) => {
    const { actor, agreement } = await subjectFor(tx, agreementId, user.id);
    authorize(actor, 'followUp.read', agreement);
    const [m] = await tx.select().from(measurements).where(and(eq(measurements.id, measurementId), eq(measurements.agreementId, agreementId)));
    if (!m) throw measurementNotFound();
    authorize(actor, 'measurement.confirm', agreement, { partyId: m.partyId });
    const inserted = await tx
      .insert(measurementConfirmations)
      .values({ measurementId, userId: user.id, userName: user.name, partyId: actor.partyId, comment: comment.trim() })
      .onConflictDoNothing()
      .returning({ id: measurementConfirmations.id });
    if (inserted.length === 0) {
      throw new DomainError('conflict', 'already-confirmed', 'Your party has already confirmed this measurement.', {
        messages: { sv: 'Din part har redan bekräftat mätningen.', en: 'Your party has already confirmed this measurement.' },
      });
    }
    await recordAudit(tx, {
      agreementId,
      type: 'measurement.confirmed',
      actor: { id: user.id, name: user.name },
      data: { measurementId, goalId: m.goalId, partyId: actor.partyId },
    });
    const measurement = (await getMeasurement(tx, agreementId, measurementId))!;
    return writeOutbox(tx, { agreementId, type: 'measurement.confirmed', data: { measurement } });
  });
  await deps.outbox.deliver([outboxId]);
  return (await getMeasurement(deps.db, agreementId, measurementId))!;
}

export async function commentOnMeasurement(deps: CommandDeps, user: CommandUser, agreementId: string, measurementId: string, text: string) {
  const body = text.trim();
  if (!body) throw invalidFieldError('text', 'must not be empty');
  const outboxId = await deps.db.transaction(async (tx) => {
    const { actor, agreement } = await subjectFor(tx, agreementId, user.id);
    authorize(actor, 'measurement.comment', agreement);
    const [m] = await tx.select({ goalId: measurements.goalId }).from(measurements).where(and(eq(measurements.id, measurementId), eq(measurements.agreementId, agreementId)));
    if (!m) throw measurementNotFound();
    const [row] = await tx
      .insert(measurementComments)
      .values({ measurementId, userId: user.id, userName: user.name, partyId: actor.partyId, text: body })
      .returning({ id: measurementComments.id });
    // Ids only, never the comment's text (as for agreement comments).
    await recordAudit(tx, { agreementId, type: 'measurement.commented', actor: { id: user.id, name: user.name }, data: { measurementId, goalId: m.goalId, commentId: row!.id } });
    const measurement = (await getMeasurement(tx, agreementId, measurementId))!;
    return writeOutbox(tx, { agreementId, type: 'measurement.commented', data: { measurement } });
  });
  await deps.outbox.deliver([outboxId]);
  return (await getMeasurement(deps.db, agreementId, measurementId))!;
}

export interface ReportRequest {
  format: 'pdf' | 'docx';
  asOf: string;
  locale?: 'sv' | 'en';
}

/**
 * "Uppföljning av överenskommelse" for a date, as PDF or DOCX, from the signed version's follow-up;
 * the export is recorded in the audit trail (format, date, the signed version and the file's SHA-256).
 */
export async function exportFollowUpReport(deps: CommandDeps, user: CommandUser, agreementId: string, request: ReportRequest) {
  const { actor, agreement } = await authorizeOn(deps.db, agreementId, user.id, 'followUp.report');
  const followUp = await followUpFor(deps.db, agreement, actor, request.asOf);
  const signed = (await latestSignedVersion(deps.db, agreementId, agreement.title))!;
  const { renderFollowUpReportPdf, renderFollowUpReportDocx } = await loadExportRenderers();
  const input = {
    snapshot: signed.snapshot,
    signedVersion: followUp.signedVersion!,
    asOf: request.asOf,
    goals: followUp.goals,
    findings: followUp.findings,
    keyDates: followUp.keyDates,
    locale: request.locale ?? 'sv',
  };
  const body = request.format === 'pdf' ? await renderFollowUpReportPdf(input) : await renderFollowUpReportDocx(input);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const noticeId = await deps.db.transaction((tx) =>
    recordAudit(tx, {
      agreementId,
      type: 'follow-up-report.exported',
      actor: { id: user.id, name: user.name },
      data: { format: request.format, asOf: request.asOf, locale: input.locale, finalVersionNumber: signed.number, versionHash: signed.hash, sha256, measurements: followUp.goals.reduce((n, g) => n + g.measurements.length, 0) },
    }),
  );
  // the audit tab hears of it now, not at the outbox's next poll
  await deps.outbox.deliver([noticeId]);
  const slug = fileSlug(`uppfoljning ${agreement.title} ${request.asOf}`, 90);
  return { body, sha256, fileName: `${slug}.${request.format}` };
}
