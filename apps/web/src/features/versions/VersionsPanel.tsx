/**
 * The "Versioner" tab: "save a named version", the list (author, Swedish date and time), compare any
 * two (or one with the current text) as a redline, and restore as a new edit. Loaded when the tab opens.
 */
import type { AgreementRedline } from '@overens/model';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError, http } from '../../api/client.ts';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { versionMessages } from '../../i18n/messages/versions.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { useAgreementEvents } from '../../shell/events.tsx';
import { RedlineView } from './RedlineView.tsx';

export interface Version {
  id: string;
  agreementId: string;
  name: string;
  kind: 'named' | 'auto' | 'restore';
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  restoredFrom: string | null;
}

type T = typeof versionMessages.sv;

function errorText(t: T, e: unknown): string {
  return fmt(t.errorGeneric, { error: e instanceof ApiError ? e.readable : e instanceof Error ? e.message : String(e) });
}

function versionLabel(t: T, v: Version): string {
  return v.kind === 'auto' ? t.kindAuto : v.name;
}

export function VersionsPanel() {
  const t = useMessages(versionMessages);
  const f = useFormat();
  const { agreementId, agreement } = useAgreement();
  const canEdit = agreement.role === 'editor' && agreement.status !== 'locked';
  const base = `/api/agreements/${agreementId}/versions`;
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('current');
  const [redline, setRedline] = useState<{ data: AgreementRedline; from: string; to: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const nameId = useId();
  const fromId = useId();
  const toId = useId();
  const redlineRef = useRef<HTMLElement>(null);

  const load = useCallback(async () => {
    try {
      const { versions: list } = await http.get<{ versions: Version[] }>(base);
      setVersions(list);
    } catch (e) {
      setError(errorText(t, e));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base]);

  useEffect(() => {
    void load();
  }, [load]);

  useAgreementEvents((e) => {
    // (Re)connected, or the agreement was locked/unlocked (locking records the final version).
    // A new version: fetch the list (the event's payload is the contract's summary, not the list's row).
    if (e.type === 'ready' || e.type === 'agreement.locked' || e.type === 'agreement.unlocked' || e.type === 'version.saved') void load();
  });

  useEffect(() => {
    if (!from && versions && versions.length > 0) setFrom(versions[0]!.id);
  }, [versions, from]);

  const labelOf = (id: string) => {
    if (id === 'current') return t.current;
    const v = versions?.find((x) => x.id === id);
    return v ? `${versionLabel(t, v)} (${f.dateTime(v.createdAt)})` : id;
  };

  const save = async () => {
    if (name.trim() === '') return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const v = await http.post<Version>(base, { name: name.trim() });
      setVersions((list) => (list ? (list.some((x) => x.id === v.id) ? list : [v, ...list]) : [v]));
      setMessage(fmt(t.saved, { name: v.name }));
      setName('');
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const compare = async (a: string, b: string) => {
    setBusy(true);
    setError(null);
    try {
      const data = await http.get<AgreementRedline>(`${base}/compare?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`);
      setRedline({ data, from: a, to: b });
      requestAnimationFrame(() => redlineRef.current?.focus());
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const restore = async (id: string) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const v = await http.post<Version>(`${base}/${id}/restore`);
      setVersions((list) => (list ? (list.some((x) => x.id === v.id) ? list : [v, ...list]) : [v]));
      setMessage(t.restored);
      setConfirming(null);
      setRedline(null);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="versions" data-testid="versions-panel">
      <div role="status" aria-live="polite" className="versions__status">
        {message && <p className="versions__message">{message}</p>}
      </div>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      {canEdit && (
        <form
          className="versions__save"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h3 className="h4">{t.saveHeading}</h3>
          <div className="field">
            <label className="field__label" htmlFor={nameId}>
              {t.nameLabel}
            </label>
            <div className="field__hint small">{t.nameHint}</div>
            <input id={nameId} className="input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" className="button button--small" disabled={busy || name.trim() === ''}>
            {t.saveButton}
          </button>
        </form>
      )}

      {versions && versions.length > 0 && (
        <form
          className="versions__compare"
          onSubmit={(e) => {
            e.preventDefault();
            if (from && to && from !== to) void compare(from, to);
          }}
        >
          <h3 className="h4">{t.compareHeading}</h3>
          <p className="small muted">{t.compareHint}</p>
          <div className="versions__pickers">
            <div className="field">
              <label className="field__label" htmlFor={fromId}>
                {t.fromLabel}
              </label>
              <select id={fromId} className="select" value={from} onChange={(e) => setFrom(e.target.value)}>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {labelOf(v.id)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field__label" htmlFor={toId}>
                {t.toLabel}
              </label>
              <select id={toId} className="select" value={to} onChange={(e) => setTo(e.target.value)}>
                <option value="current">{t.current}</option>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    {labelOf(v.id)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="submit" className="button button--small" disabled={busy || !from || from === to}>
            {t.compareButton}
          </button>
        </form>
      )}

      {redline && (
        <section ref={redlineRef} tabIndex={-1} className="redline-wrap" aria-label={fmt(t.redlineHeading, { from: labelOf(redline.from), to: labelOf(redline.to) })}>
          <div className="redline-wrap__head">
            <h3 className="h4">{fmt(t.redlineHeading, { from: labelOf(redline.from), to: labelOf(redline.to) })}</h3>
            <button type="button" className="button button--secondary button--small" onClick={() => setRedline(null)}>
              {t.close}
            </button>
          </div>
          <RedlineView redline={redline.data} />
        </section>
      )}

      <section aria-labelledby={`${nameId}-list`}>
        <h3 className="h4" id={`${nameId}-list`}>
          {t.listHeading}
        </h3>
        {versions === null && <p className="muted">{t.loading}</p>}
        {versions && versions.length === 0 && <p className="muted">{t.empty}</p>}
        {versions && versions.length > 0 && (
          <ol className="version-list">
            {versions.map((v) => (
              <li key={v.id} className={`version version--${v.kind}`} data-version-id={v.id}>
                <div className="version__name">
                  <strong>{versionLabel(t, v)}</strong>
                  <span className="badge badge--neutral version__kind">{v.kind === 'named' ? t.kindNamed : v.kind === 'auto' ? t.kindAuto : t.kindRestore}</span>
                </div>
                <div className="version__meta small muted">
                  <time dateTime={v.createdAt}>{f.dateTime(v.createdAt)}</time> · {v.createdBy ? fmt(t.by, { name: v.createdBy.name }) : t.bySystem}
                </div>
                <div className="button-row version__actions">
                  <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void compare(v.id, 'current')} aria-label={`${t.compareWith}: ${versionLabel(t, v)}`}>
                    {t.compareWith}
                  </button>
                  {canEdit && confirming !== v.id && (
                    <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => setConfirming(v.id)} aria-label={`${t.restore}: ${versionLabel(t, v)}`}>
                      {t.restore}
                    </button>
                  )}
                </div>
                {confirming === v.id && (
                  <div className="version__confirm" role="group" aria-label={t.restore}>
                    <p className="small">{fmt(t.restoreConfirm, { name: versionLabel(t, v) })}</p>
                    <div className="button-row">
                      <button type="button" className="button button--warning button--small" disabled={busy} onClick={() => void restore(v.id)} autoFocus>
                        {t.restoreYes}
                      </button>
                      <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(null)}>
                        {t.cancel}
                      </button>
                    </div>
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

