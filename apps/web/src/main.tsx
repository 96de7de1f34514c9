import './strict-csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/index.tsx';
import { AppRoutes } from './routes.tsx';
import { SessionProvider } from './session.tsx';
import './styles.css';
import './tiptap-base.css';

// Links of the form /invitations/<token> (as the server may print them) open the hash route.
const pathInvite = /^\/invitations\/([^/]+)\/?$/.exec(window.location.pathname);
if (pathInvite && !window.location.hash) window.history.replaceState(null, '', `/#/invitations/${pathInvite[1]}`);

// A direct load of an agreement (a reload, a link): fetch its page code, its description and open its
// socket now, in parallel with the session check, instead of one after the other once the route renders.
const agreementInUrl = /^#\/agreements\/([0-9a-fA-F-]{36})(?:[/?]|$)/.exec(window.location.hash);
if (agreementInUrl) {
  const id = agreementInUrl[1]!;
  void import('./agreement/AgreementPage.tsx').then((m) => m.preloadAgreementPage(id), () => {});
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);

// Offline app shell (production builds only; the dev server serves modules that change on every edit).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      /* no offline shell: the app still works online */
    });
  });
}
