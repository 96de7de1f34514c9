import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { client, unwrap, type Organisation } from '../api/client.ts';
import { Layout, Loading } from '../components/Layout.tsx';
import { OrganisationForm } from '../components/OrganisationForm.tsx';
import { SelectField, TextField, useErrorState, ErrorSummary } from '../components/forms.tsx';
import { fmt, useLocale, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { organisationsMessages } from '../i18n/messages/organisations.ts';
import { localizeProblem } from '../i18n/problems.ts';
import { ApiError } from '../api/client.ts';
import { Link, navigate, queryParam } from '../router.tsx';

export function kindLabel(t: typeof coreMessages.sv, kind: string): string {
  return kind === 'kommun' ? t.kindKommun : kind === 'region' ? t.kindRegion : t.kindIdeburen;
}

type Detail = { members: Array<{ userId: string; name: string; email: string; role: 'admin' | 'member' }>; requests: Array<{ id: string; userId: string; name: string; email: string }> };
type MyRequest = { id: string; organisationId: string; name: string; orgNumber: string };

/** "verifierad" / "ej verifierad" next to an organisation's name. */
export function VerificationBadge({ verified }: { verified: boolean }) {
  const t = useMessages(organisationsMessages);
  return (
    <span className={`badge ${verified ? 'badge--ok' : 'badge--warning'}`} title={verified ? t.verifiedBadgeTitle : t.notVerifiedBadgeTitle}>
      {verified ? t.verified : t.notVerified}
    </span>
  );
}

function useProblemText() {
  const { locale } = useLocale();
  const t = useMessages(organisationsMessages);
  return (e: unknown) => (e instanceof ApiError ? localizeProblem(e, locale).message : t.networkError);
}

function EmailVerification() {
  const t = useMessages(organisationsMessages);
  const problem = useProblemText();
  const [s, setS] = useState<{ email: string; verified: boolean; mailEnabled: boolean } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    unwrap(client.GET('/api/email-verification')).then(setS, () => setNote(t.networkError));
  }, [t.networkError]);
  if (!s) return note ? <p role="alert">{note}</p> : null;
  const send = async () => {
    setBusy(true);
    try {
      await unwrap(client.POST('/api/email-verification'));
      setNote(fmt(t.verificationSent, { email: s.email }));
    } catch (e) {
      setNote(problem(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="email-title" className="section-block">
      <h2 id="email-title">{t.emailTitle}</h2>
      <p>
        {fmt(s.verified ? t.emailVerified : t.emailNotVerified, { email: s.email })}{' '}
        <VerificationBadge verified={s.verified} />
      </p>
      {!s.verified && s.mailEnabled && (
        <p>
          <button type="button" className="button button--secondary" onClick={send} disabled={busy}>
            {t.sendVerification}
          </button>
        </p>
      )}
      {!s.verified && !s.mailEnabled && <p className="muted">{t.mailDisabled}</p>}
      <div role="status">{note && <p>{note}</p>}</div>
    </section>
  );
}

function DomainForm({ org, onChanged }: { org: Organisation; onChanged: () => void }) {
  const t = useMessages(organisationsMessages);
  const [domain, setDomain] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useErrorState();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^@?[a-z0-9.-]+\.[a-z]{2,}$/i.test(domain.trim())) {
      err.setFieldErrors({ domain: t.domainInvalid });
      err.setMessage(null);
      return;
    }
    setBusy(true);
    err.clear();
    try {
      await unwrap(client.POST('/api/organisations/{id}/domains', { params: { path: { id: org.id } }, body: { domain: domain.trim() } }));
      setDomain('');
      onChanged();
    } catch (x) {
      err.fail(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate className="inline-form">
      <ErrorSummary errors={err.fieldErrors} message={err.message} />
      <TextField
        name="domain"
        label={t.domain}
        hint={t.domainHint}
        className="input--short"
        value={domain}
        onChange={(e) => setDomain(e.target.value)}
        error={err.fieldErrors.domain}
      />
      <button type="submit" className="button button--secondary" disabled={busy}>
        {t.addDomain}
      </button>
    </form>
  );
}

type PendingInvitation = { id: string; email: string; role: 'admin' | 'member'; invitedBy: string | null; expiresAt: string };

/** An administrator invites by e-mail; without mail the link is shown to copy. Pending invitations can be withdrawn. */
function Invitations({ org, announce }: { org: Organisation; announce: (s: string) => void }) {
  const t = useMessages(organisationsMessages);
  const { locale } = useLocale();
  const problem = useProblemText();
  const [pending, setPending] = useState<PendingInvitation[] | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'admin' | 'member'>('member');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ email: string; link: string; mailed: boolean } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const err = useErrorState();
  const load = useCallback(() => {
    unwrap(client.GET('/api/organisations/{id}/invitations', { params: { path: { id: org.id } } })).then(setPending, (e) => setError(problem(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [org.id]);
  useEffect(load, [load]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    err.clear();
    setResult(null);
    setCopied(false);
    try {
      const r = await unwrap(client.POST('/api/organisations/{id}/invitations', { params: { path: { id: org.id } }, body: { email: email.trim(), role } }));
      setResult({ email: r.email, link: r.link, mailed: r.mailedTo !== null });
      if (r.mailedTo) announce(fmt(t.inviteSent, { email: r.email }));
      setEmail('');
      load();
    } catch (x) {
      err.fail(x);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    if (!result) return;
    try {
      await navigator.clipboard.writeText(result.link);
      setCopied(true);
    } catch {
      (document.getElementById('org-invite-link') as HTMLInputElement | null)?.select();
    }
  };
  const withdraw = async (inv: PendingInvitation) => {
    setError(null);
    try {
      await unwrap(client.DELETE('/api/organisations/{id}/invitations/{invitationId}', { params: { path: { id: org.id, invitationId: inv.id } } }));
      announce(fmt(t.withdrawn, { email: inv.email }));
      load();
    } catch (x) {
      setError(problem(x));
    }
  };
  const roleName = (r: string) => (r === 'admin' ? t.roleAdmin : t.roleMember);
  return (
    <>
      <h3>{t.invitations}</h3>
      <p className="muted">{t.invitationsIntro}</p>
      <form onSubmit={submit} noValidate className="inline-form" data-testid="org-invite-form">
        <ErrorSummary errors={err.fieldErrors} message={err.message} />
        <TextField name="inviteEmail" type="email" autoComplete="off" label={t.inviteEmail} value={email} onChange={(e) => setEmail(e.target.value)} error={err.fieldErrors.email} />
        <SelectField name="inviteRole" label={t.inviteRole} value={role} onChange={(e) => setRole(e.target.value as 'admin' | 'member')} error={err.fieldErrors.role}>
          <option value="member">{t.roleMember}</option>
          <option value="admin">{t.roleAdmin}</option>
        </SelectField>
        <button type="submit" className="button button--secondary" disabled={busy}>
          {t.inviteSubmit}
        </button>
      </form>
      {result && result.mailed && <p className="notice" data-testid="org-invite-sent">{fmt(t.inviteSent, { email: result.email })}</p>}
      {result && !result.mailed && (
        <div className="notice" data-testid="org-invite-link">
          <p>{fmt(t.inviteLinkIntro, { email: result.email })}</p>
          <label htmlFor="org-invite-link" className="field__label">{t.inviteLinkLabel}</label>
          <input id="org-invite-link" className="input" readOnly value={result.link} onFocus={(e) => e.target.select()} />
          <button type="button" className="button button--secondary" onClick={copy}>
            {t.inviteCopy}
          </button>
          <span role="status">{copied ? ` ${t.inviteCopied}` : ''}</span>
        </div>
      )}
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {pending && pending.length === 0 && <p className="muted">{t.noInvitations}</p>}
      {pending && pending.length > 0 && (
        <ul className="plain-list">
          {pending.map((inv) => (
            <li key={inv.id} data-testid="org-invitation">
              {fmt(t.invitationPending, { email: inv.email, role: roleName(inv.role), name: inv.invitedBy ?? '–', date: new Date(inv.expiresAt).toLocaleDateString(locale) })}{' '}
              <button type="button" className="button button--small button--secondary" aria-label={fmt(t.withdrawOf, { email: inv.email })} onClick={() => void withdraw(inv)}>
                {t.withdraw}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ManageOrganisation({ org, onChanged, announce }: { org: Organisation; onChanged: () => void; announce: (s: string) => void }) {
  const t = useMessages(organisationsMessages);
  const problem = useProblemText();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    unwrap(client.GET('/api/organisations/{id}', { params: { path: { id: org.id } } })).then(
      (d) => setDetail({ members: d.members, requests: d.requests }),
      (e) => setError(problem(e)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [org.id]);
  useEffect(load, [load]);
  const act = async (run: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await run();
      announce(done);
      load();
      onChanged();
    } catch (e) {
      setError(problem(e));
    }
  };
  if (!detail) return error ? <p role="alert">{error}</p> : <Loading />;
  const role = (r: string) => (r === 'admin' ? t.roleAdmin : t.roleMember);
  return (
    <div className="org-manage">
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <h3>{t.requests}</h3>
      {detail.requests.length === 0 ? (
        <p className="muted">{t.noRequests}</p>
      ) : (
        <ul className="plain-list">
          {detail.requests.map((r) => (
            <li key={r.id} data-testid="join-request">
              <strong>{r.name}</strong> <span className="muted">{r.email}</span>{' '}
              <button
                type="button"
                className="button button--small"
                aria-label={fmt(t.acceptOf, { name: r.name })}
                onClick={() =>
                  act(
                    () => unwrap(client.POST('/api/organisations/{id}/join-requests/{requestId}/decision', { params: { path: { id: org.id, requestId: r.id } }, body: { accept: true } })),
                    fmt(t.accepted, { name: r.name }),
                  )
                }
              >
                {t.accept}
              </button>{' '}
              <button
                type="button"
                className="button button--small button--secondary"
                aria-label={fmt(t.rejectOf, { name: r.name })}
                onClick={() =>
                  act(
                    () => unwrap(client.POST('/api/organisations/{id}/join-requests/{requestId}/decision', { params: { path: { id: org.id, requestId: r.id } }, body: { accept: false } })),
                    fmt(t.rejected, { name: r.name }),
                  )
                }
              >
                {t.reject}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Invitations org={org} announce={announce} />
      <h3>{t.members}</h3>
      <ul className="plain-list">
        {detail.members.map((m) => (
          <li key={m.userId}>
            <strong>{m.name}</strong> <span className="muted">{m.email} · {role(m.role)}</span>{' '}
            <button
              type="button"
              className="button button--small button--secondary"
              aria-label={fmt(m.role === 'admin' ? t.makeMemberOf : t.makeAdminOf, { name: m.name })}
              onClick={() =>
                act(
                  () =>
                    unwrap(
                      client.PATCH('/api/organisations/{id}/members/{userId}', {
                        params: { path: { id: org.id, userId: m.userId } },
                        body: { role: m.role === 'admin' ? 'member' : 'admin' },
                      }),
                    ),
                  `${m.name}: ${role(m.role === 'admin' ? 'member' : 'admin')}`,
                )
              }
            >
              {m.role === 'admin' ? t.makeMember : t.makeAdmin}
            </button>
          </li>
        ))}
      </ul>
      <h3>{t.domains}</h3>
      <p className="muted">{t.domainsIntro}</p>
      {org.domains.length === 0 ? (
        <p className="muted">{t.noDomains}</p>
      ) : (
        <ul className="plain-list">
          {org.domains.map((d) => (
            <li key={d.domain}>
              {d.domain} <VerificationBadge verified={d.verified} />{' '}
              <button
                type="button"
                className="button button--small button--secondary"
                aria-label={fmt(t.removeDomainOf, { domain: d.domain })}
                onClick={() => act(() => unwrap(client.DELETE('/api/organisations/{id}/domains/{domain}', { params: { path: { id: org.id, domain: d.domain } } })), d.domain)}
              >
                {t.removeDomain}
              </button>
            </li>
          ))}
        </ul>
      )}
      <DomainForm org={org} onChanged={onChanged} />
    </div>
  );
}

export function OrganisationsPage({ path }: { path: string }) {
  const t = useMessages(coreMessages);
  const to = useMessages(organisationsMessages);
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const [requests, setRequests] = useState<MyRequest[]>([]);
  const [operator, setOperator] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Organisation | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const next = queryParam(path, 'next');

  useEffect(() => {
    document.title = `${t.organisationsTitle} – ${t.appName}`;
  }, [t]);
  const load = useCallback(() => {
    unwrap(client.GET('/api/organisations')).then(setOrgs, () => setError(t.networkError));
    unwrap(client.GET('/api/organisations/join-requests')).then(setRequests, () => {});
  }, [t.networkError]);
  useEffect(load, [load]);
  useEffect(() => {
    unwrap(client.GET('/api/admin/status')).then((s) => setOperator(s.operator), () => {});
  }, []);

  return (
    <Layout>
      <h1>{t.organisationsTitle}</h1>
      <p className="lead">{t.organisationsIntro}</p>
      {operator && (
        <p>
          <Link to="/admin">{to.adminLink}</Link>
        </p>
      )}
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
        {announcement && <p className="visually-hidden">{announcement}</p>}
      </div>
      {orgs && orgs.length === 0 && <p>{t.organisationsEmpty}</p>}
      {orgs && orgs.length > 0 && (
        <ul className="card-list">
          {orgs.map((o) => (
            <li key={o.id} className="card" data-testid="organisation">
              <strong>{o.name}</strong> <VerificationBadge verified={o.verified} />
              <span className="muted">
                {' '}
                · {kindLabel(t, o.kind)} · {o.orgNumber} · {fmt(to.yourRole, { role: o.role === 'admin' ? to.roleAdmin : to.roleMember })}
              </span>
              {o.role === 'admin' && o.pendingRequests > 0 && <span className="muted"> · {fmt(to.pendingCount, { count: o.pendingRequests })}</span>}
              {o.role === 'admin' && !o.duplicateOf && (
                <div>
                  <button type="button" className="button button--small button--secondary" aria-expanded={open === o.id} onClick={() => setOpen(open === o.id ? null : o.id)}>
                    {open === o.id ? to.hideManage : fmt(to.manage, { name: o.name })}
                  </button>
                  {open === o.id && <ManageOrganisation org={o} onChanged={load} announce={setAnnouncement} />}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {requests.length > 0 && (
        <section aria-labelledby="my-requests" className="section-block">
          <h2 id="my-requests">{to.myRequests}</h2>
          <ul className="plain-list">
            {requests.map((r) => (
              <li key={r.id}>{fmt(to.myRequestPending, { name: r.name, orgNumber: r.orgNumber })}</li>
            ))}
          </ul>
        </section>
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
          onJoin={() => load()}
        />
      </section>
      <EmailVerification />
    </Layout>
  );
}

/** The page the verification mail links to: confirming is a POST (no GET writes), by a button. */
export function VerifyEmailPage({ token }: { token: string }) {
  const t = useMessages(organisationsMessages);
  const problem = useProblemText();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = t.verifyEmailTitle;
  }, [t]);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(client.POST('/api/email-verification/confirm', { body: { token } }));
      setDone(fmt(t.verifyEmailDone, { email: r.email }));
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Layout>
      <div className="narrow">
        <h1>{t.verifyEmailTitle}</h1>
        <p className="lead">{t.verifyEmailIntro}</p>
        <div role="status">{done && <p className="notice">{done}</p>}</div>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
        {!done && (
          <button type="button" className="button" onClick={confirm} disabled={busy}>
            {t.verifyEmailButton}
          </button>
        )}
        <p>
          <Link to="/organisations">{t.toOrganisations}</Link>
        </p>
      </div>
    </Layout>
  );
}
