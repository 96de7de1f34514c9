/**
 * "Ta bort part": an editor removes their own party from the agreement as a whole (the way out when
 * its last editor wants to leave). Says what goes (every member of the party, its pending
 * invitations, the party in the text) and that it is refused once anyone has approved; the server
 * decides (policy `party.remove`, DELETE /api/agreements/:id/parties/:partyId) and its refusal is
 * shown in the reader's language. Removing one's own party ends one's membership: back to the list.
 */
import { useId, useRef, useState } from 'react';
import { ApiError, NetworkError, http } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { fmt, useLocale, useMessages } from '../../i18n/index.tsx';
import { membersMessages } from '../../i18n/messages/members.ts';
import { localizeProblem } from '../../i18n/problems.ts';
import { navigate } from '../../router.tsx';
import { useAgreement } from '../../shell/agreement-context.tsx';

export function RemovePartyDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(membersMessages);
  const { locale } = useLocale();
  const { agreement, agreementId } = useAgreement();
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const party = agreement.parties.find((p) => p.id === agreement.partyId);
  const name = party?.name ?? '';
  const members = agreement.members.filter((m) => m.partyId === agreement.partyId).length;

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await http.del(`/api/agreements/${encodeURIComponent(agreementId)}/parties/${encodeURIComponent(agreement.partyId)}`);
      navigate('/agreements');
    } catch (x) {
      setError(x instanceof NetworkError ? t.networkError : x instanceof ApiError ? localizeProblem(x, locale).message : String(x));
      setBusy(false);
    }
  };

  return (
    <Dialog title={fmt(t.removePartyTitle, { party: name })} closeLabel={t.close} onClose={onClose} initialFocus={cancelRef} describedBy={`${id}-what`} testId="remove-party-dialog">
      <div id={`${id}-what`}>
        <p>{fmt(t.removePartyIntro, { party: name })}</p>
        <ul>
          <li>{fmt(t.removePartyMembers, { count: members, party: name })}</li>
          <li>{t.removePartyInvitations}</li>
          <li>{t.removePartyDocument}</li>
        </ul>
        <p>{t.removePartyApproved}</p>
      </div>
      {error && (
        <p className="field__error" role="alert" data-testid="remove-party-error">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button button--warning" disabled={busy} onClick={() => void remove()}>
          {busy ? t.removingParty : fmt(t.removePartyYes, { party: name })}
        </button>
        <button ref={cancelRef} type="button" className="button button--secondary" onClick={onClose}>
          {t.cancel}
        </button>
      </div>
    </Dialog>
  );
}
