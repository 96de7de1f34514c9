import { FOLLOW_UP_METHODS, type FollowUpMethod, type GoalRow } from '@overens/model';
import type { KeyboardEvent } from 'react';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { CellInput, useAdoc } from './common.tsx';

type Col = keyof GoalRow;

/**
 * The shared SMART goal table. Keyboard: arrow keys move between cells (left/right leave a text
 * cell when the caret is at its start/end), so the table works like a grid.
 */
export function GoalsGrid() {
  const t = useMessages(agreementMessages);
  const { readOnly, agreement } = useAgreement();
  const { adoc } = useAdoc();
  const goals = adoc.goals();
  const parties = agreement.parties;
  const methodLabel = (m: FollowUpMethod) =>
    ({ survey: t.methodSurvey, statistics: t.methodStatistics, interviews: t.methodInterviews, focus_group: t.methodFocusGroup, other: t.methodOther })[m];

  const textCols: Array<{ col: Col; label: string; type?: string; wide?: boolean }> = [
    { col: 'goal', label: t.goalGoal, wide: true },
    { col: 'indicator', label: t.goalIndicator, wide: true },
    { col: 'baselineValue', label: t.goalBaseline },
    { col: 'baselineDate', label: t.goalBaselineDate, type: 'date' },
    { col: 'baselineSource', label: t.goalBaselineSource },
    { col: 'targetValue', label: t.goalTarget },
    { col: 'deadline', label: t.goalDeadline, type: 'date' },
  ];

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    const el = e.target as HTMLElement;
    const cell = el.closest<HTMLElement>('[data-cell]');
    if (!cell) return;
    const row = Number(cell.dataset.row);
    const col = Number(cell.dataset.col);
    let dr = 0;
    let dc = 0;
    // Date inputs and selects use the arrow keys themselves (segments, options): Tab moves on from them.
    if ((el instanceof HTMLInputElement && el.type === 'date') || el instanceof HTMLSelectElement) return;
    const isText = el instanceof HTMLInputElement && (el.type === 'text' || el.type === '');
    if (e.key === 'ArrowUp') dr = -1;
    else if (e.key === 'ArrowDown') dr = 1;
    else if (e.key === 'ArrowLeft' && (!isText || ((el as HTMLInputElement).selectionStart === 0 && (el as HTMLInputElement).selectionEnd === 0))) dc = -1;
    else if (e.key === 'ArrowRight' && (!isText || (el as HTMLInputElement).selectionStart === (el as HTMLInputElement).value.length)) dc = 1;
    else return;
    const table = e.currentTarget;
    const target = table.querySelector<HTMLElement>(`[data-cell][data-row="${row + dr}"][data-col="${col + dc}"] input, [data-cell][data-row="${row + dr}"][data-col="${col + dc}"] select, [data-cell][data-row="${row + dr}"][data-col="${col + dc}"] button`);
    if (target) {
      e.preventDefault();
      target.focus();
    }
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
        <div className="table-scroll" role="region" aria-labelledby="goals-title" tabIndex={0}>
          <table className="grid-table" onKeyDown={onKeyDown} aria-labelledby="goals-title">
            <thead>
              <tr>
                <th scope="col">#</th>
                {textCols.map((c) => (
                  <th key={c.col} scope="col">{c.label}</th>
                ))}
                <th scope="col">{t.goalMethod}</th>
                <th scope="col">{t.goalResponsible}</th>
                <th scope="col">{t.goalFollowUpDates}</th>
                {parties.map((p) => (
                  <th key={p.id} scope="col" className="grid-table__accept">{fmt(t.acceptedBy, { party: p.name })}</th>
                ))}
                {!readOnly && <th scope="col"><span className="visually-hidden">{t.actions}</span></th>}
              </tr>
            </thead>
            <tbody>
              {goals.map((g, r) => {
                let c = 0;
                const rowLabel = fmt(t.goalRow, { n: r + 1 });
                return (
                  <tr key={g.id} id={`goal-${g.id}`} data-goal-row={g.id}>
                    <th scope="row" className="grid-table__num">{r + 1}</th>
                    {textCols.map((tc) => {
                      const col = c++;
                      const v = g[tc.col];
                      return (
                        <td key={tc.col} data-cell data-row={r} data-col={col} className={tc.wide ? 'is-wide' : undefined}>
                          <CellInput
                            id={`goal-${g.id}-${tc.col}`}
                            type={tc.type ?? 'text'}
                            label={`${tc.label}, ${rowLabel}`}
                            value={typeof v === 'string' ? v : ''}
                            readOnly={readOnly}
                            onValue={(val) => adoc.updateGoal(g.id, { [tc.col]: val } as Partial<GoalRow>)}
                          />
                        </td>
                      );
                    })}
                    <td data-cell data-row={r} data-col={c++}>
                      <select id={`goal-${g.id}-followUpMethod`} className="cell-input" aria-label={`${t.goalMethod}, ${rowLabel}`} disabled={readOnly}
                        value={g.followUpMethod ?? ''} onChange={(e) => adoc.updateGoal(g.id, { followUpMethod: (e.target.value || null) as FollowUpMethod | null })}>
                        <option value="">{t.choose}</option>
                        {FOLLOW_UP_METHODS.map((m) => <option key={m} value={m}>{methodLabel(m)}</option>)}
                      </select>
                    </td>
                    <td data-cell data-row={r} data-col={c++}>
                      <select id={`goal-${g.id}-responsiblePartyId`} className="cell-input" aria-label={`${t.goalResponsible}, ${rowLabel}`} disabled={readOnly}
                        value={g.responsiblePartyId ?? ''} onChange={(e) => adoc.updateGoal(g.id, { responsiblePartyId: e.target.value || null })}>
                        <option value="">{t.choose}</option>
                        {parties.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                      </select>
                    </td>
                    <td data-cell data-row={r} data-col={c++}>
                      <CellInput id={`goal-${g.id}-followUpDates`} label={`${t.goalFollowUpDates}, ${rowLabel}`} readOnly={readOnly}
                        placeholder="2027-06-30, 2028-06-30" value={g.followUpDates.join(', ')}
                        onValue={(val) => adoc.updateGoal(g.id, { followUpDates: val.split(/[,;\s]+/).filter(Boolean) })} />
                    </td>
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
                    {!readOnly && (
                      <td data-cell data-row={r} data-col={c++}>
                        <button type="button" className="icon-button icon-button--danger" onClick={() => adoc.removeGoal(g.id)}>
                          {t.remove}<span className="visually-hidden"> {rowLabel}</span>
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
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
