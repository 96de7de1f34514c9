/**
 * Approval state of the open agreement, kept live: GET /approvals through TanStack Query, invalidated
 * by the approval/lock events of the page's one event stream (src/shell/events.tsx). The current hash
 * is computed in the browser from the Y.Doc (content-hash.ts), so typing causes no request: approvals
 * of an older hash stop counting at once, and the server's voiding arrives as an event. Lock and unlock
 * also reload the agreement description, which makes the page read-only (or editable again).
 *
 * The provider also renders the page-wide "Slutlig version N" banner and a polite live region that
 * announces approvals, voided approvals, lock and unlock.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { agreementKeys } from '../../queries/keys.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { useAgreementEvents } from '../../shell/events.tsx';
import { signingApi, type ApprovalState } from './api.ts';
import { useContentHash } from './content-hash.ts';
import { LockIcon } from './LockIcon.tsx';

interface SigningStore {
  state: ApprovalState | null;
  error: boolean;
  reload: () => Promise<void>;
  announce: (message: string) => void;
  /** After an action of mine that has no event (an export, an import): refetch the lists. */
  bump: () => void;
}

const SigningContext = createContext<SigningStore | null>(null);

export function useSigning(): SigningStore {
  const s = useContext(SigningContext);
  if (!s) throw new Error('useSigning() outside the signing provider');
  return s;
}

export function SigningProvider({ children }: { children: ReactNode }) {
  const { agreementId, agreement, doc, refreshAgreement, me } = useAgreement();
  const t = useMessages(signingMessages);
  const { locale } = useLocale();
  const f = useFormat();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const textRef = useRef({ t, locale });
  textRef.current = { t, locale };

  const query = useQuery({ queryKey: agreementKeys.approvals(agreementId), queryFn: () => signingApi.state(agreementId) });
  const localHash = useContentHash(doc, agreement.title);
  const reload = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: agreementKeys.approvals(agreementId) });
  }, [queryClient, agreementId]);

  // The server's state with the browser's hash: parties wait unless they approved exactly this content.
  const state = useMemo<ApprovalState | null>(() => {
    const server = query.data;
    if (!server) return null;
    if (!localHash || server.status === 'locked' || localHash === server.currentHash) return server;
    const approved = new Set(server.approvals.filter((a) => a.hash === localHash).map((a) => a.partyId));
    return {
      ...server,
      currentHash: localHash,
      waitingFor: agreement.parties.filter((p) => !approved.has(p.id)).map((p) => ({ partyId: p.id, name: p.name })),
    };
  }, [query.data, localHash, agreement.parties]);

  const announce = useCallback((m: string) => {
    // Clear first so that the same text is announced again.
    setMessage('');
    window.setTimeout(() => setMessage(m), 50);
  }, []);

  // The status in the agreement description and in the approval state can disagree for a moment
  // (lock happened, page description is older): align whichever is behind.
  useEffect(() => {
    if (state && state.status !== agreement.status) void refreshAgreement();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state?.status]);
  useEffect(() => {
    if (state && state.status !== agreement.status) void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [agreement.status]);

  // Narrowed on the event's type: each payload as @overens/contracts defines it.
  useAgreementEvents((e) => {
    const { t: tt, locale: l } = textRef.current;
    switch (e.type) {
      case 'approval.given': {
        const a = e.data.approval;
        if (a.userId !== me.id) announce(fmt(tt.liveApproved, { name: a.userName, party: a.partyName }));
        break;
      }
      case 'approval.voided': {
        const d = e.data;
        if (d.reason === 'unlocked') announce(fmt(tt.liveVoidedUnlock, { name: d.by?.name ?? tt.someone }));
        else {
          const names = d.changedBy.length ? d.changedBy.map((x) => x.name).join(', ') : tt.someone;
          announce(fmt(tt.liveVoided, { name: names, changes: d.changes.map((c) => c[l]).join(' ') }));
        }
        break;
      }
      case 'agreement.locked':
        announce(fmt(tt.liveLocked, { n: e.data.finalVersion.number }));
        void refreshAgreement();
        break;
      case 'agreement.unlocked':
        announce(fmt(tt.liveUnlocked, { name: e.data.by?.name ?? tt.someone, reason: e.data.reason }));
        void refreshAgreement();
        break;
      case 'member.joined':
      case 'member.updated':
      case 'member.removed':
        // Who signs for which party (and the parties themselves) changed: the signatories list follows.
        void reload();
        if (e.type === 'member.joined') void refreshAgreement();
        break;
      default:
        break;
    }
  });

  const bump = useCallback(() => {
    for (const key of [agreementKeys.audit(agreementId), agreementKeys.versions(agreementId), agreementKeys.finalVersions(agreementId)])
      void queryClient.invalidateQueries({ queryKey: key });
  }, [queryClient, agreementId]);
  const error = query.isError && !query.data;
  const value = useMemo<SigningStore>(() => ({ state, error, reload, announce, bump }), [state, error, reload, announce, bump]);
  const locked = agreement.status === 'locked' || state?.status === 'locked';
  const n = state?.finalVersion?.number ?? agreement.finalVersion;

  return (
    <SigningContext.Provider value={value}>
      {locked && (
        <div className="final-banner" data-testid="final-banner" role="region" aria-label={t.bannerLabel}>
          <span className="final-banner__icon">
            <LockIcon size={30} />
          </span>
          <div>
            <p className="final-banner__title">{n ? fmt(t.finalVersion, { n }) : t.lockedTitle}</p>
            <p className="final-banner__text">
              {state?.finalVersion
                ? fmt(t.bannerText, { date: f.dateTime(state.finalVersion.lockedAt), hash: state.finalVersion.hash.slice(0, 12) })
                : t.bannerTextShort}
            </p>
          </div>
        </div>
      )}
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="signing-live">
        {message}
      </div>
    </SigningContext.Provider>
  );
}
