/**
 * A goal's progress: a small SVG chart (baseline → measurements → target over time; role="img" with a
 * title and a description that states the numbers) and the same numbers in a real table below it.
 */
import { useId } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import type { FollowUpGoal } from './api.ts';
import { chartGeometry } from './chart.ts';
import { numberIn } from './numbers.ts';

export function GoalChart({ goal }: { goal: FollowUpGoal }) {
  const t = useMessages(followUpMessages);
  const f = useFormat();
  const id = useId().replace(/:/g, '');
  const baselineValue = goal.baselineNumber ?? numberIn(goal.baseline.value);
  const targetValue = goal.targetNumber ?? numberIn(goal.target);
  const sorted = [...goal.measurements].sort((a, b) => a.measuredOn.localeCompare(b.measuredOn));
  const geometry = chartGeometry({
    baseline: baselineValue !== null && goal.baseline.date ? { value: baselineValue, date: goal.baseline.date } : null,
    measurements: sorted.map((m) => ({ id: m.id, value: m.value, date: m.measuredOn })),
    target: targetValue !== null && goal.deadline ? { value: targetValue, date: goal.deadline } : null,
  });
  const latest = sorted.at(-1);
  const title = fmt(t.chartTitle, { goal: goal.goal });
  const desc = fmt(t.chartDesc, {
    baseline: goal.baseline.value || '–',
    baselineDate: f.date(goal.baseline.date) || '–',
    count: sorted.length,
    latest: latest ? fmt(t.chartLatest, { value: f.number(latest.value), date: f.date(latest.measuredOn) }) : '',
    target: goal.target || '–',
    deadline: f.date(goal.deadline) || '–',
  });

  return (
    <div className="goal-chart">
      {geometry ? (
        <svg
          className="goal-chart__svg"
          viewBox={`0 0 ${geometry.width} ${geometry.height}`}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-desc`}
          data-testid="goal-chart"
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{desc}</desc>
          <g className="goal-chart__grid" aria-hidden="true">
            {geometry.yTicks.map((tick) => (
              <g key={tick.value}>
                <line x1={geometry.plot.left} x2={geometry.plot.right} y1={tick.y} y2={tick.y} />
                <text x={geometry.plot.left - 6} y={tick.y} dy="0.32em" textAnchor="end">
                  {f.number(tick.value)}
                </text>
              </g>
            ))}
            {geometry.xTicks.map((tick, i) => (
              <text key={tick.date} x={tick.x} y={geometry.plot.bottom + 18} textAnchor={i === 0 ? 'start' : 'end'}>
                {f.date(tick.date)}
              </text>
            ))}
          </g>
          <g aria-hidden="true">
            {geometry.plannedPath && <path className="goal-chart__planned" d={geometry.plannedPath} />}
            {geometry.actualPath && <path className="goal-chart__actual" d={geometry.actualPath} />}
            {geometry.baseline && <circle className="goal-chart__baseline" cx={geometry.baseline.x} cy={geometry.baseline.y} r={5} />}
            {geometry.measurements.map((m) => (
              <circle key={m.id} className="goal-chart__point" cx={m.x} cy={m.y} r={5} />
            ))}
            {geometry.target && (
              <path
                className="goal-chart__target"
                d={`M${geometry.target.x} ${geometry.target.y - 7} L${geometry.target.x + 7} ${geometry.target.y} L${geometry.target.x} ${geometry.target.y + 7} L${geometry.target.x - 7} ${geometry.target.y} Z`}
              />
            )}
          </g>
        </svg>
      ) : (
        <p className="muted small">{t.chartNoNumbers}</p>
      )}
      <ul className="goal-chart__legend small" aria-hidden="true">
        <li><span className="goal-chart__key goal-chart__key--baseline" /> {t.chartBaseline}</li>
        <li><span className="goal-chart__key goal-chart__key--actual" /> {t.measurementsHeading}</li>
        <li><span className="goal-chart__key goal-chart__key--target" /> {t.chartTarget}</li>
      </ul>
      <table className="table table--compact goal-chart__table" data-testid="goal-table">
        <caption className="visually-hidden">{fmt(t.tableCaption, { goal: goal.goal })}</caption>
        <thead>
          <tr>
            <th scope="col">{t.colKind}</th>
            <th scope="col">{t.colDate}</th>
            <th scope="col" className="num">{t.colValue}</th>
            <th scope="col">{t.colSource}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t.rowBaseline}</th>
            <td>{f.date(goal.baseline.date)}</td>
            <td className="num">{baselineValue !== null ? f.number(baselineValue) : goal.baseline.value}</td>
            <td>{goal.baseline.source}</td>
          </tr>
          {sorted.map((m) => (
            <tr key={m.id}>
              <th scope="row">{t.rowMeasurement}</th>
              <td>{f.date(m.measuredOn)}</td>
              <td className="num">{f.number(m.value)}</td>
              <td>{m.source}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t.rowTarget}</th>
            <td>{f.date(goal.deadline)}</td>
            <td className="num">{targetValue !== null ? f.number(targetValue) : goal.target}</td>
            <td />
          </tr>
        </tbody>
      </table>
    </div>
  );
}
