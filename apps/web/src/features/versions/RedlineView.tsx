/**
 * Renders an AgreementRedline: per section, inserted text as <ins> and deleted text as <del> (screen
 * readers announce them with a visually hidden "Tillagt:"/"Borttaget:" prefix), plus the goal and
 * contribution tables row by row, the period, the checklist, parties and attachments.
 */
import type { AgreementRedline, CellDiff, RowDiff, TableDiff, TextChange } from '@overens/model';
import { Fragment } from 'react';
import { fmt, useMessages } from '../../i18n/index.tsx';
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

/** Column labels come from the agreement messages when they exist (same words as the tables use). */
function columnLabel(column: string, a: Record<string, string>): string {
  const [name, partyId] = column.split(':');
  const keys = [`goal_${name}`, `col_${name}`, `contribution_${name}`, name!];
  for (const k of keys) if (a[k]) return partyId ? `${a[k]} (${partyId.slice(0, 8)})` : a[k]!;
  return column;
}

function Cell({ cell, t, a }: { cell: CellDiff; t: T; a: Record<string, string> }) {
  return (
    <li>
      <span className="redline__col">{columnLabel(cell.column, a)}: </span>
      {cell.changes.length > 0 ? <Changes changes={cell.changes} t={t} /> : <span className="muted">{t.empty_value}</span>}
    </li>
  );
}

function Table({ title, table, t, a }: { title: string; table: TableDiff; t: T; a: Record<string, string> }) {
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
                <Cell key={c.column} cell={c} t={t} a={a} />
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
  const a = useMessages(agreementMessages) as unknown as Record<string, string>;
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
      <Table title={t.goals} table={redline.goals} t={t} a={a} />
      <Table title={t.contributions} table={redline.contributions} t={t} a={a} />
      {redline.period.length > 0 && (
        <section className="redline__part">
          <h4 className="redline__heading">{t.period}</h4>
          <ul className="redline__cells">
            {redline.period.map((p) => (
              <Cell key={p.field} cell={{ column: p.field, old: p.old, new: p.new, changes: [...(p.old ? [{ op: 'delete' as const, text: p.old }] : []), ...(p.new ? [{ op: 'insert' as const, text: p.new }] : [])] }} t={t} a={a} />
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
                <span className="redline__col">{columnLabel(`checklist_${c.key}`, a) === `checklist_${c.key}` ? c.key : columnLabel(`checklist_${c.key}`, a)}: </span>
                {c.answer && <Changes changes={[...(c.answer.old ? [{ op: 'delete' as const, text: c.answer.old }] : []), ...(c.answer.new ? [{ op: 'insert' as const, text: c.answer.new }] : [])]} t={t} />}{' '}
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
                      <Cell key={fd.field} cell={{ column: fd.field.split(':')[0]!, old: fd.old, new: fd.new, changes: [...(fd.old ? [{ op: 'delete' as const, text: fd.old }] : []), ...(fd.new ? [{ op: 'insert' as const, text: fd.new }] : [])] }} t={t} a={a} />
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
