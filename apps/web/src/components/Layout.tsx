import { type ReactNode } from 'react';
import { fmt, useLocale, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

/** A skip link after "Till huvudinnehållet": `target` is the id of a focusable landmark on the page. */
export interface SkipLink {
  target: string;
  label: string;
}

function skipTo(e: { preventDefault(): void }, id: string) {
  e.preventDefault();
  const el = document.getElementById(id);
  el?.focus();
  el?.scrollIntoView();
}

export function Layout({ children, wide = false, skipLinks = [] }: { children: ReactNode; wide?: boolean; skipLinks?: SkipLink[] }) {
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
      {skipLinks.map((l) => (
        <a key={l.target} className="skip-link" href={`#${l.target}`} onClick={(e) => skipTo(e, l.target)}>
          {l.label}
        </a>
      ))}
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
