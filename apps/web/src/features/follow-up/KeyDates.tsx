/** The agreement's key dates in date order (follow-ups, goal deadlines, period end, notice, renegotiation). */
import { useId } from 'react';
import { useFormat, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import type { FollowUpGoal, KeyDate } from './api.ts';
import { todayInStockholm } from './numbers.ts';

export function KeyDates({ dates, goals }: { dates: KeyDate[]; goals: FollowUpGoal[] }) {
  const t = useMessages(followUpMessages);
  const f = useFormat();
  const id = useId().replace(/:/g, '');
  const today = todayInStockholm();
  const sorted = [...dates].sort((a, b) => a.date.localeCompare(b.date));
  const goalName = (goalId?: string) => goals.find((g) => g.goalId === goalId)?.goal ?? '';
  return (
    <section className="follow-up__section" aria-labelledby={`${id}-h`} data-testid="follow-up-dates">
      <h2 id={`${id}-h`}>{t.datesHeading}</h2>
      {sorted.length === 0 ? (
        <p className="muted">{t.noDates}</p>
      ) : (
        <table className="table key-dates">
          <thead>
            <tr>
              <th scope="col">{t.colDate}</th>
              <th scope="col">{t.colKind}</th>
              <th scope="col">{t.goalsHeading}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((d) => (
              <tr key={`${d.kind}-${d.date}-${d.goalId ?? ''}`} className={d.date < today ? 'key-dates__past' : undefined}>
                <td>
                  {f.date(d.date)}
                  {d.date < today && <span className="muted small"> ({t.past})</span>}
                </td>
                <td>{t[`kind_${d.kind}`]}</td>
                <td>{goalName(d.goalId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
