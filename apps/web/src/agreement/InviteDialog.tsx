import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type MemberRole } from '../api/client.ts';
import { ErrorSummary } from '../components/forms.tsx';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { useErrorState } from '../pages/AuthPages.tsx';
import { useAgreement } from '../shell/agreement-context.tsx';

export function invitationLink(token: string): string {
  return `${window.location.origin}/#/invitations/${encodeURIComponent(token)}`;
}

/** Modal (native <dialog>: focus is trapped, Escape closes) to create an invitation link. */
export function InviteDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(coreMessages);
  const { agreementId } = useAgreement();
  const ref = useRef<HTMLDialogElement>(null);
  const [newParty, setNewParty] = useState(true);
  const [role, setRole] = useState<MemberRole>('editor');
  const [signatory, setSignatory] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const err = useErrorState();

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // No close() on cleanup: removing the element ends the modal state, and a close event here would
    // unmount the dialog under React's development double-mount.
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    err.clear();
    try {
      const res = await api.createInvitation(agreementId, { role, signatory, newParty, expiresInDays: 14 });
      setLink(invitationLink(res.token));
      setCopied(false);
    } catch (x) {
      err.fail(x);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      document.getElementById('invite-link')?.focus();
      (document.getElementById('invite-link') as HTMLInputElement | null)?.select();
    }
  };

  const roles: Array<{ value: MemberRole; label: string; hint: string }> = [
    { value: 'editor', label: t.roleEditor, hint: t.inviteRoleEditorHint },
    { value: 'commenter', label: t.roleCommenter, hint: t.inviteRoleCommenterHint },
    { value: 'viewer', label: t.roleViewer, hint: t.inviteRoleViewerHint },
  ];

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="invite-title" onClose={onClose} onCancel={onClose}>
      <div className="dialog__head">
        <h2 id="invite-title">{t.inviteTitle}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t.close}>
          ✕
        </button>
      </div>
      <p>{t.inviteIntro}</p>
      <ErrorSummary errors={err.fieldErrors} message={err.message} />
      <form onSubmit={submit} noValidate>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.inviteWho}</legend>
          <div className="radios">
            <label className="radio">
              <input type="radio" name="newParty" checked={newParty} onChange={() => setNewParty(true)} />
              <span>{t.inviteNewParty}</span>
            </label>
            <label className="radio">
              <input type="radio" name="newParty" checked={!newParty} onChange={() => setNewParty(false)} />
              <span>{t.inviteColleague}</span>
            </label>
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.inviteRole}</legend>
          <div className="radios">
            {roles.map((r) => (
              <label key={r.value} className="radio">
                <input type="radio" name="role" value={r.value} checked={role === r.value} onChange={() => setRole(r.value)} />
                <span>
                  {r.label}
                  <span className="block muted small">{r.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="signatory" checked={signatory} onChange={(e) => setSignatory(e.target.checked)} />
            <span>{t.inviteSignatory}</span>
          </label>
        </div>
        <button type="submit" className="button" disabled={busy}>
          {t.inviteCreate}
        </button>
      </form>
      {link && (
        <div className="invite-result">
          <label htmlFor="invite-link" className="field__label">
            {t.inviteLink}
          </label>
          <p className="muted small">{fmt(t.inviteExpires, { days: 14 })}</p>
          <div className="inline-field__row">
            <input id="invite-link" className="input" readOnly value={link} onFocus={(e) => e.target.select()} />
            <button type="button" className="button button--secondary" onClick={copy}>
              {t.inviteCopy}
            </button>
          </div>
          <p role="status" className="ok small">
            {copied ? t.inviteCopied : ''}
          </p>
        </div>
      )}
    </dialog>
  );
}
