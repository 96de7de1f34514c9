/**
 * The page an organisation's invitation link opens (#/organisation-invitations/:token). Logged out it says
 * which organisation and who invited, and offers to sign in or register (coming back here); logged in,
 * "Gå med i …" joins at once (a POST: no GET writes).
 */
import { useEffect, useState } from 'react';
import { ApiError, client, unwrap, type Schemas } from '../api/client.ts';
import { Layout, Loading } from '../components/Layout.tsx';
import { fmt, useLocale, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { organisationsMessages } from '../i18n/messages/organisations.ts';
import { localizeProblem } from '../i18n/problems.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

type Preview = Schemas['OrganisationInvitationPreview'];

export function OrganisationInvitationPage({ token, path }: { token: string; path: string }) {
  const t = useMessages(organisationsMessages);
  const tc = useMessages(coreMessages);
  const { locale } = useLocale();
  const { me, loading } = useSession();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [joined, setJoined] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `${t.orgInviteTitle} – ${tc.appName}`;
  }, [t, tc]);
  useEffect(() => {
    unwrap(client.GET('/api/organisation-invitations/{token}', { params: { path: { token } } })).then(setPreview, (e) => {
      if (e instanceof ApiError && (e.status === 410 || e.status === 400)) setInvalid(true);
      else setError(e instanceof ApiError ? localizeProblem(e, locale).message : t.networkError);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const role = (r: string) => (r === 'admin' ? t.roleAdmin : t.roleMember).toLocaleLowerCase(locale);
  const join = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(client.POST('/api/organisation-invitations/{token}/accept', { params: { path: { token } } }));
      setJoined(fmt(t.orgInviteJoined, { role: role(r.role), organisation: preview.organisationName }));
    } catch (e) {
      setError(e instanceof ApiError ? localizeProblem(e, locale).message : t.networkError);
    } finally {
      setBusy(false);
    }
  };

  if (loading) return <Layout><Loading /></Layout>;
  return (
    <Layout>
      <div className="narrow">
        <h1>{t.orgInviteTitle}</h1>
        {invalid && <p className="notice notice--warning">{t.orgInviteInvalid}</p>}
        {!invalid && !preview && !error && <Loading />}
        {preview && (
          <>
            <p className="lead" data-testid="org-invite-intro">
              {preview.invitedBy
                ? fmt(t.orgInviteIntro, { name: preview.invitedBy, organisation: preview.organisationName, role: role(preview.role) })
                : fmt(t.orgInviteIntroNoName, { organisation: preview.organisationName, role: role(preview.role) })}
            </p>
            <p className="muted">{fmt(t.orgInviteFor, { email: preview.email })}</p>
          </>
        )}
        <div role="status">{joined && <p className="notice">{joined}</p>}</div>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
        {preview && !me && (
          <>
            <p>{t.orgInviteSignIn}</p>
            <p className="button-row">
              <Link className="button" to={`/login?next=${encodeURIComponent(path)}`}>{tc.signIn}</Link>
              <Link className="button button--secondary" to={`/register?next=${encodeURIComponent(path)}`}>{tc.register}</Link>
            </p>
          </>
        )}
        {preview && me && !joined && (
          <button type="button" className="button" disabled={busy} onClick={() => void join()}>
            {fmt(t.orgInviteJoin, { organisation: preview.organisationName })}
          </button>
        )}
        {(joined || invalid) && me && (
          <p>
            <Link to="/organisations">{t.toOrganisations}</Link>
          </p>
        )}
      </div>
    </Layout>
  );
}
