/**
 * "Kommande datum" on the agreements page: the next 90 days of follow-ups, goal deadlines, period ends,
 * notice and renegotiation dates across the user's signed agreements, each linking to its follow-up view.
 */
import { useEffect, useId, useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { Link } from '../../router.tsx';
import { followUpApi, type UpcomingDate } from './api.ts';
import { daysBetween } from '@overens/model/follow-up';
import { todayInStockholm } from './numbers.ts';
import './follow-up.css';

const DAYS = 90;

export function UpcomingDates() {
  const t = useMessages(followUpMessages);
  const f = useFormat();
  const id = useId().replace(/:/g, '');
  const [items, setItems] = useState<UpcomingDate[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    followUpApi.upcoming(DAYS).then(
      (x) => live && setItems(x),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  const today = todayInStockholm();
  // Nothing to say before anything is signed: the section appears with the first signed agreement.
  if (!failed && (!items || items.length === 0)) {
    return items ? (
      <section className="upcoming" aria-labelledby={`${id}-h`} data-testid="upcoming">
        <h2 id={`${id}-h`}>{t.upcomingHeading}</h2>
        <p className="muted">{t.upcomingEmpty}</p>
      </section>
    ) : null;
  }
  return (
    <section className="upcoming" aria-labelledby={`${id}-h`} data-testid="upcoming">
      <h2 id={`${id}-h`}>{t.upcomingHeading}</h2>
      {failed ? (
        <p className="field__error">{t.upcomingError}</p>
      ) : (
        <>
          <p className="small muted">{t.upcomingIntro}</p>
          <ul className="upcoming__list">
            {items!.map((d) => (
              <li key={`${d.agreementId}-${d.kind}-${d.date}-${d.goalId ?? ''}`}>
                <span className="upcoming__when">
                  <strong>{f.date(d.date)}</strong>
                  <br />
                  <span className="small muted">{fmt(t.upcomingIn, { days: Math.max(0, daysBetween(today, d.date)) })}</span>
                </span>
                <span>
                  {t[`kind_${d.kind}`]}
                  {d.goalTitle && <>: {d.goalTitle}</>}
                  <br />
                  <Link to={`/agreements/${d.agreementId}/follow-up`} className="small">
                    {d.agreementTitle}
                  </Link>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
