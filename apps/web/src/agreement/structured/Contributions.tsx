import { CONTRIBUTION_KINDS, type ContributionKind, type ContributionRow } from '@overens/model';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { CellInput, parseNumber, useAdoc } from './common.tsx';

export function kindLabel(t: typeof agreementMessages.sv, k: ContributionKind): string {
  return ({ money: t.kindMoney, staff_time: t.kindStaff, premises: t.kindPremises, volunteer_work: t.kindVolunteer, expertise: t.kindExpertise, other: t.kindOther })[k];
}

export function ContributionsEditor() {
  const t = useMessages(agreementMessages);
  const f = useFormat();
  const { readOnly, agreement } = useAgreement();
  const { adoc } = useAdoc();
  const rows = adoc.contributions();
  const parties = agreement.parties;
  const total = (pred: (r: ContributionRow) => boolean) => rows.filter(pred).reduce((s, r) => s + (r.valueSek ?? 0), 0);
  const kindsUsed = CONTRIBUTION_KINDS.filter((k) => rows.some((r) => r.kind === k));

  return (
    <div className="structured-block" id="contributions">
      <h3 className="structured-block__title" id="contributions-title">{t.contributionsTitle}</h3>
      <p className="muted small">{t.contributionsIntro}</p>
      {rows.length === 0 && <p className="empty small">{t.contributionsEmpty}</p>}
      {rows.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby="contributions-title" tabIndex={0}>
          <table className="grid-table">
            <thead>
              <tr>
                <th scope="col">{t.contribParty}</th>
                <th scope="col">{t.contribKind}</th>
                <th scope="col">{t.contribDescription}</th>
                <th scope="col">{t.contribQuantity}</th>
                <th scope="col">{t.contribUnit}</th>
                <th scope="col">{t.contribValue}</th>
                <th scope="col">{t.contribFrom}</th>
                <th scope="col">{t.contribTo}</th>
                {!readOnly && <th scope="col"><span className="visually-hidden">{t.actions}</span></th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const rowLabel = fmt(t.contribRow, { n: i + 1 });
                const upd = (patch: Partial<ContributionRow>) => adoc.updateContribution(r.id, patch);
                return (
                  <tr key={r.id} id={`contribution-${r.id}`}>
                    <td>
                      <select id={`contribution-${r.id}-partyId`} className="cell-input" aria-label={`${t.contribParty}, ${rowLabel}`} disabled={readOnly}
                        value={r.partyId ?? ''} onChange={(e) => upd({ partyId: e.target.value || null })}>
                        <option value="">{t.choose}</option>
                        {parties.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
                      </select>
                    </td>
                    <td>
                      <select id={`contribution-${r.id}-kind`} className="cell-input" aria-label={`${t.contribKind}, ${rowLabel}`} disabled={readOnly}
                        value={r.kind} onChange={(e) => upd({ kind: e.target.value as ContributionKind })}>
                        {CONTRIBUTION_KINDS.map((k) => <option key={k} value={k}>{kindLabel(t, k)}</option>)}
                      </select>
                    </td>
                    <td className="is-wide">
                      <CellInput id={`contribution-${r.id}-description`} label={`${t.contribDescription}, ${rowLabel}`} readOnly={readOnly}
                        value={r.description} onValue={(v) => upd({ description: v })} />
                    </td>
                    <td>
                      <CellInput id={`contribution-${r.id}-quantity`} label={`${t.contribQuantity}, ${rowLabel}`} readOnly={readOnly} inputMode="decimal"
                        value={r.quantity === null ? '' : String(r.quantity)} onValue={(v) => upd({ quantity: parseNumber(v) })} />
                    </td>
                    <td>
                      <CellInput id={`contribution-${r.id}-unit`} label={`${t.contribUnit}, ${rowLabel}`} readOnly={readOnly}
                        value={r.unit} onValue={(v) => upd({ unit: v })} />
                    </td>
                    <td>
                      <CellInput id={`contribution-${r.id}-valueSek`} label={`${t.contribValue}, ${rowLabel}`} readOnly={readOnly} inputMode="numeric"
                        value={r.valueSek === null ? '' : String(r.valueSek)} onValue={(v) => upd({ valueSek: parseNumber(v) })} />
                    </td>
                    <td>
                      <CellInput id={`contribution-${r.id}-periodStart`} type="date" label={`${t.contribFrom}, ${rowLabel}`} readOnly={readOnly}
                        value={r.periodStart ?? ''} onValue={(v) => upd({ periodStart: v || null })} />
                    </td>
                    <td>
                      <CellInput id={`contribution-${r.id}-periodEnd`} type="date" label={`${t.contribTo}, ${rowLabel}`} readOnly={readOnly}
                        value={r.periodEnd ?? ''} onValue={(v) => upd({ periodEnd: v || null })} />
                    </td>
                    {!readOnly && (
                      <td>
                        <button type="button" className="icon-button icon-button--danger" onClick={() => adoc.removeContribution(r.id)}>
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
        <button type="button" className="button button--secondary button--small"
          onClick={() => adoc.addContribution({ partyId: agreement.partyId || null, kind: 'money' })}>
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
