/**
 * "Importera från Word": upload a .docx, see how its headings map onto the template's sections (the
 * server proposes, nothing is created yet), change any mapping, then apply. Bad files (not .docx,
 * encrypted, empty, too large) are explained with the server's own message in the current language.
 */
import type { RichNode } from '@overens/model';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { NetworkError } from '../../api/client.ts';
import { fmt, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { useSections } from '../../agreement/useSections.ts';
import { signingApi, SigningProblem, type ImportProposal } from './api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useSigning } from './store.tsx';

const CUSTOM = '__custom__';

function plainText(n: RichNode): string {
  if (n.type === 'text') return n.text ?? '';
  const inner = (n.content ?? []).map(plainText).join(n.type === 'doc' ? ' ' : '');
  return inner;
}

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(signingMessages);
  const { locale } = useLocale();
  const { agreementId } = useAgreement();
  const { announce, bump } = useSigning();
  const sections = useSections();
  const fileRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [proposal, setProposal] = useState<ImportProposal | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const templateSections = useMemo(() => sections.filter((s) => s.key), [sections]);

  const problemText = (x: unknown) =>
    x instanceof SigningProblem ? (x.messages?.[locale] ?? (locale === 'sv' ? x.errors[0]?.message : undefined) ?? x.readable) : x instanceof NetworkError ? t.networkError : String(x);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(t.importPickFile);
      fileRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const p = await signingApi.proposeImport(agreementId, file);
      setProposal(p);
      setMapping(p.sections.map((s) => s.matchedKey ?? CUSTOM));
      announce(fmt(t.importProposed, { n: p.sections.length }));
      window.setTimeout(() => headingRef.current?.focus(), 0);
    } catch (x) {
      setError(problemText(x));
      fileRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!proposal) return;
    setBusy(true);
    setError(null);
    try {
      const r = await signingApi.applyImport(agreementId, {
        fileName: proposal.fileName ?? file?.name,
        sections: proposal.sections.map((s, i) => {
          const key = mapping[i] && mapping[i] !== CUSTOM ? mapping[i]! : null;
          return { heading: s.heading, key, ...(key ? {} : { title: s.heading }), body: s.body };
        }),
      });
      const msg = fmt(t.importDone, { filled: r.filled, added: r.added });
      setDone(msg);
      announce(msg);
      bump();
    } catch (x) {
      setError(problemText(x));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t.importTitle} closeLabel={t.close} onClose={onClose} className="dialog--wide" testId="import-dialog">
      {done ? (
        <>
          <p className="signing__done" role="status">
            {done}
          </p>
          <button type="button" className="button" onClick={onClose}>
            {t.close}
          </button>
        </>
      ) : (
        <>
          <p>{t.importExplain}</p>
          <form onSubmit={upload} noValidate className="import__upload">
            <div className={`field${error && !proposal ? ' field--error' : ''}`}>
              <label className="field__label" htmlFor={`${id}-file`}>
                {t.importFileLabel}
              </label>
              <p className="field__hint" id={`${id}-hint`}>
                {t.importFileHint}
              </p>
              {error && !proposal && (
                <p className="field__error" id={`${id}-error`} role="alert" data-testid="import-error">
                  {error}
                </p>
              )}
              <input
                ref={fileRef}
                id={`${id}-file`}
                name="file"
                type="file"
                className="file-input"
                accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                aria-describedby={`${id}-hint${error && !proposal ? ` ${id}-error` : ''}`}
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setProposal(null);
                  setError(null);
                }}
              />
            </div>
            <button type="submit" className="button button--secondary" disabled={busy}>
              {busy && !proposal ? t.importReading : t.importRead}
            </button>
          </form>
          {proposal && (
            <div className="import__proposal">
              <h3 ref={headingRef} tabIndex={-1} className="signing__h">
                {fmt(t.importMappingHeading, { n: proposal.sections.length })}
              </h3>
              {proposal.warnings.length > 0 && (
                <ul className="import__warnings">
                  {proposal.warnings.map((w, i) => (
                    <li key={i}>{w.message[locale]}</li>
                  ))}
                </ul>
              )}
              <table className="table table--compact import__table">
                <caption className="visually-hidden">{t.importMappingCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.importColHeading}</th>
                    <th scope="col">{t.importColTarget}</th>
                  </tr>
                </thead>
                <tbody>
                  {proposal.sections.map((s, i) => {
                    const preview = plainText(s.body).trim().slice(0, 110);
                    return (
                      <tr key={i}>
                        <th scope="row">
                          <span className="import__heading">{s.heading}</span>
                          {preview && <span className="small muted import__preview">{preview}{preview.length >= 110 ? ' …' : ''}</span>}
                        </th>
                        <td>
                          <label className="visually-hidden" htmlFor={`${id}-map-${i}`}>
                            {fmt(t.importMapLabel, { heading: s.heading })}
                          </label>
                          <select
                            id={`${id}-map-${i}`}
                            className="select"
                            value={mapping[i] ?? CUSTOM}
                            onChange={(e) => setMapping((m) => m.map((v, j) => (j === i ? e.target.value : v)))}
                          >
                            {templateSections.map((ts) => (
                              <option key={ts.key!} value={ts.key!}>
                                {ts.number}. {ts.title}
                              </option>
                            ))}
                            <option value={CUSTOM}>{t.importCustom}</option>
                          </select>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {error && (
                <p className="field__error" role="alert" data-testid="import-error">
                  {error}
                </p>
              )}
              <div className="button-row">
                <button type="button" className="button" onClick={() => void apply()} disabled={busy}>
                  {busy ? t.importApplying : t.importApply}
                </button>
                <button type="button" className="button button--secondary" onClick={onClose}>
                  {t.cancel}
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </Dialog>
  );
}
