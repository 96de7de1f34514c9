/**
 * Downloads: PDF and DOCX of the current draft, of a saved version and of each final version; the
 * signing-ready PDF and DOCX of the locked final version (no draft marks; its draft copies are not offered
 * beside them). A refusal (409) is shown as a readable message.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { agreementKeys } from '../../queries/keys.ts';
import { NetworkError } from '../../api/client.ts';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { downloadExport, signingApi, SigningProblem, type ExportRequest, type FinalVersion, type SavedVersion } from './api.ts';
import { useSigning } from './store.tsx';

export function ExportSection() {
  const t = useMessages(signingMessages);
  const { locale } = useLocale();
  const f = useFormat();
  const { agreementId } = useAgreement();
  const { state, announce, bump } = useSigning();
  const finals = useQuery({ queryKey: agreementKeys.finalVersions(agreementId), queryFn: () => signingApi.finalVersions(agreementId).catch(() => []) }).data ?? [];
  const allVersions = useQuery({ queryKey: agreementKeys.versions(agreementId), queryFn: () => signingApi.versions(agreementId).catch(() => []) }).data;
  // Final versions are listed on their own; automatic checkpoints are many and not for filing.
  const versions = useMemo(() => {
    const finalIds = new Set(finals.map((x) => x.versionId));
    return (allVersions ?? []).filter((v) => v.kind !== 'auto' && !finalIds.has(v.id));
  }, [finals, allVersions]);
  const [picked, setPicked] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const selectId = useId();
  // Drafts: open suggestions marked (inserted underlined, deleted struck through) or a clean text.
  const ts = useMessages(suggestionMessages);
  const [suggestions, setSuggestions] = useState<'marked' | 'clean'>('marked');
  const suggestionsName = useId();


  const locked = state?.status === 'locked' && state.finalVersion;

  const get = async (key: string, req: ExportRequest) => {
    setBusy(key);
    setProblem(null);
    try {
      const name = await downloadExport(agreementId, req);
      announce(fmt(t.downloaded, { name }));
      bump();
    } catch (e) {
      if (e instanceof SigningProblem) {
        const sv = e.errors.map((x) => x.message).join(' ');
        const base = e.status === 409 ? t.exportRefused : t.exportFailed;
        setProblem(`${base} ${locale === 'sv' && sv ? sv : e.readable}`);
      } else setProblem(e instanceof NetworkError ? t.networkError : t.exportFailed);
    } finally {
      setBusy(null);
    }
  };

  const pair = (key: string, version: string, label: string) => (
    <span className="button-row export__pair">
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={busy !== null}
        aria-label={fmt(t.downloadAria, { format: 'PDF', what: label })}
        onClick={() => void get(`${key}-pdf`, { format: 'pdf', mode: 'draft', version, suggestions })}
      >
        {busy === `${key}-pdf` ? t.downloading : 'PDF'}
      </button>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={busy !== null}
        aria-label={fmt(t.downloadAria, { format: 'DOCX', what: label })}
        onClick={() => void get(`${key}-docx`, { format: 'docx', mode: 'draft', version, suggestions })}
      >
        {busy === `${key}-docx` ? t.downloading : 'DOCX'}
      </button>
    </span>
  );

  const pickedVersion = versions.find((v) => v.id === picked);

  return (
    <section className="signing__block" aria-labelledby="signing-export-h">
      <h3 id="signing-export-h" className="signing__h">
        {t.exportHeading}
      </h3>
      {locked && state.finalVersion && (
        <div className="export__signing">
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            data-testid="download-signing-pdf"
            onClick={() => void get('signing', { format: 'pdf', mode: 'signing', version: state.finalVersion!.id })}
          >
            {busy === 'signing' ? t.downloading : fmt(t.downloadSigning, { n: state.finalVersion.number })}
          </button>
          <button
            type="button"
            className="button button--secondary"
            disabled={busy !== null}
            data-testid="download-signing-docx"
            onClick={() => void get('signing-docx', { format: 'docx', mode: 'signing', version: state.finalVersion!.id })}
          >
            {busy === 'signing-docx' ? t.downloading : t.downloadSigningDocx}
          </button>
          <p className="small muted">{t.signingHint}</p>
        </div>
      )}
      {problem && (
        <p className="export__problem" role="alert" data-testid="export-problem">
          {problem}
        </p>
      )}
      {!locked && (
      <fieldset className="fieldset fieldset--tight export__suggestions" data-testid="export-suggestions">
        <legend className="fieldset__legend">{ts.exportSuggestionsLabel}</legend>
        {(['marked', 'clean'] as const).map((v) => (
          <label key={v} className="radio export__suggestions-option">
            <input type="radio" name={suggestionsName} value={v} checked={suggestions === v} onChange={() => setSuggestions(v)} />{' '}
            {v === 'marked' ? ts.exportMarked : ts.exportClean}
          </label>
        ))}
      </fieldset>
      )}
      <ul className="export__list">
        {!locked && (
          <li className="export__item">
            <span className="export__label">{t.currentDraft}</span>
            {pair('current', 'current', t.currentDraft)}
          </li>
        )}
        {finals
          .filter((fv) => !(locked && state.finalVersion && fv.id === state.finalVersion.id))
          .map((fv) => {
          const label = fmt(t.finalVersion, { n: fv.number });
          return (
            <li key={fv.id} className="export__item">
              <span className="export__label">
                {label}
                <span className="small muted">
                  {' '}
                  · {f.date(fv.lockedAt)}
                  {fv.unlocked ? ` · ${t.reopened}` : ''}
                </span>
              </span>
              {pair(`final-${fv.id}`, fv.id, label)}
            </li>
          );
        })}
      </ul>
      {versions.length > 0 && (
        <div className="field export__versions">
          <label className="field__label" htmlFor={selectId}>
            {t.savedVersionLabel}
          </label>
          <select id={selectId} className="select" value={picked} onChange={(e) => setPicked(e.target.value)}>
            <option value="">{t.pickVersion}</option>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} – {f.dateTime(v.createdAt)}
              </option>
            ))}
          </select>
          {pickedVersion && <div className="export__picked">{pair(`v-${pickedVersion.id}`, pickedVersion.id, pickedVersion.name)}</div>}
        </div>
      )}
      <p className="small muted">{t.draftHint}</p>
    </section>
  );
}
