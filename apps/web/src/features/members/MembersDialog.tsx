/**
 * "Deltagare": the agreement's members grouped by party. Editors change the role and signatory flag of
 * members of their own party and remove them (after a confirm step); everyone else sees the list only.
 * A modal dialog (Escape closes). The list follows `agreement.members`, which the members feature
 * reloads when another member joins, changes or leaves (live `member.*` events).
 */
import { useId, useState } from 'react';
import { ApiError, NetworkError, http, type AgreementMember, type MemberRole } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { membersMessages } from '../../i18n/messages/members.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { RemovePartyDialog } from './RemovePartyDialog.tsx';

type T = typeof membersMessages.sv;

export function readableError(t: T, x: unknown): string {
  if (x instanceof NetworkError) return t.networkError;
  if (x instanceof ApiError) {
    if (x.status === 409) return t.lastEditor;
    if (x.status === 403) return t.otherParty;
    return x.readable;
  }
  return String(x);
}

const memberPath = (agreementId: string, userId: string) =>
  `/api/agreements/${encodeURIComponent(agreementId)}/members/${encodeURIComponent(userId)}`;

export function MembersDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(membersMessages);
  const { agreement, agreementId, me, refreshAgreement } = useAgreement();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removingParty, setRemovingParty] = useState(false);

  const canManage = (m: AgreementMember) => agreement.role === 'editor' && m.partyId === agreement.partyId;
  const roleLabel = (r: MemberRole) => (r === 'editor' ? t.roleEditor : r === 'commenter' ? t.roleCommenter : t.roleViewer);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      await action();
      await refreshAgreement();
      setStatus(done);
    } catch (x) {
      setError(readableError(t, x));
    } finally {
      setBusy(false);
    }
  };

  const update = (m: AgreementMember, body: { role?: MemberRole; signatory?: boolean }) =>
    run(() => http.patch(memberPath(agreementId, m.userId), body), t.saved);
  const remove = (m: AgreementMember) =>
    run(async () => {
      await http.del(memberPath(agreementId, m.userId));
      setConfirming(null);
    }, fmt(t.removed, { name: m.name }));

  const groups = agreement.parties.map((p) => ({ party: p, members: agreement.members.filter((m) => m.partyId === p.id) }));

  // Removing our party (the last editor's way out) replaces this dialog while it is open.
  if (removingParty) return <RemovePartyDialog onClose={() => setRemovingParty(false)} />;

  return (
    <Dialog title={t.title} closeLabel={t.close} onClose={onClose} className="members-dialog">
      <p>{agreement.role === 'editor' ? t.intro : t.readOnlyIntro}</p>
      {error && (
        <p className="field__error" role="alert" data-testid="members-error">
          {error}
        </p>
      )}
      <p role="status" className="ok small">
        {status}
      </p>
      {groups.map(({ party, members }) => (
        <section key={party.id} aria-labelledby={`${id}-p-${party.id}`}>
          <h3 id={`${id}-p-${party.id}`}>{party.name}</h3>
          {members.length === 0 ? (
            <p className="muted">{t.noMembers}</p>
          ) : (
            <table className="table members-table">
              <thead>
                <tr>
                  <th scope="col">{t.name}</th>
                  <th scope="col">{t.email}</th>
                  <th scope="col">{t.role}</th>
                  <th scope="col">{t.signatory}</th>
                  {agreement.role === 'editor' && party.id === agreement.partyId && <th scope="col">{t.actions}</th>}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => {
                  const manage = canManage(m);
                  return (
                    <tr key={m.userId} data-member={m.email}>
                      <th scope="row">
                        {m.name} {m.userId === me.id && <span className="muted small">{t.you}</span>}
                        {m.title && (
                          <span className="muted small block" data-testid="member-title">
                            {m.title}
                          </span>
                        )}
                      </th>
                      <td className="members-table__email">{m.email}</td>
                      <td>
                        {manage ? (
                          <select
                            className="select"
                            aria-label={fmt(t.roleOf, { name: m.name })}
                            value={m.role}
                            disabled={busy}
                            onChange={(e) => void update(m, { role: e.target.value as MemberRole })}
                          >
                            <option value="editor">{t.roleEditor}</option>
                            <option value="commenter">{t.roleCommenter}</option>
                            <option value="viewer">{t.roleViewer}</option>
                          </select>
                        ) : (
                          roleLabel(m.role)
                        )}
                      </td>
                      <td>
                        {manage ? (
                          <label className="checkbox">
                            <input
                              type="checkbox"
                              checked={m.signatory}
                              disabled={busy}
                              onChange={(e) => void update(m, { signatory: e.target.checked })}
                            />
                            <span className="visually-hidden">{fmt(t.signatoryOf, { name: m.name })}</span>
                          </label>
                        ) : m.signatory ? (
                          t.yes
                        ) : (
                          t.no
                        )}
                      </td>
                      {manage && (
                        <td>
                          {confirming === m.userId ? (
                            <div role="group" aria-label={fmt(t.confirmRemove, { name: m.name })} className="button-row">
                              <span className="small">{fmt(t.confirmRemove, { name: m.name })}</span>
                              <button type="button" className="button button--warning button--small" disabled={busy} onClick={() => void remove(m)}>
                                {t.confirmRemoveYes}
                              </button>
                              <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(null)}>
                                {t.cancel}
                              </button>
                            </div>
                          ) : (
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              aria-label={fmt(t.removeOf, { name: m.name })}
                              disabled={busy}
                              onClick={() => setConfirming(m.userId)}
                            >
                              {t.remove}
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {agreement.policies?.['party.remove'] && (
        <p>
          <button type="button" className="button button--secondary" disabled={busy} onClick={() => setRemovingParty(true)}>
            {t.removeParty}
          </button>
        </p>
      )}
    </Dialog>
  );
}
