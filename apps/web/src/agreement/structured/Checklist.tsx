import { CHECKLIST_ITEMS, type ChecklistAnswerValue } from '@overens/model';
import { useLocale, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { useAdoc } from './common.tsx';

export function ChecklistEditor() {
  const t = useMessages(agreementMessages);
  const { locale } = useLocale();
  const { readOnly } = useAgreement();
  const { adoc } = useAdoc();
  const answers = adoc.checklist();
  const options: Array<{ v: ChecklistAnswerValue; label: string }> = [
    { v: 'yes', label: t.answerYes },
    { v: 'no', label: t.answerNo },
    { v: 'unsure', label: t.answerUnsure },
  ];
  return (
    <div className="structured-block" id="checklist">
      <h3 className="structured-block__title">{t.checklistTitle}</h3>
      <p className="muted small">{t.checklistIntro}</p>
      <ol className="checklist">
        {CHECKLIST_ITEMS.map((item) => {
          const a = answers[item.key];
          return (
            <li key={item.key} id={`checklist-${item.key}`} className="checklist__item">
              <fieldset className="fieldset fieldset--tight" id={`checklist-${item.key}-answer`}>
                <legend className="checklist__q">{item[locale]}</legend>
                <div className="radios radios--inline">
                  {options.map((o) => (
                    <label key={o.v} className="radio">
                      <input type="radio" name={`checklist-${item.key}`} value={o.v} checked={a?.answer === o.v} disabled={readOnly}
                        onChange={() => adoc.setChecklistAnswer(item.key, { answer: o.v })} />
                      <span>{o.label}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <label htmlFor={`checklist-${item.key}-justification`} className="mini-field__label">{t.justification}</label>
              <textarea id={`checklist-${item.key}-justification`} className="textarea" rows={2} readOnly={readOnly}
                value={a?.justification ?? ''} onChange={(e) => adoc.setChecklistAnswer(item.key, { justification: e.target.value })} />
            </li>
          );
        })}
      </ol>
    </div>
  );
}
