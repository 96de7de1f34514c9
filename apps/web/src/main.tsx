import './strict-csp.ts';
import { StrictMode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { I18nProvider } from './i18n/index.tsx';
import { queryClient } from './queries/client.ts';
import { SessionProvider } from './session.tsx';
import './styles.css';
import './tiptap-base.css';

// Links of the form /invitations/<token> (as the server may print them) open the hash route.
const pathInvite = /^\/invitations\/([^/]+)\/?$/.exec(window.location.pathname);
if (pathInvite && !window.location.hash) window.history.replaceState(null, '', `/#/invitations/${pathInvite[1]}`);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>
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
