/** "Byt namn": rename the agreement (editors). A modal dialog with a labelled input. */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useMessages } from '../../i18n/index.tsx';
import { membersMessages } from '../../i18n/messages/members.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { readableError } from './MembersDialog.tsx';

export function RenameDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(membersMessages);
  const { agreement, agreementId, refreshAgreement } = useAgreement();
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const [title, setTitle] = useState(agreement.title);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    inputRef.current?.select();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) {
      setError(t.titleRequired);
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.updateAgreement(agreementId, { title: title.trim() });
      await refreshAgreement();
      onClose();
    } catch (x) {
      setError(readableError(t, x));
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t.renameTitle} closeLabel={t.close} onClose={onClose} initialFocus={inputRef}>
      <form onSubmit={submit} noValidate>
        <div className={`field${error ? ' field--error' : ''}`}>
          <label className="field__label" htmlFor={`${id}-input`}>
            {t.titleLabel}
          </label>
          {error && (
            <p className="field__error" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
          <input
            ref={inputRef}
            id={`${id}-input`}
            name="title"
            className="input"
            required
            aria-required="true"
            aria-invalid={error ? 'true' : 'false'}
            aria-describedby={error ? `${id}-error` : undefined}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t.saving : t.save}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
