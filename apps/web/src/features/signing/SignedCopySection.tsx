/**
 * "Undertecknad kopia" in the signing tab: after signing outside the tool, an editor or signatory uploads
 * the signed PDF of the locked final version (a real file input with its label); every member sees
 * "Undertecknad" with the date and who uploaded it, whether it matches the final version's hash, and
 * downloads it. Other members' uploads arrive through the event stream (`signed-copy.uploaded`).
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, http, NetworkError } from '../../api/client.ts';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signedCopyMessages } from '../../i18n/messages/signed-copy.ts';
import { localizeProblem } from '../../i18n/problems.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { useAgreementEvents } from '../../shell/events.tsx';

interface SignedCopy {
  id: string;
  finalVersionNumber: number;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  match: 'matched' | 'not-matched';
  pages: number;
  uploadedBy: { id: string; name: string };
  uploadedAt: string;
}

export function SignedCopySection({ locked }: { locked: boolean }) {
  const t = useMessages(signedCopyMessages);
  const f = useFormat();
  const { locale } = useLocale();
  const { agreementId, agreement } = useAgreement();
  const inputId = useId();
  const hintId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [copies, setCopies] = useState<SignedCopy[] | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');

  const load = useCallback(async () => {
    try {
      const r = await http.get<{ signedCopies: SignedCopy[] }>(`/api/agreements/${agreementId}/signed-copies`);
      setCopies(r.signedCopies);
      setLoadFailed(false);
    } catch {
      setLoadFailed(true);
    }
  }, [agreementId]);

  useEffect(() => {
    void load();
  }, [load]);
  useAgreementEvents(
    useCallback(
      (e) => {
        if (e.type === 'signed-copy.uploaded' || e.type === 'ready' || e.type === 'agreement.locked' || e.type === 'agreement.unlocked') void load();
      },
      [load],
    ),
  );

  const policies = (agreement as { policies?: Record<string, boolean> }).policies;
  const canUpload = locked && (policies?.['signedCopy.upload'] ?? (agreement.role === 'editor' || Boolean((agreement as { signatory?: boolean }).signatory)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem('');
    setStatus('');
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setProblem(t.chooseFile);
      fileInput.current?.focus();
      return;
    }
    setBusy(true);
    setStatus(t.uploading);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      let res: Response;
      try {
        res = await fetch(`/api/agreements/${agreementId}/signed-copies`, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' }, body: form });
      } catch (err) {
        throw new NetworkError(err);
      }
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) {
        const err = new ApiError(res.status, typeof body.title === 'string' ? body.title : res.statusText, typeof body.detail === 'string' ? body.detail : undefined, []);
        err.body = body;
        err.code = typeof body.code === 'string' ? body.code : '';
        const m = body.messages as { sv?: string; en?: string } | undefined;
        if (m?.sv && m.en) err.localized = { sv: m.sv, en: m.en };
        throw err;
      }
      if (fileInput.current) fileInput.current.value = '';
      setStatus(t.uploaded);
      await load();
    } catch (err) {
      setStatus('');
      setProblem(err instanceof ApiError ? localizeProblem(err, locale).message : t.failed);
    } finally {
      setBusy(false);
    }
  };

  const latest = copies?.[0];
  const earlier = copies?.slice(1) ?? [];
  const downloadHref = (c: SignedCopy) => `/api/agreements/${agreementId}/signed-copies/${c.id}/file`;

  return (
    <section className="signing__block" aria-labelledby="signing-signed-copy-h" data-testid="signed-copy">
      <h3 id="signing-signed-copy-h" className="signing__h">
        {t.heading}
      </h3>
      {copies === null && <p className="muted small">{loadFailed ? t.loadError : t.loading}</p>}
      {latest ? (
        <div className="signed-copy" data-testid="signed-copy-latest">
          <p className="signing__state signing__state--locked">
            <strong>{t.signed}</strong>{' '}
            <span className="small">{fmt(t.signedBy, { date: f.dateTime(latest.uploadedAt), name: latest.uploadedBy.name })}</span>
          </p>
          <p className={latest.match === 'matched' ? 'ok small' : 'small'} data-testid="signed-copy-match">
            {latest.match === 'matched' ? t.matched : t.notMatched}
          </p>
          <p className="muted small">{fmt(t.fileDetails, { name: latest.fileName, pages: latest.pages, sha: latest.sha256.slice(0, 12) })}</p>
          <a className="button button--secondary button--small" href={downloadHref(latest)} download={latest.fileName}>
            {t.download}
          </a>
          {earlier.length > 0 && (
            <>
              <h4 className="small">{t.earlier}</h4>
              <ul className="small">
                {earlier.map((c) => (
                  <li key={c.id}>
                    <a href={downloadHref(c)} download={c.fileName}>
                      {fmt(t.downloadNamed, { name: c.fileName })}
                    </a>{' '}
                    – {fmt(t.signedBy, { date: f.dateTime(c.uploadedAt), name: c.uploadedBy.name })}, {c.match === 'matched' ? t.matched : t.notMatched}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : (
        copies !== null && <p className="small">{locked ? t.intro : t.draftIntro}</p>
      )}
      {canUpload && (
        <form className="signed-copy__form" onSubmit={submit} noValidate>
          <div className="field">
            <label className="field__label" htmlFor={inputId}>
              {t.fileLabel}
            </label>
            <p id={hintId} className="muted small">
              {t.fileHint}
            </p>
            <input
              id={inputId}
              ref={fileInput}
              className="input"
              type="file"
              name="file"
              accept="application/pdf,.pdf"
              aria-describedby={hintId}
              aria-invalid={problem ? true : undefined}
              data-testid="signed-copy-file"
            />
          </div>
          <button type="submit" className="button" disabled={busy}>
            {t.upload}
          </button>
        </form>
      )}
      <p role="status" className="small" data-testid="signed-copy-status">
        {status}
      </p>
      {problem && (
        <p role="alert" className="export__problem" data-testid="signed-copy-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
