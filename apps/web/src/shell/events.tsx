/**
 * The one Server-Sent Events connection of an agreement page (GET /api/agreements/:id/events), opened
 * by the page shell. Each event invalidates the query keys it makes stale (src/queries/keys.ts) and is
 * handed to subscribers (`useAgreementEvents`) for what is not a refetch (announcements, patches).
 * `ready` is sent on every (re)connect, so everything is refetched after a gap.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { agreementKeys, staleParts } from '../queries/keys.ts';

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

export function AgreementEventsProvider({ agreementId, children }: { agreementId: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const handlers = useRef(new Set<Handler>());
  const hub = useRef<EventsHub>({
    subscribe(handler) {
      handlers.current.add(handler);
      return () => handlers.current.delete(handler);
    },
  });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let connectedBefore = false;
    const source = new EventSource(`/api/agreements/${encodeURIComponent(agreementId)}/events`, { withCredentials: true });
    const listeners = EVENT_TYPES.map((type) => {
      const listener = (e: MessageEvent<string>) => {
        let data: unknown = null;
        try {
          data = JSON.parse(e.data);
        } catch {
          data = e.data;
        }
        // The first `ready` only opens the stream: what the page just fetched is current.
        const firstReady = type === 'ready' && !connectedBefore;
        if (type === 'ready') connectedBefore = true;
        const stale = firstReady ? [] : staleParts(type);
        if (stale === 'all') void queryClient.invalidateQueries({ queryKey: agreementKeys.all(agreementId) });
        else for (const part of stale) void queryClient.invalidateQueries({ queryKey: agreementKeys[part](agreementId) });
        for (const h of [...handlers.current]) h({ type, data });
      };
      source.addEventListener(type, listener as EventListener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, l] of listeners) source.removeEventListener(type, l as EventListener);
      source.close();
    };
  }, [agreementId, queryClient]);
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
