/**
 * "Uppföljningsrapport": PDF or Word for a chosen date, in Swedish or English. A POST (the export is
 * recorded in the audit trail); the file is handed to the browser as a download.
 */
import { useId, useState } from 'react';
import { useErrorState } from '../../components/forms.tsx';
import { fmt, useLocale, useMessages } from '../../i18n/index.tsx';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { downloadReport } from './api.ts';
import { todayInStockholm } from './numbers.ts';

export function ReportExport({ agreementId }: { agreementId: string }) {
  const t = useMessages(followUpMessages);
  const { locale } = useLocale();
  const id = useId().replace(/:/g, '');
  const [asOf, setAsOf] = useState(todayInStockholm());
  const [format, setFormat] = useState<'pdf' | 'docx'>('pdf');
  const [language, setLanguage] = useState<'sv' | 'en'>(locale);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const errors = useErrorState();

  const run = async () => {
    errors.clear();
    setDone(null);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      errors.setFieldErrors({ asOf: t.measuredOnInvalid });
      return;
    }
    setBusy(true);
    try {
      const name = await downloadReport(agreementId, { format, asOf, locale: language });
      setDone(fmt(t.reportDone, { name }));
    } catch (e) {
      errors.fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="follow-up__section" aria-labelledby={`${id}-h`} data-testid="follow-up-report">
      <h2 id={`${id}-h`}>{t.reportHeading}</h2>
      <p className="small">{t.reportIntro}</p>
      <form
        className="report-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className={`field${errors.fieldErrors.asOf ? ' field--error' : ''}`}>
          <label className="field__label" htmlFor={`${id}-asof`}>
            {t.reportAsOf}
          </label>
          {errors.fieldErrors.asOf && (
            <p id={`${id}-asof-error`} className="field__error">
              {errors.fieldErrors.asOf}
            </p>
          )}
          <input
            id={`${id}-asof`}
            className="input"
            type="date"
            value={asOf}
            onChange={(e) => setAsOf(e.target.value)}
            aria-invalid={errors.fieldErrors.asOf ? true : undefined}
            aria-describedby={errors.fieldErrors.asOf ? `${id}-asof-error` : undefined}
          />
        </div>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.reportFormat}</legend>
          <div className="radios radios--inline">
          <label className="radio">
            <input type="radio" name={`${id}-format`} checked={format === 'pdf'} onChange={() => setFormat('pdf')} /> <span>{t.reportPdf}</span>
          </label>
          <label className="radio">
            <input type="radio" name={`${id}-format`} checked={format === 'docx'} onChange={() => setFormat('docx')} /> <span>{t.reportDocx}</span>
          </label>
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.reportLanguage}</legend>
          <div className="radios radios--inline">
          <label className="radio">
            <input type="radio" name={`${id}-lang`} checked={language === 'sv'} onChange={() => setLanguage('sv')} /> <span>{t.langSv}</span>
          </label>
          <label className="radio">
            <input type="radio" name={`${id}-lang`} checked={language === 'en'} onChange={() => setLanguage('en')} /> <span>{t.langEn}</span>
          </label>
          </div>
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t.reportBusy : t.reportDownload}
        </button>
      </form>
      {errors.message && (
        <p className="field__error" role="alert">
          {errors.message}
        </p>
      )}
      <p className="small" role="status">
        {done}
      </p>
    </section>
  );
}
