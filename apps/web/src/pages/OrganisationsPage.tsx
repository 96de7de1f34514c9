import { useEffect, useState } from 'react';
import { api, type Organisation } from '../api/client.ts';
import { Layout, Loading } from '../components/Layout.tsx';
import { OrganisationForm } from '../components/OrganisationForm.tsx';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { Link, navigate, queryParam } from '../router.tsx';

export function kindLabel(t: typeof coreMessages.sv, kind: string): string {
  return kind === 'kommun' ? t.kindKommun : kind === 'region' ? t.kindRegion : t.kindIdeburen;
}

export function OrganisationsPage({ path }: { path: string }) {
  const t = useMessages(coreMessages);
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Organisation | null>(null);
  const next = queryParam(path, 'next');

  useEffect(() => {
    document.title = `${t.organisationsTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    api.organisations().then(setOrgs, () => setError(t.networkError));
  }, [t.networkError]);

  return (
    <Layout>
      <h1>{t.organisationsTitle}</h1>
      <p className="lead">{t.organisationsIntro}</p>
      {error && <p className="field__error" role="alert">{error}</p>}
      {!orgs && !error && <Loading />}
      <div role="status">
        {created && (
          <div className="notice" data-testid="organisation-created">
            <p>{fmt(t.organisationCreated, { name: created.name })}</p>
            <p>
              <Link className="button" to="/agreements/new">{t.organisationNextStep}</Link>
            </p>
          </div>
        )}
      </div>
      {orgs && orgs.length === 0 && <p>{t.organisationsEmpty}</p>}
      {orgs && orgs.length > 0 && (
        <ul className="card-list">
          {orgs.map((o) => (
            <li key={o.id} className="card">
              <strong>{o.name}</strong>
              <span className="muted"> · {kindLabel(t, o.kind)} · {o.orgNumber}</span>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="new-org" className="section-block narrow">
        <h2 id="new-org">{t.newOrganisation}</h2>
        <OrganisationForm
          onCreated={(org) => {
            if (next && next.startsWith('/')) navigate(next);
            else {
              setOrgs((prev) => [...(prev ?? []), org]);
              setCreated(org);
            }
          }}
        />
      </section>
    </Layout>
  );
}
