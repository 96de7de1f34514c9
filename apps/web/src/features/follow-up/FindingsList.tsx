/** The findings of the living agreement (measurement after the deadline, a missed follow-up, a passed notice date). */
import { useId } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import type { FollowUpFinding, FollowUpGoal } from './api.ts';
import { goalAnchorId } from './GoalSection.tsx';

export function FindingsList({ findings, goals }: { findings: FollowUpFinding[]; goals: FollowUpGoal[] }) {
  const t = useMessages(followUpMessages);
  const f = useFormat();
  const id = useId().replace(/:/g, '');
  const goalName = (goalId?: string) => goals.find((g) => g.goalId === goalId)?.goal ?? '';
  const showGoal = (goalId: string) => {
    const el = document.getElementById(goalAnchorId(goalId));
    el?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  };
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? a.date.localeCompare(b.date) : a.severity === 'error' ? -1 : 1));
  return (
    <section className="follow-up__section" aria-labelledby={`${id}-h`} data-testid="follow-up-findings">
      <h2 id={`${id}-h`}>{t.findingsHeading}</h2>
      {sorted.length === 0 ? (
        <p className="muted">{t.noFindings}</p>
      ) : (
        <ul className="findings">
          {sorted.map((x) => (
            <li key={`${x.code}-${x.goalId ?? ''}-${x.date}`} className={`findings__item findings__item--${x.severity}`}>
              <span className={`tag ${x.severity === 'error' ? 'tag--red' : 'tag--yellow'}`}>{x.severity === 'error' ? t.severity_error : t.severity_warning}</span>{' '}
              {fmt(t[`finding_${x.code}`], { date: f.date(x.date), goal: goalName(x.goalId) })}
              {x.goalId && (
                <>
                  {' '}
                  <button type="button" className="link-button" onClick={() => showGoal(x.goalId!)} aria-label={`${t.showGoal}: ${goalName(x.goalId)}`}>
                    {t.showGoal}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
