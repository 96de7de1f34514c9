/**
 * One goal of the follow-up view: its facts from the signed version, its status, the chart and table,
 * the measurements (confirm, comment) and, for the responsible party, "Registrera mätning".
 */
import { useId, useRef, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import type { FollowUpGoal } from './api.ts';
import { GoalChart } from './GoalChart.tsx';
import { STATUS_TAG, statusLabel } from './labels.ts';
import { MeasurementForm } from './MeasurementForm.tsx';
import { MeasurementItem } from './MeasurementItem.tsx';

/** Where a finding about this goal sends focus. */
export const goalAnchorId = (goalId: string) => `follow-up-goal-${goalId}`;

export interface GoalSectionProps {
  agreementId: string;
  goal: FollowUpGoal;
  canRecord: boolean;
  canConfirm: boolean;
  canComment: boolean;
  myPartyId: string | undefined;
  partyName: (partyId: string | null | undefined) => string;
  onChanged: () => void;
}

export function GoalSection({ agreementId, goal: g, canRecord, canConfirm, canComment, myPartyId, partyName, onChanged }: GoalSectionProps) {
  const t = useMessages(followUpMessages);
  const f = useFormat();
  const id = useId().replace(/:/g, '');
  const [recording, setRecording] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const measurements = [...g.measurements].sort((a, b) => b.measuredOn.localeCompare(a.measuredOn) || b.recordedAt.localeCompare(a.recordedAt));
  const responsible = g.responsiblePartyName || partyName(g.responsiblePartyId);

  return (
    <section className="goal-follow-up" aria-labelledby={`${id}-h`} data-testid="goal-follow-up" data-goal-id={g.goalId}>
      <div className="goal-follow-up__head">
        <h3 id={`${id}-h`}>
          <span id={goalAnchorId(g.goalId)} tabIndex={-1} className="goal-follow-up__anchor">
            {g.goal}
          </span>
        </h3>
        <span className={`tag ${STATUS_TAG[g.status]}`} data-testid="goal-status">
          <span className="visually-hidden">{t.status}: </span>
          {statusLabel(t, g.status)}
        </span>
      </div>
      <div className="goal-follow-up__body">
        <dl className="goal-follow-up__facts">
          <dt>{t.indicator}</dt>
          <dd>{g.indicator || '–'}</dd>
          <dt>{t.baseline}</dt>
          <dd>
            {g.baseline.value
              ? fmt(t.baselineDetails, { value: g.baseline.value, date: f.date(g.baseline.date) || '–', source: g.baseline.source || '–' })
              : t.baselineMissing}
          </dd>
          <dt>{t.target}</dt>
          <dd>{g.target || '–'}</dd>
          <dt>{t.deadline}</dt>
          <dd>{f.date(g.deadline) || '–'}</dd>
          <dt>{t.responsible}</dt>
          <dd>{responsible || '–'}</dd>
          <dt>{t.followUpDates}</dt>
          <dd>{g.followUpDates.length ? f.list(g.followUpDates.map((d) => f.date(d))) : t.none}</dd>
        </dl>
        <GoalChart goal={g} />
      </div>

      <h4 className="goal-follow-up__subheading">{t.measurementsHeading}</h4>
      {measurements.length === 0 ? (
        <p className="muted">{t.noMeasurements}</p>
      ) : (
        <ul className="card-list">
          {measurements.map((m) => (
            <MeasurementItem
              key={m.id}
              agreementId={agreementId}
              measurement={m}
              myPartyId={myPartyId}
              canConfirm={canConfirm}
              canComment={canComment}
              partyName={partyName}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}

      {canRecord ? (
        <div className="goal-follow-up__record">
          <button
            ref={toggleRef}
            type="button"
            className={recording ? 'button button--secondary' : 'button'}
            aria-expanded={recording}
            aria-controls={`${id}-record`}
            onClick={() => setRecording((r) => !r)}
          >
            {recording ? t.cancel : fmt(t.recordFor, { goal: g.goal })}
          </button>
          <div id={`${id}-record`} hidden={!recording}>
            {recording && (
              <MeasurementForm
                agreementId={agreementId}
                goal={g}
                onSaved={() => {
                  onChanged();
                }}
              />
            )}
          </div>
        </div>
      ) : (
        responsible && <p className="small muted">{fmt(t.onlyResponsible, { party: responsible })}</p>
      )}
    </section>
  );
}
