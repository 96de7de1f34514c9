import { useState } from 'react';
import { CONTRIBUTION_KINDS, type ContributionKind, type ContributionRow } from '@overens/model';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { CellInput, gridKeys, NumberInput, useAdoc } from './common.tsx';

export function kindLabel(t: typeof agreementMessages.sv, k: ContributionKind): string {
  return ({ money: t.kindMoney, staff_time: t.kindStaff, premises: t.kindPremises, volunteer_work: t.kindVolunteer, expertise: t.kindExpertise, other: t.kindOther })[k];
}

/**
 * The table of what each party contributes, designed for the document column like the goal table:
 * one compact row per contribution (party, description, value) with the party always visible,
 * expanding into a form for the rest (kind, quantity, unit, value, period, remove), so nothing scrolls
 * sideways. Keyboard: arrow keys move between the row's cells (left/right leave a text cell when the
 * caret is at its start/end; selects keep their arrows), like a grid.
 */
export function ContributionsEditor() {
  const t = useMessages(agreementMessages);
  const f = useFormat();
  const { readOnly, agreement } = useAgreement();
  const { adoc } = useAdoc();
  const rows = adoc.contributions();
  const parties = agreement.parties;
  const total = (pred: (r: ContributionRow) => boolean) => rows.filter(pred).reduce((s, r) => s + (r.valueSek ?? 0), 0);
  const kindsUsed = CONTRIBUTION_KINDS.filter((k) => rows.some((r) => r.kind === k));
  const [open, setOpen] = useState<Record<string, boolean>>({});

  const addRow = () => {
    const id = adoc.addContribution({ partyId: agreement.partyId || null, kind: 'money' });
    window.setTimeout(() => document.querySelector<HTMLElement>(`#contribution-${id}-description`)?.focus(), 30);
  };

  return (
    <div className="structured-block" id="contributions">
      <h3 className="structured-block__title" id="contributions-title">{t.contributionsTitle}</h3>
      <p className="muted small">{t.contributionsIntro}</p>
      {rows.length === 0 && <p className="empty small">{t.contributionsEmpty}</p>}
      {rows.length > 0 && (
        <div className="table-fit">
          <table className="grid-table grid-table--fit contributions-table" onKeyDown={gridKeys} aria-labelledby="contributions-title">
            <thead>
              <tr>
                <th scope="col" className="col-num">#</th>
                <th scope="col" className="col-party">{t.contribParty}</th>
                <th scope="col">{t.contribDescription}</th>
                <th scope="col" className="col-sek">{t.contribValue}</th>
                <th scope="col" className="col-toggle"><span className="visually-hidden">{t.goalDetails}</span></th>
              </tr>
            </thead>
            {rows.map((r, i) => {
              const rowLabel = fmt(t.contribRow, { n: i + 1 });
              const upd = (patch: Partial<ContributionRow>) => adoc.updateContribution(r.id, patch);
              const expanded = Boolean(open[r.id]);
              const detailsId = `contribution-${r.id}-details`;
              const field = (col: string) => `contribution-${r.id}-${col}`;
              return (
                <tbody key={r.id}>
                  <tr id={`contribution-${r.id}`} data-contribution-row={r.id}>
                    <th scope="row" className="grid-table__num">{i + 1}</th>
                    <td data-cell data-row={i} data-col={0}>
                      <select id={field('partyId')} className="cell-input" aria-label={`${t.contribParty}, ${rowLabel}`} disabled={readOnly}
                        value={r.partyId ?? ''} onChange={(e) => upd({ partyId: e.target.value || null })}>
                        <option value="">{t.choose}</option>
                        {parties.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                      </select>
                    </td>
                    <td data-cell data-row={i} data-col={1}>
                      <CellInput id={field('description')} label={`${t.contribDescription}, ${rowLabel}`} readOnly={readOnly}
                        value={r.description} onValue={(v) => upd({ description: v })} />
                    </td>
                    <td className="grid-table__text num" data-contribution-value>{r.valueSek === null ? '–' : f.sek(r.valueSek)}</td>
                    <td data-cell data-row={i} data-col={2} className="grid-table__toggle">
                      <button type="button" className="icon-button" aria-expanded={expanded} aria-controls={detailsId}
                        onClick={() => setOpen((o) => ({ ...o, [r.id]: !expanded }))}>
                        <span aria-hidden="true">{expanded ? '▴' : '▾'}</span>
                        <span className="visually-hidden">{fmt(t.contribDetailsOf, { n: i + 1 })}</span>
                      </button>
                    </td>
                  </tr>
                  <tr id={detailsId} className="goal-details" hidden={!expanded}>
                    <td colSpan={5}>
                      {expanded && (
                        <div className="goal-details__form">
                          <div className="goal-details__field">
                            <label htmlFor={field('kind')}>{t.contribKind}</label>
                            <select id={field('kind')} className="input" disabled={readOnly}
                              value={r.kind} onChange={(e) => upd({ kind: e.target.value as ContributionKind })}>
                              {CONTRIBUTION_KINDS.map((k) => <option key={k} value={k}>{kindLabel(t, k)}</option>)}
                            </select>
                          </div>
                          <div className="goal-details__field">
                            <label htmlFor={field('quantity')}>{t.contribQuantity}</label>
                            <NumberInput id={field('quantity')} className="input" readOnly={readOnly} value={r.quantity} onNumber={(n) => upd({ quantity: n })} />
                          </div>
                          <div className="goal-details__field">
                            <label htmlFor={field('unit')}>{t.contribUnit}</label>
                            <input id={field('unit')} className="input" readOnly={readOnly} value={r.unit} onChange={(e) => upd({ unit: e.target.value })} />
                          </div>
                          <div className="goal-details__field">
                            <label htmlFor={field('valueSek')}>{t.contribValue}</label>
                            <NumberInput id={field('valueSek')} className="input" readOnly={readOnly} value={r.valueSek} onNumber={(n) => upd({ valueSek: n })} />
                          </div>
                          <div className="goal-details__field">
                            <label htmlFor={field('periodStart')}>{t.contribFrom}</label>
                            <input id={field('periodStart')} className="input" type="date" readOnly={readOnly} value={r.periodStart ?? ''}
                              onChange={(e) => upd({ periodStart: e.target.value || null })} />
                          </div>
                          <div className="goal-details__field">
                            <label htmlFor={field('periodEnd')}>{t.contribTo}</label>
                            <input id={field('periodEnd')} className="input" type="date" readOnly={readOnly} value={r.periodEnd ?? ''}
                              onChange={(e) => upd({ periodEnd: e.target.value || null })} />
                          </div>
                          {!readOnly && (
                            <p className="goal-details__actions">
                              <button type="button" className="button button--secondary button--small" onClick={() => adoc.removeContribution(r.id)}>
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
          {t.addContribution}
        </button>
      )}
      {rows.length > 0 && (
        <div className="totals">
          <table className="table table--compact" aria-label={t.totalsByParty}>
            <caption className="totals__caption">{t.totalsByParty}</caption>
            <tbody>
              {parties.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td className="num" data-total-party={p.id}>{f.sek(total((r) => r.partyId === p.id))}</td>
                </tr>
              ))}
              <tr className="totals__sum">
                <th scope="row">{t.totalAll}</th>
                <td className="num">{f.sek(total(() => true))}</td>
              </tr>
            </tbody>
          </table>
          <table className="table table--compact" aria-label={t.totalsByKind}>
            <caption className="totals__caption">{t.totalsByKind}</caption>
            <tbody>
              {kindsUsed.map((k) => (
                <tr key={k}>
                  <th scope="row">{kindLabel(t, k)}</th>
                  <td className="num">{f.sek(total((r) => r.kind === k))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
