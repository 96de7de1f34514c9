/**
 * "Godkänn för underskrift": a deliberate approval. A modal dialog (labelled by its heading, focus kept
 * inside, Escape closes) that shows what the signatory approves — the version, the full checksum — and
 * what is still open: sections not agreed by every party, unresolved shared comment threads, validation
 * errors and warnings. It says that the text locks as the final version once every signatory has approved,
 * and says so explicitly when this approval is the last one. The request carries the checksum shown here;
 * the server refuses it (409 content-changed) if the text changed since, and the dialog then shows the new one.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { NetworkError } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { signingApi, SigningProblem, type ApprovalState } from './api.ts';
import { useSigning } from './store.tsx';

/** The server's view, as close as possible to the text on screen (the last keystrokes may still be on their way). */
async function freshState(agreementId: string, localHash: string): Promise<ApprovalState> {
  let s = await signingApi.state(agreementId);
  for (let i = 0; i < 6 && s.currentHash !== localHash && s.status === 'draft'; i++) {
    await new Promise((r) => window.setTimeout(r, 300));
    s = await signingApi.state(agreementId);
  }
  return s;
}

export function ApproveDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(signingMessages);
  const { locale } = useLocale();
  const f = useFormat();
  const { agreementId, agreement, me, myParty, focusTarget } = useAgreement();
  const { state: live, reload, announce } = useSigning();
  const [seen, setSeen] = useState<ApprovalState | null>(null);
  const [nextNumber, setNextNumber] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLParagraphElement>(null);
  const id = useId();
  const localHash = live?.currentHash ?? '';

  const load = useCallback(async () => {
    setError(null);
    try {
      const [s, finals] = await Promise.all([freshState(agreementId, localHash), signingApi.finalVersions(agreementId)]);
      setSeen(s);
      setNextNumber(finals.reduce((n, v) => Math.max(n, v.number), 0) + 1);
    } catch (e) {
      setError(e instanceof NetworkError ? t.networkError : e instanceof SigningProblem ? e.readable : String(e));
    }
    // Only when opened or asked to reload: a later edit is shown as "changed", not swapped in silently.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [agreementId]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = seen?.open;
  const openSuggestions = open?.openSuggestions ?? [];
  const blocked = !!open && (open.sectionsNotAgreed.length > 0 || openSuggestions.length > 0 || open.errors.length > 0);
  const changedSince = !!seen && !!localHash && localHash !== seen.currentHash;
  const othersApproved =
    !!seen && agreement.parties.every((p) => p.id === myParty?.id || seen.approvals.some((a) => a.partyId === p.id && a.hash === seen.currentHash));
  const n = nextNumber ?? '';

  const confirm = async () => {
    if (!seen) return;
    setBusy(true);
    setError(null);
    try {
      const r = await signingApi.approve(agreementId, seen.currentHash);
      announce(r.lockedAs ? fmt(t.liveLocked, { n: r.lockedAs.number }) : t.youApproved);
      await reload();
      onClose();
    } catch (e) {
      if (e instanceof SigningProblem && e.code === 'content-changed') {
        setError(t.contentChanged);
        await load();
      } else if (e instanceof SigningProblem && e.code === 'approval-blocked') {
        setError(t.approvalBlocked);
        await load();
      } else if (e instanceof SigningProblem) {
        setError(e.status === 403 ? t.refusedNotSignatory : e.status === 409 ? t.refusedLocked : e.readable);
      } else setError(e instanceof NetworkError ? t.networkError : String(e));
      headingRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const goTo = (target: Parameters<typeof focusTarget>[0]) => {
    onClose();
    window.setTimeout(() => focusTarget(target), 0);
  };

  return (
    <Dialog title={t.approveTitle} closeLabel={t.close} onClose={onClose} className="dialog--wide" describedBy={`${id}-intro`} testId="approve-dialog" initialFocus={headingRef}>
      <p id={`${id}-intro`} ref={headingRef} tabIndex={-1}>
        {fmt(t.approveIntro, { name: me.name, party: myParty?.name ?? '' })}
      </p>
      {!seen ? (
        <p className="muted">{error ?? t.loading}</p>
      ) : (
        <>
          <dl className="approve__facts">
            <dt>{t.approveVersion}</dt>
            <dd data-testid="approve-version">{fmt(t.approveVersionText, { n, date: f.dateTime(new Date().toISOString()) })}</dd>
            <dt>{t.hashLabel}</dt>
            <dd>
              <code className="hash hash--full" data-testid="approve-hash">
                {seen.currentHash}
              </code>
            </dd>
          </dl>
          {changedSince && (
            <div className="error-summary" role="alert" data-testid="approve-changed">
              <p className="error-summary__title">{t.changedWhileOpen}</p>
              <button type="button" className="button button--secondary" onClick={() => void load()}>
                {t.showNewText}
              </button>
            </div>
          )}

          <h3 className="signing__h">{t.openHeading}</h3>
          {open && open.sectionsNotAgreed.length + openSuggestions.length + open.unresolvedThreads.length + open.errors.length + open.warnings.length === 0 ? (
            <p data-testid="approve-nothing-open">{t.nothingOpen}</p>
          ) : null}
          {open && open.sectionsNotAgreed.length > 0 && (
            <section aria-labelledby={`${id}-sections`} data-testid="approve-open-sections">
              <h4 id={`${id}-sections`} className="approve__h">
                {fmt(t.openSections, { n: open.sectionsNotAgreed.length })}
              </h4>
              <ul className="approve__list">
                {open.sectionsNotAgreed.map((s) => (
                  <li key={s.id}>
                    <button type="button" className="link-button" onClick={() => goTo({ kind: 'section', sectionId: s.id })}>
                      {s.title}
                    </button>{' '}
                    <span className="small muted">{fmt(t.waitingForParties, { parties: f.list(s.missing.map((m) => m.name)) })}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {openSuggestions.length > 0 && (
            <section aria-labelledby={`${id}-suggestions`} data-testid="approve-open-suggestions">
              <h4 id={`${id}-suggestions`} className="approve__h">
                {fmt(t.openSuggestions, { n: openSuggestions.length })}
              </h4>
              <ul className="approve__list">
                {openSuggestions.map((s) => (
                  <li key={s.sectionId}>
                    <button type="button" className="link-button" onClick={() => goTo({ kind: 'section', sectionId: s.sectionId })}>
                      {s.title}
                    </button>{' '}
                    <span className="small muted">{fmt(t.suggestionCount, { n: s.count })}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {open && open.errors.length > 0 && (
            <section aria-labelledby={`${id}-errors`} data-testid="approve-open-errors">
              <h4 id={`${id}-errors`} className="approve__h">
                {fmt(t.openErrors, { n: open.errors.length })}
              </h4>
              <ul className="approve__list">
                {open.errors.map((fd, i) => (
                  <li key={`${fd.ruleId}-${i}`}>
                    <button type="button" className="link-button" onClick={() => goTo(fd.target)}>
                      {fd.message[locale]}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {open && open.unresolvedThreads.length > 0 && (
            <section aria-labelledby={`${id}-threads`} data-testid="approve-open-threads">
              <h4 id={`${id}-threads`} className="approve__h">
                {fmt(t.openThreads, { n: open.unresolvedThreads.length })}
              </h4>
              <ul className="approve__list">
                {open.unresolvedThreads.slice(0, 10).map((th) => (
                  <li key={th.id}>
                    {th.sectionTitle ? <strong>{th.sectionTitle}: </strong> : null}”{th.quote}”
                  </li>
                ))}
              </ul>
            </section>
          )}
          {open && open.warnings.length > 0 && (
            <section aria-labelledby={`${id}-warnings`} data-testid="approve-open-warnings">
              <h4 id={`${id}-warnings`} className="approve__h">
                {fmt(t.openWarnings, { n: open.warnings.length })}
              </h4>
              <ul className="approve__list">
                {open.warnings.map((fd, i) => (
                  <li key={`${fd.ruleId}-${i}`}>{fd.message[locale]}</li>
                ))}
              </ul>
            </section>
          )}

          <p className={othersApproved ? 'approve__lock approve__lock--last' : 'approve__lock'} data-testid="approve-lock-note">
            {othersApproved ? fmt(t.lockNoteLast, { n }) : fmt(t.lockNote, { n })}
          </p>
          {blocked && (
            <p className="signing__warn" data-testid="approve-blocked">
              {t.blockedNote}
            </p>
          )}
          {error && (
            <div className="error-summary" role="alert" data-testid="approve-error">
              <p className="error-summary__title">{error}</p>
            </div>
          )}
          <div className="button-row">
            <button ref={confirmRef} type="button" className="button" onClick={() => void confirm()} disabled={busy || blocked || changedSince}>
              {busy ? t.approving : othersApproved ? fmt(t.approveConfirmLast, { n }) : t.approveConfirm}
            </button>
            <button type="button" className="button button--secondary" onClick={onClose}>
              {t.cancel}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
