import { useEffect, useState, type FormEvent } from 'react';
import { api, http, type Organisation, type TemplateInfo } from '../api/client.ts';
import { ErrorSummary, SelectField, TextField } from '../components/forms.tsx';
import { Layout, Loading } from '../components/Layout.tsx';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { membersMessages } from '../i18n/messages/members.ts';
import { useSession } from '../session.tsx';
import { Link, navigate } from '../router.tsx';
import { useErrorState } from './AuthPages.tsx';

export function NewAgreementPage() {
  const t = useMessages(coreMessages);
  const tm = useMessages(membersMessages);
  const { me } = useSession();
  // The creator is asked whether they sign for their organisation (a firmatecknare is a person).
  const [signs, setSigns] = useState<'yes' | 'no' | ''>('');
  const [jobTitle, setJobTitle] = useState('');
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [title, setTitle] = useState('');
  const [orgId, setOrgId] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useErrorState();

  useEffect(() => {
    document.title = `${t.createTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    api.organisations().then((o) => {
      setOrgs(o);
      if (o[0]) setOrgId(o[0].id);
    }, err.fail);
    api.templates().then((ts) => {
      setTemplates(ts);
      if (ts[0]) setTemplateId(ts[0].id);
    }, () => setTemplates([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!title.trim()) local.title = t.agreementTitleRequired;
    if (!orgId) local.organisationId = t.organisationRequired;
    if (!signs) local.signs = tm.signRequired;
    if (Object.keys(local).length) {
      err.setFieldErrors(local);
      err.setMessage(null);
      return;
    }
    setBusy(true);
    err.clear();
    try {
      const created = await api.createAgreement({ title: title.trim(), organisationId: orgId, ...(templateId ? { templateId } : {}) });
      if (signs === 'yes' && me) {
        try {
          await http.patch(`/api/agreements/${encodeURIComponent(created.id)}/members/${encodeURIComponent(me.id)}`, {
            signatory: true,
            title: jobTitle.trim(),
          });
        } catch {
          window.alert(tm.signingAfterCreateFailed);
        }
      }
      navigate(`/agreements/${created.id}`);
    } catch (x) {
      err.fail(x);
    } finally {
      setBusy(false);
    }
  };

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
        {!orgs && <Loading />}
        {orgs && orgs.length === 0 && (
          <div className="notice">
            <p>{t.noOrganisations}</p>
            <Link to={`/organisations?next=${encodeURIComponent('/agreements/new')}`} className="button">
              {t.createOrganisationFirst}
            </Link>
          </div>
        )}
        {orgs && orgs.length > 0 && (
          <form onSubmit={submit} noValidate>
            <ErrorSummary errors={err.fieldErrors} message={err.message} />
            <TextField name="title" label={t.agreementTitle} hint={t.agreementTitleHint} value={title}
              onChange={(e) => setTitle(e.target.value)} error={err.fieldErrors.title} />
            <SelectField name="organisationId" label={t.organisation} hint={t.organisationHint} value={orgId}
              onChange={(e) => setOrgId(e.target.value)} error={err.fieldErrors.organisationId}>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </SelectField>
            <fieldset className="fieldset" aria-describedby="signs-hint">
              <legend className="fieldset__legend">{fmt(tm.signQuestion, { org: orgs.find((o) => o.id === orgId)?.name ?? '' })}</legend>
              <p id="signs-hint" className="small muted">
                {tm.signQuestionHint}
              </p>
              {err.fieldErrors.signs && (
                <p className="field__error" id="signs-error">
                  {err.fieldErrors.signs}
                </p>
              )}
              <div className="radios">
                <label className="radio">
                  <input type="radio" name="signs" value="yes" checked={signs === 'yes'} onChange={() => setSigns('yes')} aria-describedby={err.fieldErrors.signs ? 'signs-error' : undefined} />
                  <span>{fmt(tm.signYes, { org: orgs.find((o) => o.id === orgId)?.name ?? '' })}</span>
                </label>
                <label className="radio">
                  <input type="radio" name="signs" value="no" checked={signs === 'no'} onChange={() => setSigns('no')} />
                  <span>{tm.signNo}</span>
                </label>
              </div>
              {signs === 'yes' && (
                <TextField name="jobTitle" label={tm.jobTitleLabel} hint={tm.jobTitleHint} value={jobTitle} maxLength={120} autoComplete="organization-title" onChange={(e) => setJobTitle(e.target.value)} />
              )}
            </fieldset>
            {templates.length > 0 && (
              <fieldset className="fieldset">
                <legend className="fieldset__legend">{t.template}</legend>
                <div className="radios">
                  {templates.map((tpl) => (
                    <label key={tpl.id} className="radio radio--card">
                      <input type="radio" name="templateId" value={tpl.id} checked={templateId === tpl.id} onChange={() => setTemplateId(tpl.id)} />
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
            <button type="submit" className="button" disabled={busy}>
              {t.create}
            </button>
          </form>
        )}
      </div>
    </Layout>
  );
}
