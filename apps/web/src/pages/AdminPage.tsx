/**
 * The operator's admin page (OVERENS_ADMIN_EMAILS): every organisation with its number, type, members,
 * requested e-mail domains and verification state; verify or unverify organisations and domains.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, client, unwrap } from '../api/client.ts';
import { Layout, Loading } from '../components/Layout.tsx';
import { fmt, useLocale, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { organisationsMessages } from '../i18n/messages/organisations.ts';
import { localizeProblem } from '../i18n/problems.ts';
import { kindLabel, VerificationBadge } from './OrganisationsPage.tsx';

interface AdminOrganisation {
  id: string;
  name: string;
  kind: 'ideburen' | 'kommun' | 'region';
  orgNumber: string;
  verified: boolean;
  duplicateOf: string | null;
  domains: Array<{ domain: string; verified: boolean }>;
  members: Array<{ name: string; email: string; role: 'admin' | 'member' }>;
}

export function AdminPage() {
  const tc = useMessages(coreMessages);
  const t = useMessages(organisationsMessages);
  const { locale } = useLocale();
  const [orgs, setOrgs] = useState<AdminOrganisation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [filter, setFilter] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const problem = (e: unknown) => (e instanceof ApiError ? localizeProblem(e, locale).message : t.networkError);

  useEffect(() => {
    document.title = `${t.adminTitle} – ${tc.appName}`;
  }, [t, tc]);
  const load = useCallback(() => {
    unwrap(client.GET('/api/admin/organisations')).then(
      (list) => setOrgs(list as AdminOrganisation[]),
      (e) => {
        if (e instanceof ApiError && e.status === 403) setForbidden(true);
        else setError(e instanceof ApiError ? e.readable : t.networkError);
      },
    );
  }, [t.networkError]);
  useEffect(load, [load]);

  const act = async (run: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await run();
      setAnnouncement(done);
      load();
    } catch (e) {
      setError(problem(e));
    }
  };
  const verifyOrg = (o: AdminOrganisation, verified: boolean) =>
    act(
      () => unwrap(client.PUT('/api/admin/organisations/{id}/verification', { params: { path: { id: o.id } }, body: { verified } })),
      fmt(verified ? t.verifiedDone : t.unverifiedDone, { name: o.name }),
    );
  const verifyDomain = (o: AdminOrganisation, domain: string, verified: boolean) =>
    act(
      () => unwrap(client.PUT('/api/admin/organisations/{id}/domains/{domain}/verification', { params: { path: { id: o.id, domain } }, body: { verified } })),
      fmt(verified ? t.domainVerifiedDone : t.domainUnverifiedDone, { domain }),
    );

  const q = filter.trim().toLowerCase();
  const shown = (orgs ?? []).filter((o) => !q || o.name.toLowerCase().includes(q) || o.orgNumber.includes(q) || o.domains.some((d) => d.domain.includes(q)));

  return (
    <Layout wide>
      <h1>{t.adminTitle}</h1>
      {forbidden ? (
        <p role="alert">{t.notOperator}</p>
      ) : (
        <>
          <p className="lead">{t.adminIntro}</p>
          <div role="status">{announcement && <p className="notice notice--compact">{announcement}</p>}</div>
          {error && (
            <p className="field__error" role="alert">
              {error}
            </p>
          )}
          {!orgs && !error && <Loading />}
          {orgs && (
            <section aria-labelledby="admin-orgs">
              <h2 id="admin-orgs">{t.adminOrganisations}</h2>
              <div className="field">
                <label className="field__label" htmlFor="admin-filter">
                  {t.filter}
                </label>
                <input id="admin-filter" className="input input--short" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
              </div>
              {shown.length === 0 ? (
                <p>{t.noOrganisations}</p>
              ) : (
                <table className="table" data-testid="admin-organisations">
                  <thead>
                    <tr>
                      <th scope="col">{t.colName}</th>
                      <th scope="col">{t.colNumber}</th>
                      <th scope="col">{t.colKind}</th>
                      <th scope="col">{t.colMembers}</th>
                      <th scope="col">{t.colDomains}</th>
                      <th scope="col">{t.colState}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.name}</th>
                        <td>{o.orgNumber}</td>
                        <td>{kindLabel(tc, o.kind)}</td>
                        <td>
                          <ul className="plain-list">
                            {o.members.map((m) => (
                              <li key={m.email}>
                                {m.name} <span className="muted">({m.email}, {m.role === 'admin' ? t.roleAdmin : t.roleMember})</span>
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>
                          {o.domains.length === 0 ? (
                            <span className="muted">{t.noDomains}</span>
                          ) : (
                            <ul className="plain-list">
                              {o.domains.map((d) => (
                                <li key={d.domain}>
                                  {d.domain} <VerificationBadge verified={d.verified} />{' '}
                                  <button
                                    type="button"
                                    className="button button--small button--secondary"
                                    aria-label={fmt(d.verified ? t.unverifyDomainOf : t.verifyDomainOf, { domain: d.domain })}
                                    onClick={() => verifyDomain(o, d.domain, !d.verified)}
                                  >
                                    {d.verified ? t.unverify : t.verify}
                                  </button>
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                        <td>
                          <VerificationBadge verified={o.verified} />
                          {o.duplicateOf ? (
                            <p className="muted">{t.duplicateOf}</p>
                          ) : (
                            <p>
                              <button
                                type="button"
                                className={o.verified ? 'button button--small button--secondary' : 'button button--small'}
                                aria-label={fmt(o.verified ? t.unverifyOf : t.verifyOf, { name: o.name })}
                                onClick={() => verifyOrg(o, !o.verified)}
                              >
                                {o.verified ? t.unverify : t.verify}
                              </button>
                            </p>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          )}
        </>
      )}
    </Layout>
  );
}
