import { useState, type FormEvent } from 'react';
import { api, type MemberRole } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorSummary } from '../components/forms.tsx';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { useErrorState } from '../pages/AuthPages.tsx';
import { useAgreement } from '../shell/agreement-context.tsx';

export function invitationLink(token: string): string {
  return `${window.location.origin}/#/invitations/${encodeURIComponent(token)}`;
}

/** Modal dialog (focus is trapped, Escape closes) to create an invitation link. */
export function InviteDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(coreMessages);
  const { agreementId } = useAgreement();
  const [newParty, setNewParty] = useState(true);
  const [role, setRole] = useState<MemberRole>('editor');
  const [signatory, setSignatory] = useState(false);
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const err = useErrorState();

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
    <Dialog title={t.inviteTitle} closeLabel={t.close} onClose={onClose}>
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
    </Dialog>
  );
}
