import { useEffect, useRef, type ReactNode } from 'react';
import { Layout, Loading } from './components/Layout.tsx';
import { useMessages } from './i18n/index.tsx';
import { coreMessages } from './i18n/messages/core.ts';
import { AcceptInvitationPage } from './pages/AcceptInvitationPage.tsx';
import { AgreementPage } from './agreement/AgreementPage.tsx';
import { AgreementsPage } from './pages/AgreementsPage.tsx';
import { LoginPage, RegisterPage } from './pages/AuthPages.tsx';
import { NewAgreementPage } from './pages/NewAgreementPage.tsx';
import { OrganisationsPage } from './pages/OrganisationsPage.tsx';
import { Link, match, navigate, usePath } from './router.tsx';
import { useSession } from './session.tsx';

function RequireUser({ path, children }: { path: string; children: ReactNode }) {
  const { me, loading } = useSession();
  useEffect(() => {
    if (!loading && !me) navigate(`/login?next=${encodeURIComponent(path)}`, { replace: true });
  }, [loading, me, path]);
  if (loading || !me) return <Layout><Loading /></Layout>;
  return <>{children}</>;
}

function NotFound() {
  const t = useMessages(coreMessages);
  return (
    <Layout>
      <h1>{t.notFoundTitle}</h1>
      <p>{t.notFoundBody}</p>
      <p>
        <Link to="/agreements">{t.navAgreements}</Link>
      </p>
    </Layout>
  );
}

export function App() {
  const path = usePath();
  const { me, loading } = useSession();

  // Focus management on in-app navigation (not on the first load, so the skip link stays the first stop):
  // move focus to the main region, like a page load would reset it.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path === firstPath.current) return;
    // The redirect from "/" to the start page is still the first load.
    if (firstPath.current === '/' || firstPath.current === '') {
      firstPath.current = path;
      return;
    }
    firstPath.current = '\u0000';
    const main = document.getElementById('main');
    if (main && (document.activeElement === document.body || document.activeElement === null)) main.focus({ preventScroll: true });
  }, [path]);

  if (path === '/' || path === '') {
    if (loading) return <Layout><Loading /></Layout>;
    navigate(me ? '/agreements' : '/login', { replace: true });
    return null;
  }
  let m: Record<string, string> | null;
  if (match('/login', path)) return <LoginPage path={path} />;
  if (match('/register', path)) return <RegisterPage path={path} />;
  if ((m = match('/invitations/:token', path))) return <AcceptInvitationPage token={m.token!} path={path} />;
  if (match('/agreements', path))
    return (
      <RequireUser path={path}>
        <AgreementsPage />
      </RequireUser>
    );
  if (match('/agreements/new', path))
    return (
      <RequireUser path={path}>
        <NewAgreementPage />
      </RequireUser>
    );
  if ((m = match('/agreements/:id', path)))
    return (
      <RequireUser path={path}>
        <AgreementPage key={m.id} agreementId={m.id!} />
      </RequireUser>
    );
  if (match('/organisations', path))
    return (
      <RequireUser path={path}>
        <OrganisationsPage path={path} />
      </RequireUser>
    );
  return <NotFound />;
}
