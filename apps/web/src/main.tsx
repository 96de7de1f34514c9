import './strict-csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/index.tsx';
import { api } from './api/client.ts';
import { AppRoutes, preloadAgreementRoute } from './routes.tsx';
import { SessionProvider } from './session.tsx';
import './styles.css';
import './tiptap-base.css';

// Links of the form /invitations/<token> (as the server may print them) open the hash route.
const pathInvite = /^\/invitations\/([^/]+)\/?$/.exec(window.location.pathname);
if (pathInvite && !window.location.hash) window.history.replaceState(null, '', `/#/invitations/${pathInvite[1]}`);

// A direct load of an agreement (a reload, a link): its description is requested now, while the page's
// code is still loading; the socket opens and the editor's code starts loading as soon as the small
// early-start chunk is in (agreement/preload.ts), in parallel with the page's larger code.
const agreementInUrl = /^#\/agreements\/([0-9a-fA-F-]{36})(?:[/?]|$)/.exec(window.location.hash);
if (agreementInUrl) {
  const id = agreementInUrl[1]!;
  const detail = api.agreement(id);
  detail.catch(() => {
    /* the query reports it (and the page retries on mount) */
  });
  // The document's cache and socket first: the cache (IndexedDB) takes a few hundred ms to load here
  // when the main thread is busy, and the socket waits for it.
  void import('./sync/connection.ts').then((m) => m.preconnectAgreement(id), () => {});
  void import('./agreement/preload.ts').then((m) => m.preloadAgreement(id, detail), () => {});
  // With the page's code in (its features registered), the editor's parts are requested at once, so the
  // editor is ready for the page's first render instead of being asked for by it.
  void import('./agreement/AgreementPage.tsx').then((m) => m.preloadSectionEditor(), () => {});
  void preloadAgreementRoute().catch(() => {});
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
