/**
 * One measurement: value, date, source, who recorded it, the other party's confirmation and the
 * comments; "Bekräfta" for an editor of another party than the recorder's, "Kommentera" for anyone
 * who may comment. Both write through the API; the result comes back through the event stream.
 */
import { useState } from 'react';
import { z } from 'zod';
import { Form, SubmitButton, TextAreaField, useZodForm } from '../../components/forms.tsx';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { followUpApi, type Measurement } from './api.ts';

const confirmSchema = z.object({ comment: z.string().trim().max(2000) });
const commentSchema = z.object({ text: z.string().trim().min(1).max(2000) });

export interface MeasurementItemProps {
  agreementId: string;
  measurement: Measurement;
  myPartyId: string | undefined;
  canConfirm: boolean;
  canComment: boolean;
  partyName: (partyId: string) => string;
  onChanged: () => void;
}

export function MeasurementItem({ agreementId, measurement: m, myPartyId, canConfirm, canComment, partyName, onChanged }: MeasurementItemProps) {
  const t = useMessages(followUpMessages);
  const f = useFormat();
  const [open, setOpen] = useState<'confirm' | 'comment' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const confirmedByOther = m.confirmations.filter((c) => c.partyId !== m.recordedBy.partyId);
  const mayConfirm = canConfirm && myPartyId !== undefined && myPartyId !== m.recordedBy.partyId && !m.confirmations.some((c) => c.partyId === myPartyId);
  const date = f.date(m.measuredOn);

  const confirmForm = useZodForm({
    schema: confirmSchema,
    defaultValues: { comment: '' },
    onSubmit: async (v) => {
      await followUpApi.confirm(agreementId, m.id, v.comment || undefined);
      setOpen(null);
      setStatus(t.confirmed);
      onChanged();
    },
  });
  const commentForm = useZodForm({
    schema: commentSchema,
    defaultValues: { text: '' },
    wording: { text: { required: t.commentLabel } },
    onSubmit: async (v) => {
      await followUpApi.comment(agreementId, m.id, v.text);
      commentForm.form.reset({ text: '' });
      setOpen(null);
      setStatus(t.commentSent);
      onChanged();
    },
  });

  return (
    <li className="measurement card" data-testid="measurement" data-measurement-id={m.id}>
      <div className="measurement__head">
        <strong className="measurement__value">{f.number(m.value)}</strong>
        <span>{fmt(t.measuredOn, { date })}</span>
        {confirmedByOther.length > 0 ? (
          <span className="tag tag--green" data-testid="measurement-confirmed">
            {t.colConfirmed}
          </span>
        ) : (
          <span className="tag tag--yellow">{t.notConfirmed}</span>
        )}
      </div>
      <p className="small">
        {t.colSource}: {m.source}
      </p>
      {m.comment && <p className="measurement__comment">{m.comment}</p>}
      <p className="muted small">{fmt(t.recordedBy, { name: m.recordedBy.name, party: partyName(m.recordedBy.partyId), date: f.dateTime(m.recordedAt) })}</p>
      {m.confirmations.map((c) => (
        <p key={`${c.partyId}-${c.at}`} className="small measurement__confirmation">
          {fmt(t.confirmedBy, { name: c.name, party: partyName(c.partyId), date: f.dateTime(c.at) })}
          {c.comment && <>: {c.comment}</>}
        </p>
      ))}
      {m.comments.length > 0 && (
        <>
          <h4 className="measurement__comments-heading">{t.commentsHeading}</h4>
          <ul className="measurement__comments">
            {m.comments.map((c) => (
              <li key={c.id}>
                <span className="small muted">
                  {c.name} ({partyName(c.partyId)}), {f.dateTime(c.at)}:
                </span>{' '}
                {c.text}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="measurement__actions">
        {mayConfirm && open !== 'confirm' && (
          <button type="button" className="button button--small" onClick={() => setOpen('confirm')} aria-label={fmt(t.confirmNamed, { date })}>
            {t.confirm}
          </button>
        )}
        {canComment && open !== 'comment' && (
          <button type="button" className="button button--secondary button--small" onClick={() => setOpen('comment')} aria-label={fmt(t.commentNamed, { date })}>
            {t.comment}
          </button>
        )}
      </div>
      {open === 'confirm' && (
        <Form form={confirmForm} summary={false} className="measurement__form">
          <TextAreaField label={t.confirmCommentLabel} rows={2} autoFocus {...confirmForm.field('comment')} />
          <div className="button-row">
            <SubmitButton form={confirmForm} busyLabel={t.saving}>
              {t.confirm}
            </SubmitButton>
            <button type="button" className="button button--secondary" onClick={() => setOpen(null)}>
              {t.cancel}
            </button>
          </div>
        </Form>
      )}
      {open === 'comment' && (
        <Form form={commentForm} summary={false} className="measurement__form">
          <TextAreaField label={t.commentLabel} rows={3} autoFocus announceError {...commentForm.field('text')} />
          <div className="button-row">
            <SubmitButton form={commentForm} busyLabel={t.saving}>
              {t.commentSend}
            </SubmitButton>
            <button type="button" className="button button--secondary" onClick={() => setOpen(null)}>
              {t.cancel}
            </button>
          </div>
        </Form>
      )}
      <p className="small measurement__status" role="status">
        {status}
      </p>
    </li>
  );
}
