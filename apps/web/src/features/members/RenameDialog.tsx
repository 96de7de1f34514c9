/** "Byt namn": rename the agreement (editors). A modal dialog with a labelled input. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { TextField } from '../../components/forms.tsx';
import { useMessages } from '../../i18n/index.tsx';
import { membersMessages } from '../../i18n/messages/members.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { readableError } from './MembersDialog.tsx';

export function RenameDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(membersMessages);
  const { agreement, agreementId, refreshAgreement } = useAgreement();
  const inputRef = useRef<HTMLInputElement>(null);
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
        <TextField
          ref={inputRef}
          name="title"
          label={t.titleLabel}
          error={error ?? undefined}
          announceError
          required
          aria-required="true"
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
        />
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
