/**
 * The routes. Every page is its own chunk (React.lazy), so the sign-in page loads no editor and the
 * agreement page loads its editor, tables and feature panels only when it opens (budgets: bench/bundle-size.ts).
 */
import { lazy, Suspense, useEffect, useRef, type ComponentType, type ReactNode } from 'react';
import { HashRouter, Navigate, Route, Routes, useParams } from 'react-router';
import { Layout, Loading } from './components/Layout.tsx';
import { useMessages } from './i18n/index.tsx';
import { coreMessages } from './i18n/messages/core.ts';
import { cacheLoadedAssets } from './offline-cache.ts';
import { Link, usePath } from './router.tsx';
import { useSession } from './session.tsx';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyComponent = ComponentType<any>;
/**
 * A page's component from its own chunk. Once the chunk is in (main.tsx starts a direct load's page
 * chunk early), the component is rendered directly: React.lazy suspends once even for a loaded module,
 * and React reveals a suspended boundary's content with a throttle (up to 300 ms).
 */
const page = <K extends string>(load: () => Promise<Record<K, AnyComponent>>, name: K) => {
  let loaded: AnyComponent | null = null;
  const Lazy = lazy(async () => {
    const m = await load();
    cacheLoadedAssets();
    loaded = m[name];
    return { default: m[name] };
  });
  const Page = (props: Record<string, unknown>) => {
    const C: AnyComponent = loaded ?? Lazy;
    return <C {...props} />;
  };
  Page.preload = () =>
    load().then((m) => {
      cacheLoadedAssets();
      loaded ??= m[name];
    });
  return Page;
};

const LoginPage = page(() => import('./pages/AuthPages.tsx'), 'LoginPage') as ComponentType<{ path: string }>;
const RegisterPage = page(() => import('./pages/AuthPages.tsx'), 'RegisterPage') as ComponentType<{ path: string }>;
const AcceptInvitationPage = page(() => import('./pages/AcceptInvitationPage.tsx'), 'AcceptInvitationPage') as ComponentType<{ token: string; path: string }>;
const OrganisationInvitationPage = page(() => import('./pages/OrganisationInvitationPage.tsx'), 'OrganisationInvitationPage') as ComponentType<{ token: string; path: string }>;
const AgreementsPage = page(() => import('./pages/AgreementsPage.tsx'), 'AgreementsPage') as ComponentType;
const NewAgreementPage = page(() => import('./pages/NewAgreementPage.tsx'), 'NewAgreementPage') as ComponentType;
const OrganisationsPage = page(() => import('./pages/OrganisationsPage.tsx'), 'OrganisationsPage') as ComponentType<{ path: string }>;
const AdminPage = page(() => import('./pages/AdminPage.tsx'), 'AdminPage') as ComponentType;
const VerifyEmailPage = page(() => import('./pages/OrganisationsPage.tsx'), 'VerifyEmailPage') as ComponentType<{ token: string }>;
const agreementPage = page(() => import('./agreement/AgreementPage.tsx'), 'AgreementPage');
const AgreementPage = agreementPage as ComponentType<{ agreementId: string }>;
/** Renders the agreement page without suspending once its code is in (main.tsx, on a direct load). */
export const preloadAgreementRoute = (): Promise<void> => agreementPage.preload();
const FollowUpPage = page(() => import('./features/follow-up/FollowUpPage.tsx'), 'FollowUpPage') as ComponentType<{ agreementId: string }>;

function PageLoading() {
  return (
    <Layout>
      <Loading />
    </Layout>
  );
}

function RequireUser({ children }: { children: ReactNode }) {
  const path = usePath();
  const { me, loading } = useSession();
  if (loading) return <PageLoading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(path)}`} replace />;
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

function Start() {
  const { me, loading } = useSession();
  if (loading) return <PageLoading />;
  return <Navigate to={me ? '/agreements' : '/login'} replace />;
}

/** Focus management on in-app navigation (not on the first load, so the skip link stays the first stop). */
function Root({ children }: { children: ReactNode }) {
  const path = usePath();
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
  return (
    <Suspense fallback={<PageLoading />}>{children}</Suspense>
  );
}

function WithPath({ render }: { render: (path: string) => ReactNode }) {
  return <>{render(usePath())}</>;
}

function Invitation() {
  const { token = '' } = useParams();
  return <WithPath render={(path) => <AcceptInvitationPage token={token} path={path} />} />;
}

function OrganisationInvitation() {
  const { token = '' } = useParams();
  return <WithPath render={(path) => <OrganisationInvitationPage token={token} path={path} />} />;
}

function VerifyEmail() {
  const { token = '' } = useParams();
  return <VerifyEmailPage token={token} />;
}

function FollowUp() {
  const { id = '' } = useParams();
  return (
    <RequireUser>
      <FollowUpPage key={id} agreementId={id} />
    </RequireUser>
  );
}

function Agreement() {
  const { id = '' } = useParams();
  return (
    <RequireUser>
      <AgreementPage key={id} agreementId={id} />
    </RequireUser>
  );
}

/** The app's routes under a hash router (declarative mode: no data router in the first chunk). */
export function AppRoutes() {
  return (
    <HashRouter>
      <Root>
        <Routes>
          <Route path="/" element={<Start />} />
          <Route path="/login" element={<WithPath render={(p) => <LoginPage path={p} />} />} />
          <Route path="/register" element={<WithPath render={(p) => <RegisterPage path={p} />} />} />
          <Route path="/invitations/:token" element={<Invitation />} />
          <Route path="/organisation-invitations/:token" element={<OrganisationInvitation />} />
          <Route path="/agreements" element={<RequireUser><AgreementsPage /></RequireUser>} />
          <Route path="/agreements/new" element={<RequireUser><NewAgreementPage /></RequireUser>} />
          <Route path="/agreements/:id" element={<Agreement />} />
          <Route path="/agreements/:id/follow-up" element={<FollowUp />} />
          <Route path="/organisations" element={<RequireUser><WithPath render={(p) => <OrganisationsPage path={p} />} /></RequireUser>} />
          <Route path="/admin" element={<RequireUser><AdminPage /></RequireUser>} />
          <Route path="/verify-email/:token" element={<VerifyEmail />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Root>
    </HashRouter>
  );
}
