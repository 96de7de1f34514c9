import { useEffect, useState } from 'react';
import { createInvitationSchema } from '@overens/model/requests';
import { api, http, type MemberRole } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Form, SubmitButton, TextField, useZodForm } from '../components/forms.tsx';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { signedCopyMessages } from '../i18n/messages/signed-copy.ts';
import { useAgreement } from '../shell/agreement-context.tsx';

export function invitationLink(token: string): string {
  return `${window.location.origin}/#/invitations/${encodeURIComponent(token)}`;
}

const EXPIRES_IN_DAYS = 14;

/** Modal dialog (focus is trapped, Escape closes) to create an invitation link. */
export function InviteDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(coreMessages);
  const { agreementId } = useAgreement();
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const mt = useMessages(signedCopyMessages);
  // With mail on (the server has SMTP), the link can be e-mailed instead of copied.
  const [mailOn, setMailOn] = useState(false);
  const [mailedTo, setMailedTo] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    http.get<{ mail: boolean }>('/api/config').then((c) => live && setMailOn(c.mail), () => {});
    return () => {
      live = false;
    };
  }, []);
  const f = useZodForm({
    schema: createInvitationSchema,
    defaultValues: { newParty: true, role: 'editor', signatory: false, expiresInDays: EXPIRES_IN_DAYS },
    onSubmit: async (values) => {
      const res = await api.createInvitation(agreementId, values);
      setMailedTo((res as { mailedTo?: string | null }).mailedTo ?? null);
      setLink(invitationLink(res.token));
      setCopied(false);
    },
  });
  const newParty = f.form.watch('newParty');
  const role = f.form.watch('role');

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
      <Form form={f}>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.inviteWho}</legend>
          <div className="radios">
            <label className="radio">
              <input type="radio" name="newParty" checked={newParty === true} onChange={() => f.form.setValue('newParty', true)} />
              <span>{t.inviteNewParty}</span>
            </label>
            <label className="radio">
              <input type="radio" name="newParty" checked={newParty === false} onChange={() => f.form.setValue('newParty', false)} />
              <span>{t.inviteColleague}</span>
            </label>
          </div>
        </fieldset>
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t.inviteRole}</legend>
          <div className="radios">
            {roles.map((r) => (
              <label key={r.value} className="radio">
                <input type="radio" name="role" value={r.value} checked={role === r.value} onChange={() => f.form.setValue('role', r.value)} />
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
            <input type="checkbox" {...f.form.register('signatory')} />
            <span>{t.inviteSignatory}</span>
          </label>
        </div>
        {mailOn && <TextField label={mt.inviteEmail} hint={mt.inviteEmailHint} type="email" autoComplete="off" maxLength={320} {...f.field('email')} />}
        <SubmitButton form={f}>{t.inviteCreate}</SubmitButton>
      </Form>
      {link && mailedTo && (
        <p role="status" className="ok invite-result" data-testid="invite-sent">
          {fmt(mt.inviteSent, { email: mailedTo })}
        </p>
      )}
      {link && !mailedTo && (
        <div className="invite-result">
          <label htmlFor="invite-link" className="field__label">
            {t.inviteLink}
          </label>
          <p className="muted small">{fmt(t.inviteExpires, { days: EXPIRES_IN_DAYS })}</p>
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
