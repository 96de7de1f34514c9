/**
 * A goal's follow-up dates as a list of real date inputs (add/remove). The model stores strings: new
 * entries are ISO dates (YYYY-MM-DD); older free-text entries ("Varje juni") stay, shown as text with
 * a hint to replace them by a date, so nothing typed earlier is lost.
 */
import { fmt, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Props {
  goalId: string;
  rowLabel: string;
  dates: string[];
  readOnly: boolean;
  onChange: (dates: string[]) => void;
}

export function FollowUpDates({ goalId, rowLabel, dates, readOnly, onChange }: Props) {
  const t = useMessages(agreementMessages);
  const set = (i: number, v: string) => onChange(dates.map((d, j) => (j === i ? v : d)));
  const remove = (i: number) => onChange(dates.filter((_, j) => j !== i));
  const headingId = `goal-${goalId}-followUpDates`;
  return (
    <fieldset className="goal-details__field goal-details__dates" aria-labelledby={headingId}>
      <legend id={headingId}>{t.goalFollowUpDates}</legend>
      {dates.length === 0 && <p className="small muted">{t.followUpNone}</p>}
      <ul className="date-list">
        {dates.map((d, i) => {
          const label = fmt(t.followUpDateN, { n: i + 1, row: rowLabel });
          return (
            <li key={i}>
              {ISO_DATE.test(d) ? (
                <input type="date" className="input input--date" aria-label={label} value={d} readOnly={readOnly}
                  onChange={(e) => set(i, e.target.value)} />
              ) : (
                <span className="date-list__legacy">{d} <span className="small muted">{t.followUpLegacy}</span></span>
              )}
              {!readOnly && (
                <button type="button" className="link-button" onClick={() => remove(i)}>
                  {t.remove}<span className="visually-hidden"> {label}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {!readOnly && (
        <button type="button" className="button button--secondary button--small"
          onClick={() => onChange([...dates, new Date().toISOString().slice(0, 10)])}>
          {t.followUpAdd}
        </button>
      )}
    </fieldset>
  );
}
