/**
 * "Registrera mätning" for one goal (shown to editors of the goal's responsible party): value with a
 * decimal comma, the date measured (a native date input), source or method and an optional comment.
 * react-hook-form through components/forms.tsx; the saved measurement arrives in both windows through
 * the event stream.
 */
import { useRef, useState } from 'react';
import { Form, SubmitButton, TextAreaField, TextField, useZodForm } from '../../components/forms.tsx';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { followUpApi, type FollowUpGoal } from './api.ts';
import { measurementFormSchema, type MeasurementFormInput } from './measurement-schema.ts';
import { todayInStockholm } from './numbers.ts';
import { suggestedMeasuredOn } from './suggest.ts';

export function MeasurementForm({ agreementId, goal, onSaved }: { agreementId: string; goal: FollowUpGoal; onSaved: () => void }) {
  const t = useMessages(followUpMessages);
  const [done, setDone] = useState<string | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const f = useZodForm<MeasurementFormInput, { value: number; measuredOn: string; source: string; comment: string }>({
    schema: measurementFormSchema,
    defaultValues: {
      value: '',
      measuredOn: suggestedMeasuredOn(goal.followUpDates, goal.measurements.map((m) => m.measuredOn), todayInStockholm()),
      source: goal.baseline.source || '',
      comment: '',
    },
    wording: {
      value: { required: t.valueInvalid, decimal: t.valueInvalid },
      measuredOn: { required: t.measuredOnInvalid, date: t.measuredOnInvalid },
      source: { required: t.sourceRequired },
    },
    onSubmit: async (v) => {
      setDone(null);
      await followUpApi.record(agreementId, {
        goalId: goal.goalId,
        value: v.value,
        measuredOn: v.measuredOn,
        source: v.source,
        ...(v.comment ? { comment: v.comment } : {}),
      });
      f.form.reset({ value: '', measuredOn: v.measuredOn, source: v.source, comment: '' });
      setDone(t.recorded);
      onSaved();
    },
  });
  return (
    <div className="measurement-form" data-testid={`measurement-form-${goal.goalId}`}>
      <Form form={f}>
        <div className="measurement-form__row">
          <TextField label={t.valueLabel} hint={t.valueHint} inputMode="decimal" autoComplete="off" {...f.field('value')} />
          <TextField label={t.measuredOnLabel} type="date" {...f.field('measuredOn')} />
        </div>
        <TextField label={t.sourceLabel} hint={t.sourceHint} {...f.field('source')} />
        <TextAreaField label={t.commentOptional} rows={2} {...f.field('comment')} />
        <SubmitButton form={f} busyLabel={t.saving}>
          {fmt(t.save, {})}
        </SubmitButton>
      </Form>
      <p ref={statusRef} className="measurement-form__status small" role="status">
        {done}
      </p>
    </div>
  );
}
