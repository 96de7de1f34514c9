/**
 * One Server-Sent Events connection per agreement page (GET /api/agreements/:id/events). The server
 * filters what each user receives (internal comments only reach their party). Features subscribe with
 * `useAgreementEvents(handler)`; `ready` is sent on every (re)connect, so subscribers can reload what
 * they may have missed while the connection was down.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { useAgreement } from '../../shell/agreement-context.tsx';

export interface LiveEvent {
  type: string;
  data: unknown;
}
type Handler = (event: LiveEvent) => void;

const EVENT_TYPES = [
  'ready',
  'access-revoked',
  'comment.created',
  'comment.updated',
  'comment.resolved',
  'comment.reopened',
  'comment.deleted',
  'version.saved',
  'approval.given',
  'approval.voided',
  'agreement.locked',
  'agreement.unlocked',
  'agreement.updated',
  'sync.status',
  'member.joined',
  'member.updated',
  'member.removed',
];

interface EventsHub {
  subscribe(handler: Handler): () => void;
}

const EventsContext = createContext<EventsHub | null>(null);

export function AgreementEventsProvider({ children }: { children: ReactNode }) {
  const { agreementId } = useAgreement();
  const handlers = useRef(new Set<Handler>());
  const hub = useRef<EventsHub>({
    subscribe(handler) {
      handlers.current.add(handler);
      return () => handlers.current.delete(handler);
    },
  });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/agreements/${agreementId}/events`, { withCredentials: true });
    const listeners = EVENT_TYPES.map((type) => {
      const listener = (e: MessageEvent<string>) => {
        let data: unknown = null;
        try {
          data = JSON.parse(e.data);
        } catch {
          data = e.data;
        }
        for (const h of [...handlers.current]) h({ type, data });
      };
      source.addEventListener(type, listener as EventListener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, l] of listeners) source.removeEventListener(type, l as EventListener);
      source.close();
    };
  }, [agreementId]);
  return <EventsContext.Provider value={hub.current}>{children}</EventsContext.Provider>;
}

/** Calls `handler` for every live event of this agreement (the latest handler is always used). */
export function useAgreementEvents(handler: Handler): void {
  const hub = useContext(EventsContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!hub) return;
    return hub.subscribe((e) => ref.current(e));
  }, [hub]);
}
