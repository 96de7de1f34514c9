import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from '../queries/client.ts';
import { agreementKeys } from '../queries/keys.ts';
import { AgreementEventsProvider } from '../shell/events.tsx';
import { AgreementDoc, observeAgreement, type FindingTarget, type SectionMark } from '@overens/model';
import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { AgreementDetail } from '../api/client.ts';
import { useAgreementDetail } from '../queries/agreement.ts';
import { Layout, Loading } from '../components/Layout.tsx';
import { useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { coreMessages } from '../i18n/messages/core.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { AgreementContext, targetDomId, type AgreementContextValue } from '../shell/agreement-context.tsx';
import '../shell/features.ts';
import { getFeatures } from '../shell/registry.ts';
import { acquireConnection, type AgreementConnection, type ConnectionState } from '../sync/connection.ts';
import { colorForIndex } from './colors.ts';
import { DocumentView, preloadSectionEditor } from './DocumentView.tsx';
import { InviteDialog } from './InviteDialog.tsx';
import { Outline } from './Outline.tsx';
import { ConnectionStatusView, Presence } from './Presence.tsx';
import { SidePanel } from './SidePanel.tsx';

/**
 * The agreement page. The description (queries/agreement.ts) and the live document (a shared
 * connection, sync/connection.ts) load in parallel, and the editor chunk is fetched meanwhile
 * (on a direct load all three start before this code has even loaded: agreement/preload.ts).
 */
export function AgreementPage({ agreementId }: { agreementId: string }) {
  return (
    <QueryClientProvider client={queryClient}>
      <AgreementPageContent agreementId={agreementId} />
    </QueryClientProvider>
  );
}

/**
 * Server state is kept current by the page's event stream only while the page is open: once no page
 * shows the agreement (not just remounted: StrictMode, a quick back-and-forth), its queries are dropped,
 * so a later visit (perhaps by another user signing in here) fetches it afresh.
 */
const openPages = new Map<string, number>();
function forgetServerStateLater(agreementId: string): void {
  openPages.set(agreementId, (openPages.get(agreementId) ?? 1) - 1);
  window.setTimeout(() => {
    if ((openPages.get(agreementId) ?? 0) > 0) return;
    openPages.delete(agreementId);
    queryClient.removeQueries({ queryKey: agreementKeys.all(agreementId) });
  }, 1000);
}

export { preloadSectionEditor };

function AgreementPageContent({ agreementId }: { agreementId: string }) {
  const t = useMessages(agreementMessages);
  const tc = useMessages(coreMessages);
  const { me } = useSession();
  const { detail, error, reload } = useAgreementDetail(agreementId);
  const [conn, setConn] = useState<AgreementConnection | null>(null);

  useEffect(() => {
    openPages.set(agreementId, (openPages.get(agreementId) ?? 0) + 1);
    preloadSectionEditor();
    // Read-only until the description says what I may do (ConnectedAgreement sets it).
    const { conn: c, release } = acquireConnection(agreementId, { readOnly: true });
    setConn(c);
    return () => {
      release();
      setConn(null);
      forgetServerStateLater(agreementId);
    };
  }, [agreementId]);

  useEffect(() => {
    document.title = `${detail?.title ?? t.agreement} – ${tc.appName}`;
  }, [detail?.title, t.agreement, tc.appName]);

  if (error === 'not_found')
    return (
      <Layout>
        <h1>{t.notFoundTitle}</h1>
        <p>{t.notFoundBody}</p>
        <Link to="/agreements">{tc.navAgreements}</Link>
      </Layout>
    );
  if (error === 'network')
    return (
      <Layout>
        <p role="alert">{tc.networkError}</p>
      </Layout>
    );
  if (!detail || !me || !conn)
    return (
      <Layout wide>
        <Loading />
      </Layout>
    );
  return <ConnectedAgreement detail={detail} conn={conn} reload={reload} />;
}

function ConnectedAgreement({ detail, conn, reload }: { detail: AgreementDetail; conn: AgreementConnection; reload: () => Promise<void> }) {
  const { me } = useSession();
  // Only what this level needs from the socket's state: a status change ("saving", "saved" after every
  // pause in typing, the steps of the first connection) re-renders the status line, not the whole page.
  const serverReadOnly = useConnection(conn, (s) => s.server?.readOnly);
  const serverLocked = useConnection(conn, (s) => s.server?.locked);
  // Read-only by the server's policy (`policies`: role and lock), and live when the socket says so
  // (demoted, locked meanwhile). An offline copy cached before policies existed falls back to the role.
  const policies = (detail as Partial<AgreementDetail>).policies;
  const mayEdit = policies ? policies['document.edit'] : detail.role === 'editor' && detail.status !== 'locked';
  const readOnly = !mayEdit || serverReadOnly === true;
  useEffect(() => {
    // The role or the lock changed on the server while the page is open: fetch the new description.
    if (serverReadOnly === undefined) return;
    if (serverReadOnly !== !mayEdit || (serverLocked ?? false) !== (detail.status === 'locked')) void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverReadOnly, serverLocked]);

  useEffect(() => {
    conn.setReadOnly(readOnly);
  }, [conn, readOnly]);

  if (!me)
    return (
      <Layout wide>
        <Loading />
      </Layout>
    );
  return <AgreementWorkspace key={detail.id} detail={detail} conn={conn} readOnly={readOnly} reload={reload} />;
}

function AgreementWorkspace({
  detail,
  conn,
  readOnly,
  reload,
}: {
  detail: AgreementDetail;
  conn: AgreementConnection;
  readOnly: boolean;
  reload: () => Promise<void>;
}) {
  const t = useMessages(agreementMessages);
  const { me } = useSession();
  // The document is shown once the server or the browser's cache has delivered it.
  const hasDocument = useConnection(conn, (s) => s.synced || s.cacheLoaded);
  const editors = useRef(new Map<string, Editor>());
  const [panel, setPanel] = useState<string>('validation');
  const [inviteOpen, setInviteOpen] = useState(false);
  const reloadedFor = useRef(new Set<string>());
  const myParty = detail.parties.find((p) => p.id === detail.partyId);
  const policies = (detail as Partial<AgreementDetail>).policies;

  const partyColor = useCallback(
    (partyId: string | null | undefined) => {
      const i = detail.parties.findIndex((p) => p.id === partyId);
      return i < 0 ? '#505a5f' : colorForIndex(i);
    },
    [detail.parties],
  );
  const partyName = useCallback(
    (partyId: string | null | undefined) => detail.parties.find((p) => p.id === partyId)?.name ?? '',
    [detail.parties],
  );

  // Presence: my name in my party's colour (shown on my caret for the others).
  useEffect(() => {
    if (!me) return;
    conn.provider.awareness.setLocalStateField('user', {
      name: me.name,
      color: partyColor(detail.partyId),
      userId: me.id,
      partyId: detail.partyId,
    });
  }, [conn, me, detail.partyId, partyColor]);

  // "An edit to an agreed section resets it and shows who changed it" — for my own edits only.
  useEffect(() => {
    if (readOnly || !me) return;
    const adoc = new AgreementDoc(conn.doc);
    return adoc.installAgreedSectionReset((tr) => {
      if (!tr.local || tr.origin === conn.provider) return null;
      const mark: SectionMark = { partyId: detail.partyId, userId: me.id, userName: me.name, at: new Date().toISOString() };
      return mark;
    });
  }, [conn, readOnly, me, detail.partyId]);

  // A party that joined while the page is open (invitation accepted): reload names, members and roles.
  useEffect(() => {
    const known = new Set(detail.parties.map((p) => p.id));
    let timer: number | undefined;
    const check = () => {
      const inDoc = new AgreementDoc(conn.doc).parties().map((p) => p.id);
      const unknown = inDoc.filter((id) => !known.has(id) && !reloadedFor.current.has(id));
      if (unknown.length) {
        for (const id of unknown) reloadedFor.current.add(id);
        window.clearTimeout(timer);
        timer = window.setTimeout(() => void reload(), 300);
      }
    };
    check();
    // Only transactions that touched the parties (not every keystroke).
    const off = observeAgreement(conn.doc, (change) => {
      if (change.parts.includes('parties')) check();
    });
    return () => {
      window.clearTimeout(timer);
      off();
    };
  }, [conn, detail.parties, reload]);

  const focusTarget = useCallback((target: FindingTarget) => {
    const id = targetDomId(target);
    let el = document.getElementById(id);
    if (!el && target.kind === 'goal') el = document.getElementById(`goal-${target.rowId}`);
    if (!el && target.kind === 'contribution') el = document.getElementById(`contribution-${target.rowId}`);
    if (!el && target.kind === 'party') el = document.getElementById(`party-${target.partyId}`);
    if (!el && target.kind === 'checklist') el = document.getElementById(`checklist-${target.key}`);
    if (!el && target.kind === 'period') el = document.getElementById('period');
    if (!el && target.kind === 'agreement') el = document.getElementById(target.field === 'goals' ? 'goals' : 'parties');
    if (!el) return;
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    if (target.kind === 'section' && target.sectionId) {
      const ed = editors.current.get(target.sectionId);
      if (ed) {
        ed.commands.focus('end');
        return;
      }
    }
    const focusable = el.matches('input, select, textarea, button, [contenteditable="true"], [tabindex]')
      ? el
      : el.querySelector<HTMLElement>('input, select, textarea, button, [contenteditable="true"], [tabindex]:not([tabindex="-1"])');
    (focusable ?? el).focus({ preventScroll: true });
  }, []);

  const value = useMemo<AgreementContextValue | null>(() => {
    if (!me) return null;
    return {
      agreementId: detail.id,
      agreement: detail,
      me,
      doc: conn.doc,
      provider: conn.provider,
      awareness: conn.provider.awareness,
      readOnly,
      canComment: true,
      myParty,
      partyColor,
      partyName,
      getEditor: (id) => editors.current.get(id) ?? null,
      focusTarget,
      openPanel: setPanel,
      refreshAgreement: reload,
    };
  }, [detail, me, conn, readOnly, myParty, partyColor, partyName, focusTarget, reload]);

  if (!value) return null;

  let content: ReactNode = (
    <div className="workspace">
      <div className="workspace__bar">
        <div className="workspace__title">
          <p className="workspace__crumb">
            <Link to="/agreements" className="back-link">
              {t.backToAgreements}
            </Link>
          </p>
          <h1 id="agreement-title">{detail.title}</h1>
          <p className="muted small">{detail.parties.map((p) => p.name).join(' · ')}</p>
        </div>
        <div className="workspace__meta">
          <LiveConnectionStatus conn={conn} readOnly={readOnly} suggestOnly={readOnly && detail.status !== 'locked' && policies?.['document.suggest'] === true} />
          <Presence />
          {getFeatures().map((f) => (f.HeaderActions ? <f.HeaderActions key={f.id} /> : null))}
          {(policies ? policies['invitation.create'] : detail.role === 'editor') && (
            <button type="button" className="button button--secondary button--small" onClick={() => setInviteOpen(true)}>
              {t.invite}
            </button>
          )}
        </div>
      </div>
      {getFeatures().map((f) => (f.Banner ? <f.Banner key={f.id} /> : null))}
      {readOnly && (
        <p className="notice notice--compact" role="note">
          {detail.status === 'locked' ? t.lockedNotice : detail.role === 'commenter' ? t.commenterNotice : t.viewerNotice}
        </p>
      )}
      {!hasDocument ? (
        <Loading />
      ) : (
        <div className="workspace__grid">
          <Outline />
          <DocumentView
            registerEditor={(id, ed) => {
              if (ed) editors.current.set(id, ed);
              else editors.current.delete(id);
            }}
          />
          <SidePanel active={panel} onChange={setPanel} />
        </div>
      )}
      {inviteOpen && <InviteDialog onClose={() => setInviteOpen(false)} />}
    </div>
  );
  for (const f of getFeatures()) {
    if (f.PageProvider) {
      const P = f.PageProvider;
      content = <P>{content}</P>;
    }
  }

  return (
    <AgreementContext.Provider value={value}>
      <AgreementEventsProvider agreementId={value.agreementId}>
        <Layout wide skipLinks={[{ target: 'side-panel', label: t.skipToPanel }]}>{content}</Layout>
      </AgreementEventsProvider>
    </AgreementContext.Provider>
  );
}

/** A value derived from the socket's state; the component re-renders only when that value changes. */
function useConnection<T>(conn: AgreementConnection, select: (s: ConnectionState) => T): T {
  return useSyncExternalStore(conn.subscribe, () => select(conn.getState()));
}

function LiveConnectionStatus({ conn, readOnly, suggestOnly }: { conn: AgreementConnection; readOnly: boolean; suggestOnly: boolean }) {
  const state = useConnection(conn, (s) => s);
  return <ConnectionStatusView state={state} readOnly={readOnly} suggestOnly={suggestOnly} />;
}
