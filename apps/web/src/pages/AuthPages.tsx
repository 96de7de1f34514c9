import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client.ts';
import { ErrorSummary, TextField } from '../components/forms.tsx';
import { Layout } from '../components/Layout.tsx';
import { useLocale, useMessages } from '../i18n/index.tsx';
import { localizeProblem } from '../i18n/problems.ts';
import { coreMessages } from '../i18n/messages/core.ts';
import { Link, navigate, queryParam } from '../router.tsx';
import { useSession } from '../session.tsx';

function nextPath(path: string): string {
  const next = queryParam(path, 'next');
  return next && next.startsWith('/') ? next : '/agreements';
}

export function useErrorState() {
  const t = useMessages(coreMessages);
  const { locale } = useLocale();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      const p = localizeProblem(e, locale);
      setFieldErrors(p.fieldErrors);
      setMessage(Object.keys(p.fieldErrors).length ? null : p.message);
    } else {
      setFieldErrors({});
      setMessage(t.networkError);
    }
  };
  const clear = () => {
    setFieldErrors({});
    setMessage(null);
  };
  return { fieldErrors, setFieldErrors, message, setMessage, fail, clear };
}

export function LoginPage({ path }: { path: string }) {
  const t = useMessages(coreMessages);
  const { me, refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useErrorState();

  useEffect(() => {
    document.title = `${t.signInTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    if (me) navigate(nextPath(path), { replace: true });
  }, [me, path]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!email.trim()) local.email = t.emailRequired;
    if (!password) local.password = t.passwordRequired;
    if (Object.keys(local).length) {
      err.setFieldErrors(local);
      err.setMessage(null);
      return;
    }
    setBusy(true);
    err.clear();
    try {
      await api.login({ email: email.trim(), password });
      await refresh();
    } catch (x) {
      err.fail(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Layout>
      <div className="signin-grid">
      <div className="narrow">
        <h1>{t.signInTitle}</h1>
        <p className="lead">{t.signInIntro}</p>
        <ErrorSummary errors={err.fieldErrors} message={err.message} />
        <form onSubmit={submit} noValidate>
          <TextField name="email" type="email" autoComplete="email" label={t.email} value={email}
            onChange={(e) => setEmail(e.target.value)} error={err.fieldErrors.email} />
          <TextField name="password" type="password" autoComplete="current-password" label={t.password} value={password}
            onChange={(e) => setPassword(e.target.value)} error={err.fieldErrors.password} />
          <button type="submit" className="button" disabled={busy}>
            {t.signIn}
          </button>
        </form>
        <p>
          {t.noAccount} <Link to={`/register${path.includes('?') ? `?${path.split('?')[1]}` : ''}`}>{t.register}</Link>
        </p>
      </div>
      <AboutAside />
      </div>
    </Layout>
  );
}

export function RegisterPage({ path }: { path: string }) {
  const t = useMessages(coreMessages);
  const { me, refresh } = useSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const err = useErrorState();

  useEffect(() => {
    document.title = `${t.registerTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    if (me) navigate(nextPath(path), { replace: true });
  }, [me, path]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t.nameRequired;
    if (!email.trim()) local.email = t.emailRequired;
    if (!password) local.password = t.passwordRequired;
    if (Object.keys(local).length) {
      err.setFieldErrors(local);
      err.setMessage(null);
      return;
    }
    setBusy(true);
    err.clear();
    try {
      await api.register({ name: name.trim(), email: email.trim(), password });
      await refresh();
    } catch (x) {
      err.fail(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Layout>
      <div className="narrow">
        <h1>{t.registerTitle}</h1>
        <p className="lead">{t.registerIntro}</p>
        <ErrorSummary errors={err.fieldErrors} message={err.message} />
        <form onSubmit={submit} noValidate>
          <TextField name="name" autoComplete="name" label={t.name} hint={t.nameHint} value={name}
            onChange={(e) => setName(e.target.value)} error={err.fieldErrors.name} />
          <TextField name="email" type="email" autoComplete="email" label={t.email} value={email}
            onChange={(e) => setEmail(e.target.value)} error={err.fieldErrors.email} />
          <TextField name="password" type="password" autoComplete="new-password" label={t.password} hint={t.passwordHint}
            value={password} onChange={(e) => setPassword(e.target.value)} error={err.fieldErrors.password} />
          <button type="submit" className="button" disabled={busy}>
            {t.register}
          </button>
        </form>
        <p>
          {t.haveAccount} <Link to={`/login${path.includes('?') ? `?${path.split('?')[1]}` : ''}`}>{t.signIn}</Link>
        </p>
      </div>
    </Layout>
  );
}

/** A short explanation of what Överens is, beside the sign-in form. */
function AboutAside() {
  const t = useMessages(coreMessages);
  return (
    <aside className="signin-aside" aria-labelledby="about-title">
      <h2 id="about-title">{t.aboutTitle}</h2>
      <p>{t.aboutBody}</p>
      <ul>
        <li>{t.aboutPoint1}</li>
        <li>{t.aboutPoint2}</li>
        <li>{t.aboutPoint3}</li>
      </ul>
    </aside>
  );
}
