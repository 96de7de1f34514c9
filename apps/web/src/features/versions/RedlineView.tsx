/**
 * Renders an AgreementRedline: per section, inserted text as <ins> and deleted text as <del> (screen
 * readers announce them with a visually hidden "Tillagt:"/"Borttaget:" prefix), plus the goal and
 * contribution tables row by row, the period, the checklist, parties and attachments.
 */
import type { AgreementRedline, CellDiff, RowDiff, TableDiff, TextChange } from '@overens/model';
import { Fragment } from 'react';
import { fmt, useFormat, useMessages, type Formatters } from '../../i18n/index.tsx';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { versionMessages } from '../../i18n/messages/versions.ts';

type T = typeof versionMessages.sv;

function Lines({ text }: { text: string }) {
  const parts = text.split('\n');
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <br />}
          {p}
        </Fragment>
      ))}
    </>
  );
}

export function Changes({ changes, t }: { changes: TextChange[]; t: T }) {
  return (
    <>
      {changes.map((c, i) =>
        c.op === 'insert' ? (
          <ins key={i} className="redline__ins">
            <span className="visually-hidden">{t.inserted}: </span>
            <Lines text={c.text} />
          </ins>
        ) : c.op === 'delete' ? (
          <del key={i} className="redline__del">
            <span className="visually-hidden">{t.deleted}: </span>
            <Lines text={c.text} />
          </del>
        ) : (
          <span key={i}>
            <Lines text={c.text} />
          </span>
        ),
      )}
    </>
  );
}

type A = typeof agreementMessages.sv;

interface Ctx {
  t: T;
  a: A;
  f: Formatters;
  partyName: (id: string | null | undefined) => string;
}

/** A readable label for a changed column or field (`acceptedBy:<party>`, `contact:<id>` …). */
function columnLabel(column: string, { t, partyName }: Ctx): string {
  const [name, ref] = column.split(':') as [string, string | undefined];
  if (name === 'acceptedBy') return fmt(t.col_acceptedBy, { party: partyName(ref) });
  const key = `col_${name}` as keyof T;
  return (t[key] as string | undefined) ?? name;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A readable value: party names, dates in the locale, enum labels, yes for flags. */
function displayValue(column: string, value: string, { t, a, f, partyName }: Ctx): string {
  if (value === '') return value;
  const name = column.split(':')[0];
  if (name === 'partyId' || name === 'responsiblePartyId') return partyName(value);
  if (name === 'acceptedBy') return value === 'true' ? t.value_true : value;
  if (name === 'kind') {
    const k = ({ money: a.kindMoney, staff_time: a.kindStaff, premises: a.kindPremises, volunteer_work: a.kindVolunteer, expertise: a.kindExpertise, other: a.kindOther } as Record<string, string>)[value];
    return k ?? value;
  }
  if (name === 'followUpMethod') {
    const m = ({ survey: a.methodSurvey, statistics: a.methodStatistics, interviews: a.methodInterviews, focus_group: a.methodFocusGroup, other: a.methodOther } as Record<string, string>)[value];
    return m ?? value;
  }
  if (name === 'valueSek' || name === 'quantity') return Number.isFinite(Number(value)) ? f.number(Number(value)) : value;
  if (name === 'followUpDates') return value.split(', ').map((d) => (DATE.test(d) ? f.date(d) : d)).join(', ');
  if (DATE.test(value)) return f.date(value);
  return value;
}

function answerLabel(value: string, t: T): string {
  return value === 'yes' ? t.answer_yes : value === 'no' ? t.answer_no : value === 'unsure' ? t.answer_unsure : value;
}

/** Old → new as one deletion and one insertion (for values that are not compared word by word). */
function replaced(oldValue: string, newValue: string): TextChange[] {
  return [...(oldValue ? [{ op: 'delete' as const, text: oldValue }] : []), ...(newValue ? [{ op: 'insert' as const, text: newValue }] : [])];
}

const TEXT_COLUMNS = new Set(['goal', 'indicator', 'baselineValue', 'baselineSource', 'targetValue', 'description', 'unit']);

function Cell({ cell, ctx }: { cell: CellDiff; ctx: Ctx }) {
  const changes = TEXT_COLUMNS.has(cell.column) ? cell.changes : replaced(displayValue(cell.column, cell.old, ctx), displayValue(cell.column, cell.new, ctx));
  return (
    <li>
      <span className="redline__col">{columnLabel(cell.column, ctx)}: </span>
      {changes.length > 0 ? <Changes changes={changes} t={ctx.t} /> : <span className="muted">{ctx.t.empty_value}</span>}
    </li>
  );
}

function Table({ title, table, ctx }: { title: string; table: TableDiff; ctx: Ctx }) {
  const { t } = ctx;
  const rows = table.rows.filter((r) => r.change !== 'unchanged');
  if (rows.length === 0) return null;
  const label = (r: RowDiff) => (r.change === 'added' ? t.rowAdded : r.change === 'removed' ? t.rowRemoved : t.rowChanged);
  return (
    <section className="redline__part">
      <h4 className="redline__heading">{title}</h4>
      <ul className="redline__rows">
        {rows.map((r) => (
          <li key={r.rowId} className={`redline__row redline__row--${r.change}`} data-row-id={r.rowId}>
            <span className={`badge redline__badge redline__badge--${r.change}`}>{label(r)}</span> <strong>{r.label}</strong>
            <ul className="redline__cells">
              {r.cells.map((c) => (
                <Cell key={c.column} cell={c} ctx={ctx} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RedlineView({ redline }: { redline: AgreementRedline }) {
  const t = useMessages(versionMessages);
  const a = useMessages(agreementMessages);
  const f = useFormat();
  const { partyName } = useAgreement();
  const ctx: Ctx = { t, a, f, partyName };
  const sections = redline.sections.filter((s) => s.change !== 'unchanged' || s.moved);
  const s = redline.summary;
  if (!s.changed) return <p className="redline__none">{t.noChanges}</p>;
  return (
    <div className="redline" data-testid="redline">
      <p className="small muted">{t.legend}</p>
      <p className="small">{fmt(t.summary, { sections: s.sectionsAdded + s.sectionsRemoved + s.sectionsModified + s.sectionsMoved, goals: s.goalRowsChanged, contributions: s.contributionRowsChanged })}</p>
      {redline.title && (
        <section className="redline__part">
          <h4 className="redline__heading">{t.titleChanged}</h4>
          <p>
            <Changes changes={redline.title.changes} t={t} />
          </p>
        </section>
      )}
      {sections.map((sec) => (
        <section key={sec.sectionId} className={`redline__part redline__section redline__section--${sec.change}`} data-section-id={sec.sectionId}>
          <h4 className="redline__heading">
            {sec.titleDiff ? <Changes changes={sec.titleDiff.changes} t={t} /> : sec.title}{' '}
            {sec.change === 'added' && <span className="badge redline__badge redline__badge--added">{t.sectionAdded}</span>}
            {sec.change === 'removed' && <span className="badge redline__badge redline__badge--removed">{t.sectionRemoved}</span>}
            {sec.moved && <span className="badge badge--neutral">{t.sectionMoved}</span>}
          </h4>
          {sec.titleDiff && <p className="visually-hidden">{fmt(t.sectionRenamed, { old: sec.titleDiff.old, new: sec.titleDiff.new })}</p>}
          {(sec.bodyChanged || sec.change === 'added' || sec.change === 'removed') && (
            <p className="redline__body">
              <Changes changes={sec.body} t={t} />
            </p>
          )}
        </section>
      ))}
      <Table title={t.goals} table={redline.goals} ctx={ctx} />
      <Table title={t.contributions} table={redline.contributions} ctx={ctx} />
      {redline.period.length > 0 && (
        <section className="redline__part">
          <h4 className="redline__heading">{t.period}</h4>
          <ul className="redline__cells">
            {redline.period.map((p) => (
              <Cell key={p.field} cell={{ column: p.field, old: p.old, new: p.new, changes: [] }} ctx={ctx} />
            ))}
          </ul>
        </section>
      )}
      {redline.checklist.length > 0 && (
        <section className="redline__part">
          <h4 className="redline__heading">{t.checklist}</h4>
          <ul className="redline__cells">
            {redline.checklist.map((c) => (
              <li key={c.key}>
                <span className="redline__col">{(t[`check_${c.key}` as keyof T] as string | undefined) ?? c.key}: </span>
                {c.answer && <Changes changes={replaced(answerLabel(c.answer.old, t), answerLabel(c.answer.new, t))} t={t} />}{' '}
                {c.justification && <Changes changes={c.justification.changes} t={t} />}
              </li>
            ))}
          </ul>
        </section>
      )}
      {redline.parties.some((p) => p.change !== 'unchanged') && (
        <section className="redline__part">
          <h4 className="redline__heading">{t.parties}</h4>
          <ul className="redline__rows">
            {redline.parties
              .filter((p) => p.change !== 'unchanged')
              .map((p) => (
                <li key={p.partyId}>
                  <strong>{p.name}</strong>
                  <ul className="redline__cells">
                    {p.fields.map((fd) => (
                      <Cell key={fd.field} cell={{ column: fd.field.split(':')[0]!, old: fd.old, new: fd.new, changes: [] }} ctx={ctx} />
                    ))}
                  </ul>
                </li>
              ))}
          </ul>
        </section>
      )}
      {redline.attachments.some((x) => x.change !== 'unchanged') && (
        <section className="redline__part">
          <h4 className="redline__heading">{t.attachments}</h4>
          <ul className="redline__rows">
            {redline.attachments
              .filter((x) => x.change !== 'unchanged')
              .map((x) => (
                <li key={x.attachmentId}>
                  <span className={`badge redline__badge redline__badge--${x.change}`}>{x.change === 'added' ? t.rowAdded : x.change === 'removed' ? t.rowRemoved : t.rowChanged}</span> {x.title}
                </li>
              ))}
          </ul>
        </section>
      )}
    </div>
  );
}
