import { useEffect, useState } from 'react';
import { api, http, type Organisation, type TemplateInfo } from '../api/client.ts';
import { Form, SelectField, SubmitButton, TextField, useZodForm } from '../components/forms.tsx';
import { Layout, Loading } from '../components/Layout.tsx';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { membersMessages } from '../i18n/messages/members.ts';
import { useSession } from '../session.tsx';
import { Link, navigate } from '../router.tsx';

// The form's rules, loaded as the form appears (new-agreement-schema.ts).
const newAgreementSchema = () => import('./new-agreement-schema.ts').then((m) => m.newAgreementSchema);

export function NewAgreementPage() {
  const t = useMessages(coreMessages);
  const tm = useMessages(membersMessages);
  const { me } = useSession();
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const f = useZodForm({
    schema: newAgreementSchema,
    // `signs` starts unanswered: the person must say whether they sign.
    defaultValues: { title: '', organisationId: '', jobTitle: '', templateId: '' },
    wording: {
      title: { required: t.agreementTitleRequired },
      organisationId: { required: t.organisationRequired },
      // A firmatecknare is a person: the creator is asked whether they sign for their organisation.
      signs: { invalid_value: tm.signRequired, required: tm.signRequired },
    },
    onSubmit: async ({ title, organisationId, signs, jobTitle, templateId }) => {
      const created = await api.createAgreement({ title, organisationId, ...(templateId ? { templateId } : {}) });
      if (signs === 'yes' && me) {
        try {
          await http.patch(`/api/agreements/${encodeURIComponent(created.id)}/members/${encodeURIComponent(me.id)}`, { signatory: true, title: jobTitle });
        } catch {
          window.alert(tm.signingAfterCreateFailed);
        }
      }
      navigate(`/agreements/${created.id}`);
    },
  });
  const { setValue, watch } = f.form;
  const signs = watch('signs');
  const orgName = orgs?.find((o) => o.id === watch('organisationId'))?.name ?? '';
  const signsError = f.errors.signs;

  useEffect(() => {
    document.title = `${t.createTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    api.organisations().then((o) => {
      setOrgs(o);
      if (o[0]) setValue('organisationId', o[0].id);
    }, f.fail);
    api.templates().then(
      (ts) => {
        setTemplates(ts);
        if (ts[0]) setValue('templateId', ts[0].id);
      },
      () => setTemplates([]),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <Layout>
      <div className="narrow">
        <p>
          <Link to="/agreements" className="back-link">
            {t.back}
          </Link>
        </p>
        <h1>{t.createTitle}</h1>
        <p className="lead">{t.createIntro}</p>
        {!orgs && !f.message && <Loading />}
        {!orgs && f.message && <p role="alert">{f.message}</p>}
        {orgs && orgs.length === 0 && (
          <div className="notice">
            <p>{t.noOrganisations}</p>
            <Link to={`/organisations?next=${encodeURIComponent('/agreements/new')}`} className="button">
              {t.createOrganisationFirst}
            </Link>
          </div>
        )}
        {orgs && orgs.length > 0 && (
          <Form form={f}>
            <TextField label={t.agreementTitle} hint={t.agreementTitleHint} {...f.field('title')} />
            <SelectField label={t.organisation} hint={t.organisationHint} {...f.field('organisationId')}>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </SelectField>
            <fieldset className="fieldset" aria-describedby="signs-hint">
              <legend className="fieldset__legend">{fmt(tm.signQuestion, { org: orgName })}</legend>
              <p id="signs-hint" className="small muted">
                {tm.signQuestionHint}
              </p>
              {signsError && (
                <p className="field__error" id="signs-error">
                  {signsError}
                </p>
              )}
              <div className="radios">
                <label className="radio">
                  <input type="radio" value="yes" {...f.form.register('signs')} aria-describedby={signsError ? 'signs-error' : undefined} />
                  <span>{fmt(tm.signYes, { org: orgName })}</span>
                </label>
                <label className="radio">
                  <input type="radio" value="no" {...f.form.register('signs')} />
                  <span>{tm.signNo}</span>
                </label>
              </div>
              {signs === 'yes' && (
                <TextField label={tm.jobTitleLabel} hint={tm.jobTitleHint} maxLength={120} autoComplete="organization-title" {...f.field('jobTitle')} />
              )}
            </fieldset>
            {templates.length > 0 && (
              <fieldset className="fieldset">
                <legend className="fieldset__legend">{t.template}</legend>
                <div className="radios">
                  {templates.map((tpl) => (
                    <label key={tpl.id} className="radio radio--card">
                      <input type="radio" value={tpl.id} {...f.form.register('templateId')} />
                      <span>
                        <strong>{tpl.name || t.templateStandard}</strong>
                        {tpl.sections && (
                          <span className="muted small block">
                            {fmt(t.templateSections, { count: tpl.sections.length, required: tpl.sections.filter((s) => s.required).length })}
                          </span>
                        )}
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
            <SubmitButton form={f}>{t.create}</SubmitButton>
          </Form>
        )}
      </div>
    </Layout>
  );
}
