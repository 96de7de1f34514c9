/**
 * Approval state of the open agreement, kept live: loaded from GET /approvals, reloaded on the
 * approval/lock events of the agreement's event stream (its own EventSource, so this feature does not
 * depend on which events another feature's stream listens to) and shortly after document changes
 * (the content hash moves with every edit). Lock and unlock also reload the agreement description,
 * which makes the page read-only (or editable again) for everyone.
 *
 * The provider also renders the page-wide "Slutlig version N" banner and a polite live region that
 * announces approvals, voided approvals, lock and unlock.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { fmt, useFormat, useLocale, useMessages } from '../../i18n/index.tsx';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { signingApi, type ApprovalState } from './api.ts';
import { LockIcon } from './LockIcon.tsx';

export const SIGNING_EVENTS = ['ready', 'approval.given', 'approval.voided', 'agreement.locked', 'agreement.unlocked', 'version.saved', 'access-revoked'] as const;
export type SigningEvent = { type: (typeof SIGNING_EVENTS)[number]; data: unknown };

interface SigningStore {
  state: ApprovalState | null;
  error: boolean;
  reload: () => Promise<void>;
  /** Bumped by every approval/lock/version event: lists (audit, versions) reload on it. */
  eventSeq: number;
  announce: (message: string) => void;
  /** After an action of mine that has no event (an export, an import): reload the lists. */
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
  const [state, setState] = useState<ApprovalState | null>(null);
  const [error, setError] = useState(false);
  const [eventSeq, setEventSeq] = useState(0);
  const [message, setMessage] = useState('');
  const loading = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const textRef = useRef({ t, locale });
  textRef.current = { t, locale };

  const reload = useCallback(async () => {
    if (loading.current) {
      again.current = true;
      return loading.current;
    }
    const run = async () => {
      do {
        again.current = false;
        try {
          setState(await signingApi.state(agreementId));
          setError(false);
        } catch {
          setError(true);
        }
      } while (again.current);
    };
    loading.current = run().finally(() => (loading.current = null));
    return loading.current;
  }, [agreementId]);

  const announce = useCallback((m: string) => {
    // Clear first so that the same text is announced again.
    setMessage('');
    window.setTimeout(() => setMessage(m), 50);
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  // The status in the agreement description and in the approval state can disagree for a moment
  // (lock happened, page description is older): align whichever is behind. The page may learn of a lock
  // or unlock first (the sync server tells it), or this store (the events stream).
  useEffect(() => {
    if (state && state.status !== agreement.status) void refreshAgreement();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state?.status]);
  useEffect(() => {
    if (state && state.status !== agreement.status) void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [agreement.status]);

  // The hash follows the document: reload a moment after edits (local or remote) settle. Server-side
  // changes without an event of their own (an import) reach the lists (audit trail) the same way; the
  // lists are only mounted while the Signering tab is open.
  useEffect(() => {
    let timer: number | undefined;
    const on = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        void reload();
        setEventSeq((n) => n + 1);
      }, 1200);
    };
    doc.on('update', on);
    return () => {
      window.clearTimeout(timer);
      doc.off('update', on);
    };
  }, [doc, reload]);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/agreements/${encodeURIComponent(agreementId)}/events`, { withCredentials: true });
    const handle = (type: SigningEvent['type'], data: unknown) => {
      const { t: tt, locale: l } = textRef.current;
      const d = (data ?? {}) as Record<string, unknown>;
      switch (type) {
        case 'approval.given': {
          const a = d.approval as { userName?: string; partyName?: string; userId?: string } | undefined;
          if (a && a.userId !== me.id) announce(fmt(tt.liveApproved, { name: a.userName ?? '', party: a.partyName ?? '' }));
          break;
        }
        case 'approval.voided': {
          const who = (d.changedBy as Array<{ name: string }> | undefined)?.map((x) => x.name) ?? [];
          const by = (d.by as { name?: string } | null | undefined)?.name;
          const names = who.length ? who.join(', ') : by ?? tt.someone;
          const changes = (d.changes as Array<{ sv: string; en: string }> | undefined)?.map((c) => c[l]).join(' ') ?? '';
          announce(d.reason === 'unlocked' ? fmt(tt.liveVoidedUnlock, { name: names }) : fmt(tt.liveVoided, { name: names, changes }));
          break;
        }
        case 'agreement.locked': {
          const n = (d.finalVersion as { number?: number } | undefined)?.number ?? '';
          announce(fmt(tt.liveLocked, { n }));
          void refreshAgreement();
          break;
        }
        case 'agreement.unlocked': {
          const by = (d.by as { name?: string } | null | undefined)?.name ?? tt.someone;
          announce(fmt(tt.liveUnlocked, { name: by, reason: String(d.reason ?? '') }));
          void refreshAgreement();
          break;
        }
        default:
          break;
      }
      void reload();
      setEventSeq((n) => n + 1);
    };
    const listeners = SIGNING_EVENTS.map((type) => {
      const l = (e: MessageEvent<string>) => {
        let data: unknown = null;
        try {
          data = JSON.parse(e.data);
        } catch {
          data = null;
        }
        handle(type, data);
      };
      source.addEventListener(type, l as EventListener);
      return [type, l] as const;
    });
    return () => {
      for (const [type, l] of listeners) source.removeEventListener(type, l as EventListener);
      source.close();
    };
  }, [agreementId, me.id, announce, reload, refreshAgreement]);

  const bump = useCallback(() => setEventSeq((n) => n + 1), []);
  const value = useMemo<SigningStore>(() => ({ state, error, reload, eventSeq, announce, bump }), [state, error, reload, eventSeq, announce, bump]);
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
