import { type ReactNode } from 'react';
import { fmt, useLocale, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

export function Layout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const t = useMessages(coreMessages);
  const { locale, setLocale } = useLocale();
  const { me, signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        const main = document.getElementById('main');
        main?.focus();
        main?.scrollIntoView();
      }}>
        {t.skipToContent}
      </a>
      <header className="header">
        <div className="header__inner container--wide">
          <Link to={me ? '/agreements' : '/login'} className="header__brand">
            <span className="header__logo" aria-hidden="true">
              ✓
            </span>
            {t.appName}
          </Link>
          {me && (
            <nav aria-label={t.mainNav} className="header__nav">
              <ul>
                <li>
                  <Link to="/agreements">{t.navAgreements}</Link>
                </li>
                <li>
                  <Link to="/organisations">{t.navOrganisations}</Link>
                </li>
              </ul>
            </nav>
          )}
          <div className="header__tools">
            <button
              type="button"
              className="link-button header__lang"
              lang={locale === 'sv' ? 'en' : 'sv'}
              onClick={() => setLocale(locale === 'sv' ? 'en' : 'sv')}
            >
              {locale === 'sv' ? t.switchToEn : t.switchToSv}
            </button>
            {me && (
              <>
                <span className="header__user">
                  <span className="visually-hidden">{fmt(t.signedInAs, { name: '' })}</span>
                  {me.name}
                </span>
                <button
                  type="button"
                  className="link-button"
                  onClick={async () => {
                    await signOut();
                    navigate('/login');
                  }}
                >
                  {t.signOut}
                </button>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className={wide ? 'main container--wide' : 'main container'}>
        {children}
      </main>
    </>
  );
}

export function Loading() {
  const t = useMessages(coreMessages);
  return (
    <p role="status" className="muted">
      {t.loading}
    </p>
  );
}
