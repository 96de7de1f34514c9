/**
 * Members ("Deltagare"), rename and archive, registered as header actions of the agreement page
 * (a dialog rather than a side-panel tab: four tabs already fill the side panel), plus a banner on
 * archived agreements. The member list (in the agreement detail) is reloaded when someone joins, has their
 * role changed or is removed (live `member.*` events), so an open dialog follows without a reload. A rename or
 * an archive/restore by someone else (`agreement.updated`) reloads the detail too, so the page heading, the
 * tab title, the archived banner and the archive button follow, and is announced in the polite status region.
 */
import { useEffect, useRef, useState } from 'react';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { membersMessages } from '../../i18n/messages/members.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { registerFeature } from '../../shell/registry.ts';
import { api } from '../../api/client.ts';
import { useAgreementEvents } from '../../shell/events.tsx';
import { MembersDialog, readableError } from './MembersDialog.tsx';
import { RenameDialog } from './RenameDialog.tsx';
import './members.css';

function MembersActions() {
  const t = useMessages(membersMessages);
  const { agreement, agreementId, refreshAgreement } = useAgreement();
  const [open, setOpen] = useState<'members' | 'rename' | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const editor = agreement.role === 'editor';
  useLiveAgreementDetail(refreshAgreement, (change) => {
    const parts: string[] = [];
    if (change.title !== undefined) parts.push(fmt(t.liveRenamed, { title: change.title }));
    if (change.archived !== undefined) parts.push(change.archived ? t.archivedDone : t.unarchivedDone);
    if (parts.length) setMessage(parts.join(' '));
  });

  const toggleArchive = async () => {
    setBusy(true);
    setMessage('');
    try {
      const archived = !agreement.archived;
      await api.updateAgreement(agreementId, { archived });
      await refreshAgreement();
      setMessage(archived ? t.archivedDone : t.unarchivedDone);
    } catch (x) {
      setMessage(readableError(t, x));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen('members')}>
        {t.open}
      </button>
      {editor && (
        <>
          <button type="button" className="button button--secondary button--small" onClick={() => setOpen('rename')}>
            {t.rename}
          </button>
          <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void toggleArchive()}>
            {agreement.archived ? t.unarchive : t.archive}
          </button>
        </>
      )}
      <span role="status" className="small">
        {message}
      </span>
      {open === 'members' && <MembersDialog onClose={() => setOpen(null)} />}
      {open === 'rename' && <RenameDialog onClose={() => setOpen(null)} />}
    </>
  );
}

const DETAIL_EVENTS = new Set(['member.joined', 'member.updated', 'member.removed', 'agreement.updated']);

interface AgreementChange {
  title?: string;
  archived?: boolean;
}

/**
 * Reloads the agreement detail (title, archived, members, roles, parties) on member and agreement.updated
 * events, a few at once coalesced into one request, and after the event stream reconnects (events may have
 * been missed meanwhile). What the agreement.updated events of a burst changed is handed to `announce` once
 * the reloaded detail is shown.
 */
function useLiveAgreementDetail(refresh: () => Promise<void>, announce: (change: AgreementChange) => void) {
  const timer = useRef<number | undefined>(undefined);
  const connectedBefore = useRef(false);
  const pending = useRef<AgreementChange>({});
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useAgreementEvents((e) => {
    const reconnected = e.type === 'ready' && connectedBefore.current;
    if (e.type === 'ready') connectedBefore.current = true;
    if (!reconnected && !DETAIL_EVENTS.has(e.type)) return;
    if (e.type === 'agreement.updated') {
      if (e.data.title !== undefined) pending.current.title = e.data.title;
      if (e.data.archived !== undefined) pending.current.archived = e.data.archived;
    }
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const change = pending.current;
      pending.current = {};
      void refresh()
        .then(() => announce(change))
        .catch(() => {});
    }, 150);
  });
}

function ArchivedBanner() {
  const t = useMessages(membersMessages);
  const { agreement } = useAgreement();
  if (!agreement.archived) return null;
  return (
    <p className="notice notice--compact" role="note">
      {t.archivedNotice}
    </p>
  );
}

registerFeature({ id: 'members', HeaderActions: MembersActions, Banner: ArchivedBanner });
