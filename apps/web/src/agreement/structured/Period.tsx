import type { ReactNode } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { parseNumber, useAdoc } from './common.tsx';

export function PeriodEditor() {
  const t = useMessages(agreementMessages);
  const f = useFormat();
  const { readOnly } = useAgreement();
  const { adoc } = useAdoc();
  const p = adoc.period();
  const years =
    p.start && p.end ? Math.round(((Date.parse(p.end) - Date.parse(p.start)) / (365.25 * 24 * 3600 * 1000)) * 10) / 10 : null;
  const field = (id: string, label: string, input: ReactNode, hint?: string) => (
    <div className="mini-field">
      <label htmlFor={id} className="mini-field__label">{label}</label>
      {input}
      {hint && <span className="muted small">{hint}</span>}
    </div>
  );
  return (
    <fieldset className="structured-block" id="period">
      <legend className="structured-block__title">{t.periodTitle}</legend>
      <div className="mini-grid">
        {field('period-start', t.periodStart,
          <input id="period-start" className="input" type="date" disabled={readOnly} value={p.start ?? ''} onChange={(e) => adoc.setPeriod({ start: e.target.value || null })} />)}
        {field('period-end', t.periodEnd,
          <input id="period-end" className="input" type="date" disabled={readOnly} value={p.end ?? ''} onChange={(e) => adoc.setPeriod({ end: e.target.value || null })} />)}
        {field('period-noticeMonths', t.periodNotice,
          <input id="period-noticeMonths" className="input input--num" inputMode="numeric" disabled={readOnly} value={p.noticeMonths ?? ''}
            onChange={(e) => adoc.setPeriod({ noticeMonths: parseNumber(e.target.value) })} />)}
        {field('period-renegotiationBy', t.periodRenegotiation,
          <input id="period-renegotiationBy" className="input" type="date" disabled={readOnly} value={p.renegotiationBy ?? ''}
            onChange={(e) => adoc.setPeriod({ renegotiationBy: e.target.value || null })} />)}
      </div>
      {p.start && p.end && (
        <p className="muted small">
          {fmt(t.periodSummary, { start: f.date(p.start), end: f.date(p.end), years: years === null ? '' : f.number(years) })}
        </p>
      )}
    </fieldset>
  );
}
