import { useEffect } from 'react';
import { api } from '../api/client.ts';
import { Form, SubmitButton, TextField, useZodForm } from '../components/forms.tsx';
import { Layout } from '../components/Layout.tsx';
import { useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { Link, navigate, queryParam } from '../router.tsx';
import { useSession } from '../session.tsx';

/** Kept here for the forms that import it from this page (it lives in components/forms.tsx). */
export { useErrorState } from '../components/forms.tsx';

// The shared rules, loaded as the form appears (zod stays out of the sign-in page's first JavaScript).
const loginSchema = () => import('@overens/model/requests').then((m) => m.loginRequestSchema);
const registerSchema = () => import('@overens/model/requests').then((m) => m.registerRequestSchema);

function nextPath(path: string): string {
  const next = queryParam(path, 'next');
  return next && next.startsWith('/') ? next : '/agreements';
}

export function LoginPage({ path }: { path: string }) {
  const t = useMessages(coreMessages);
  const { me, refresh } = useSession();
  const f = useZodForm({
    schema: loginSchema,
    defaultValues: { email: '', password: '' },
    onSubmit: async (values) => {
      await api.login(values);
      await refresh();
    },
  });

  useEffect(() => {
    document.title = `${t.signInTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    if (me) navigate(nextPath(path), { replace: true });
  }, [me, path]);

  return (
    <Layout>
      <div className="signin-grid">
      <div className="narrow">
        <h1>{t.signInTitle}</h1>
        <p className="lead">{t.signInIntro}</p>
        <Form form={f}>
          <TextField type="email" autoComplete="email" label={t.email} {...f.field('email')} />
          <TextField type="password" autoComplete="current-password" label={t.password} {...f.field('password')} />
          <SubmitButton form={f}>{t.signIn}</SubmitButton>
        </Form>
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
  const f = useZodForm({
    schema: registerSchema,
    defaultValues: { name: '', email: '', password: '' },
    onSubmit: async (values) => {
      await api.register(values);
      await refresh();
    },
  });

  useEffect(() => {
    document.title = `${t.registerTitle} – ${t.appName}`;
  }, [t]);
  useEffect(() => {
    if (me) navigate(nextPath(path), { replace: true });
  }, [me, path]);

  return (
    <Layout>
      <div className="narrow">
        <h1>{t.registerTitle}</h1>
        <p className="lead">{t.registerIntro}</p>
        <Form form={f}>
          <TextField autoComplete="name" label={t.name} hint={t.nameHint} {...f.field('name')} />
          <TextField type="email" autoComplete="email" label={t.email} {...f.field('email')} />
          <TextField type="password" autoComplete="new-password" label={t.password} hint={t.passwordHint} {...f.field('password')} />
          <SubmitButton form={f}>{t.register}</SubmitButton>
        </Form>
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
