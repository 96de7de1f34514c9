import { FOLLOW_UP_METHODS, type FollowUpMethod, type GoalRow } from '@overens/model';
import { useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { CellInput, gridKeys, parseNumber, useAdoc } from './common.tsx';
import { FollowUpDates } from './FollowUpDates.tsx';

type Col = keyof GoalRow;

/**
 * The shared SMART goal table, designed for the document column: one compact row per goal (goal,
 * indicator, baseline → target, deadline, each party's acceptance) that expands into a form for the
 * rest, so nothing scrolls sideways. Keyboard: arrow keys move between the row's cells (left/right
 * leave a text cell when the caret is at its start/end), so the table works like a grid.
 */
export function GoalsGrid() {
  const t = useMessages(agreementMessages);
  const { readOnly, agreement } = useAgreement();
  const { adoc } = useAdoc();
  const goals = adoc.goals();
  const parties = agreement.parties;
  const methodLabel = (m: FollowUpMethod) =>
    ({ survey: t.methodSurvey, statistics: t.methodStatistics, interviews: t.methodInterviews, focus_group: t.methodFocusGroup, other: t.methodOther })[m];

  // The compact row: what a reader needs to recognise a goal and see who accepted it.
  const rowCols: Array<{ col: Col; label: string }> = [
    { col: 'goal', label: t.goalGoal },
    { col: 'indicator', label: t.goalIndicator },
  ];
  // The rest is edited in the row's details.
  const detailCols: Array<{ col: Col; label: string; type?: string }> = [
    { col: 'baselineValue', label: t.goalBaseline },
    { col: 'baselineDate', label: t.goalBaselineDate, type: 'date' },
    { col: 'baselineSource', label: t.goalBaselineSource },
    { col: 'targetValue', label: t.goalTarget },
    { col: 'deadline', label: t.goalDeadline, type: 'date' },
  ];
  const f = useFormat();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  // "0.25" or "0,25" shows as the locale writes numbers; other text as typed.
  const value = (v: string) => {
    const n = parseNumber(v);
    return n === null || !/^[\s\d.,-]+$/.test(v) ? v : f.number(n);
  };

  const addRow = () => {
    const id = adoc.addGoal({ responsiblePartyId: null });
    window.setTimeout(() => document.querySelector<HTMLElement>(`#goal-${id}-goal`)?.focus(), 30);
  };

  return (
    <div className="structured-block" id="goals">
      <h3 className="structured-block__title" id="goals-title">{t.goalsTitle}</h3>
      <p className="muted small">{t.goalsIntro}</p>
      {goals.length === 0 && <p className="empty small">{t.goalsEmpty}</p>}
      {goals.length > 0 && (
        <div className="table-fit">
          <table className="grid-table grid-table--fit goals-table" onKeyDown={gridKeys} aria-labelledby="goals-title">
            <thead>
              <tr>
                <th scope="col" className="col-num">#</th>
                {rowCols.map((c) => (
                  <th key={c.col} scope="col">{c.label}</th>
                ))}
                <th scope="col" className="col-values">{t.goalBaseline} → {t.goalTarget}</th>
                <th scope="col" className="col-date">{t.goalDeadline}</th>
                {parties.map((p) => (
                  <th key={p.id} scope="col" className="grid-table__accept col-accept" title={fmt(t.acceptedBy, { party: p.name })}>
                    <span aria-hidden="true">{p.name.split(/\s+/)[0]}</span>
                    <span className="visually-hidden">{fmt(t.acceptedBy, { party: p.name })}</span>
                  </th>
                ))}
                <th scope="col" className="col-toggle"><span className="visually-hidden">{t.goalDetails}</span></th>
              </tr>
            </thead>
            {goals.map((g, r) => {
              let c = 0;
              const rowLabel = fmt(t.goalRow, { n: r + 1 });
              const expanded = Boolean(open[g.id]);
              const detailsId = `goal-${g.id}-details`;
              return (
                <tbody key={g.id}>
                  <tr id={`goal-${g.id}`} data-goal-row={g.id}>
                    <th scope="row" className="grid-table__num">{r + 1}</th>
                    {rowCols.map((tc) => {
                      const col = c++;
                      const v = g[tc.col];
                      return (
                        <td key={tc.col} data-cell data-row={r} data-col={col}>
                          <CellInput
                            id={`goal-${g.id}-${tc.col}`}
                            label={`${tc.label}, ${rowLabel}`}
                            value={typeof v === 'string' ? v : ''}
                            readOnly={readOnly}
                            onValue={(val) => adoc.updateGoal(g.id, { [tc.col]: val } as Partial<GoalRow>)}
                          />
                        </td>
                      );
                    })}
                    <td className="grid-table__text" data-goal-values>
                      {g.baselineValue || g.targetValue ? `${value(g.baselineValue) || '–'} → ${value(g.targetValue) || '–'}` : '–'}
                    </td>
                    <td className="grid-table__text">{g.deadline ? f.date(g.deadline) : '–'}</td>
                    {parties.map((p) => {
                      const mine = p.id === agreement.partyId;
                      return (
                        <td key={p.id} data-cell data-row={r} data-col={c++} className="grid-table__accept">
                          <input
                            type="checkbox"
                            id={`goal-${g.id}-accepted-${p.id}`}
                            className="cell-check"
                            aria-label={fmt(t.acceptGoal, { party: p.name, n: r + 1 })}
                            checked={Boolean(g.acceptedBy[p.id])}
                            disabled={readOnly || !mine}
                            onChange={(e) => adoc.setGoalAccepted(g.id, p.id, e.target.checked)}
                          />
                        </td>
                      );
                    })}
                    <td data-cell data-row={r} data-col={c++} className="grid-table__toggle">
                      <button type="button" className="icon-button" aria-expanded={expanded} aria-controls={detailsId}
                        onClick={() => setOpen((o) => ({ ...o, [g.id]: !expanded }))}>
                        <span aria-hidden="true">{expanded ? '▴' : '▾'}</span>
                        <span className="visually-hidden">{fmt(t.goalDetailsOf, { n: r + 1 })}</span>
                      </button>
                    </td>
                  </tr>
                  <tr id={detailsId} className="goal-details" hidden={!expanded}>
                    <td colSpan={6 + parties.length}>
                      {expanded && (
                        <div className="goal-details__form">
                          {detailCols.map((dc) => {
                            const v = g[dc.col];
                            const id = `goal-${g.id}-${dc.col}`;
                            return (
                              <div key={dc.col} className="goal-details__field">
                                <label htmlFor={id}>{dc.label}</label>
                                <input id={id} className="input" type={dc.type ?? 'text'} value={typeof v === 'string' ? v : ''} readOnly={readOnly}
                                  onChange={(e) => adoc.updateGoal(g.id, { [dc.col]: e.target.value } as Partial<GoalRow>)} />
                              </div>
                            );
                          })}
                          <div className="goal-details__field">
                            <label htmlFor={`goal-${g.id}-followUpMethod`}>{t.goalMethod}</label>
                            <select id={`goal-${g.id}-followUpMethod`} className="input" disabled={readOnly}
                              value={g.followUpMethod ?? ''} onChange={(e) => adoc.updateGoal(g.id, { followUpMethod: (e.target.value || null) as FollowUpMethod | null })}>
                              <option value="">{t.choose}</option>
                              {FOLLOW_UP_METHODS.map((m) => <option key={m} value={m}>{methodLabel(m)}</option>)}
                            </select>
                          </div>
                          <div className="goal-details__field">
                            <label htmlFor={`goal-${g.id}-responsiblePartyId`}>{t.goalResponsible}</label>
                            <select id={`goal-${g.id}-responsiblePartyId`} className="input" disabled={readOnly}
                              value={g.responsiblePartyId ?? ''} onChange={(e) => adoc.updateGoal(g.id, { responsiblePartyId: e.target.value || null })}>
                              <option value="">{t.choose}</option>
                              {parties.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                            </select>
                          </div>
                          <FollowUpDates goalId={g.id} rowLabel={rowLabel} dates={g.followUpDates} readOnly={readOnly}
                            onChange={(dates) => adoc.updateGoal(g.id, { followUpDates: dates })} />
                          {!readOnly && (
                            <p className="goal-details__actions">
                              <button type="button" className="button button--secondary button--small" onClick={() => adoc.removeGoal(g.id)}>
                                {t.remove}<span className="visually-hidden"> {rowLabel}</span>
                              </button>
                            </p>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                </tbody>
              );
            })}
          </table>
        </div>
      )}
      {!readOnly && (
        <button type="button" className="button button--secondary button--small" onClick={addRow}>
          {t.addGoal}
        </button>
      )}
    </div>
  );
}
