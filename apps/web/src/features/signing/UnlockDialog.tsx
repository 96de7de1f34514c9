/**
 * "Lås upp": reopens the final version for editing. A modal dialog (focus stays inside,
 * Escape closes), labelled by its heading, with a required reason that goes to the audit trail.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { NetworkError } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { TextAreaField } from '../../components/forms.tsx';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { signingApi, SigningProblem } from './api.ts';
import { useSigning } from './store.tsx';

export function UnlockDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(signingMessages);
  const { agreementId, refreshAgreement } = useAgreement();
  const { state, reload, announce } = useSigning();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(t.reasonRequired);
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signingApi.unlock(agreementId, reason.trim());
      announce(t.unlockedSelf);
      await Promise.all([reload(), refreshAgreement()]);
      onClose();
    } catch (x) {
      setError(x instanceof SigningProblem ? (x.errors[0]?.message ?? x.readable) : x instanceof NetworkError ? t.networkError : String(x));
      reasonRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const n = state?.finalVersion?.number ?? '';
  return (
    <Dialog title={fmt(t.unlockTitle, { n })} closeLabel={t.close} onClose={onClose} initialFocus={reasonRef} describedBy={`${id}-intro`}>
      <p id={`${id}-intro`}>{t.unlockWarning}</p>
      <form onSubmit={submit} noValidate>
        <TextAreaField
          ref={reasonRef}
          name="reason"
          label={t.reasonLabel}
          hint={t.reasonHint}
          error={error ?? undefined}
          announceError
          rows={3}
          required
          aria-required="true"
          value={reason}
          maxLength={2000}
          onChange={(e) => setReason(e.target.value)}
        />
        <div className="button-row">
          <button type="submit" className="button button--warning" disabled={busy}>
            {busy ? t.unlocking : t.unlockConfirm}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
