import { useEffect, useState } from 'react';
import { api, ApiError, type InvitationPreview, type Organisation } from '../api/client.ts';
import { ErrorSummary, SelectField, TextField } from '../components/forms.tsx';
import { Layout, Loading } from '../components/Layout.tsx';
import { OrganisationForm } from '../components/OrganisationForm.tsx';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { membersMessages } from '../i18n/messages/members.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { roleLabel } from './AgreementsPage.tsx';
import { useErrorState } from './AuthPages.tsx';

export function AcceptInvitationPage({ token, path }: { token: string; path: string }) {
  const t = useMessages(coreMessages);
  const tm = useMessages(membersMessages);
  const { me, loading } = useSession();
  // A signatory invitation asks for the title (befattning) printed under the name when signing.
  const [jobTitle, setJobTitle] = useState('');
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [orgId, setOrgId] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useErrorState();

  useEffect(() => {
    document.title = `${t.acceptTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    api.invitation(token).then(setPreview, (e) => {
      if (e instanceof ApiError && e.status !== 401) setInvalid(true);
    });
  }, [token, me]);
  useEffect(() => {
    if (me) api.organisations().then((o) => {
      setOrgs(o);
      if (o[0]) setOrgId((cur) => cur || o[0]!.id);
    }, err.fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me]);

  const accept = async (organisationId?: string) => {
    setBusy(true);
    err.clear();
    try {
      const title = preview?.signatory && jobTitle.trim() ? { title: jobTitle.trim() } : {};
      const res = await api.acceptInvitation(token, organisationId ? { organisationId, ...title } : title);
      navigate(`/agreements/${res.agreementId}`);
    } catch (x) {
      err.fail(x);
    } finally {
      setBusy(false);
    }
  };

  if (loading) return <Layout><Loading /></Layout>;

  return (
    <Layout>
      <div className="narrow">
        <h1>{t.acceptTitle}</h1>
        {invalid && <p className="notice notice--warning">{t.acceptInvalid}</p>}
        {preview && (
          <>
            <p className="lead">{fmt(t.acceptIntro, { title: preview.agreementTitle, role: roleLabel(t, preview.role).toLocaleLowerCase() })}</p>
            {preview.invitedBy && (
              <p>
                {preview.invitedByOrganisation
                  ? fmt(t.acceptInvitedBy, { name: preview.invitedBy, organisation: preview.invitedByOrganisation })
                  : fmt(t.acceptInvitedByPerson, { name: preview.invitedBy })}
              </p>
            )}
            {preview.signatory && <p>{t.acceptSignatory}</p>}
          </>
        )}
        {!me && !invalid && (
          <>
            <p className="lead">{t.acceptSignInFirst}</p>
            <p className="button-row">
              <Link className="button" to={`/login?next=${encodeURIComponent(path)}`}>{t.signIn}</Link>
              <Link className="button button--secondary" to={`/register?next=${encodeURIComponent(path)}`}>{t.register}</Link>
            </p>
          </>
        )}
        {me && !invalid && !preview && <Loading />}
        {me && preview && (
          <>
            <ErrorSummary errors={err.fieldErrors} message={err.message} />
            {preview.signatory && (
              <div className="section-block">
                <p>{tm.acceptSignatoryIntro}</p>
                <TextField name="title" label={tm.jobTitleLabel} hint={tm.jobTitleHint} value={jobTitle} maxLength={120} autoComplete="organization-title"
                  onChange={(e) => setJobTitle(e.target.value)} error={err.fieldErrors.title} />
              </div>
            )}
            {preview.newParty ? (
              <>
                <p>{t.acceptNewPartyIntro}</p>
                {orgs && orgs.length > 0 && (
                  <form onSubmit={(e) => { e.preventDefault(); void accept(orgId); }}>
                    <SelectField name="organisationId" label={t.acceptAs} value={orgId} onChange={(e) => setOrgId(e.target.value)} error={err.fieldErrors.organisationId}>
                      {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
                    </SelectField>
                    <button className="button" type="submit" disabled={busy}>{t.acceptButton}</button>
                  </form>
                )}
                <section className="section-block" aria-labelledby="accept-new-org">
                  <h2 id="accept-new-org" className="h3">{orgs && orgs.length > 0 ? t.acceptOrNew : t.acceptRegisterOrg}</h2>
                  <OrganisationForm submitLabel={t.acceptButton} onCreated={(org) => void accept(org.id)} />
                </section>
              </>
            ) : (
              <button className="button" type="button" disabled={busy} onClick={() => void accept()}>
                {t.acceptButton}
              </button>
            )}
          </>
        )}
      </div>
    </Layout>
  );
}
