/**
 * The one Server-Sent Events connection of an agreement page (GET /api/agreements/:id/events), opened
 * by the page shell. Each event invalidates the query keys it makes stale (src/queries/keys.ts) and is
 * handed to subscribers (`useAgreementEvents`) for what is not a refetch (announcements, patches).
 * `ready` is sent on every (re)connect, so everything is refetched after a gap.
 */
import type { AgreementStreamEvent, StreamControlEvent } from '@overens/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { agreementKeys, staleParts } from '../queries/keys.ts';

/** One message of the stream, typed by @overens/contracts: narrow on `type` to get its `data`. */
export type LiveEvent = AgreementStreamEvent | StreamControlEvent;
type Handler = (event: LiveEvent) => void;

/** Every event type the stream sends (a missing one would fail to compile here, a wrong one too). */
const EVENT_TYPES: Record<LiveEvent['type'], true> = {
  ready: true,
  'access-revoked': true,
  'comment.created': true,
  'comment.updated': true,
  'comment.resolved': true,
  'comment.reopened': true,
  'comment.deleted': true,
  'version.saved': true,
  'approval.given': true,
  'approval.voided': true,
  'agreement.locked': true,
  'agreement.unlocked': true,
  'agreement.updated': true,
  'member.joined': true,
  'member.updated': true,
  'member.removed': true,
  'signed-copy.uploaded': true,
  'audit.appended': true,
  'measurement.recorded': true,
  'measurement.confirmed': true,
  'measurement.commented': true,
  'revision.started': true,
};

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
    // Opened in the next task: a mount that is undone at once (StrictMode's double effect, a quick
    // remount) opens no stream at all, so a page never has more than one.
    let stop: (() => void) | null = null;
    const opening = window.setTimeout(() => {
      stop = open();
    }, 0);
    return () => {
      window.clearTimeout(opening);
      stop?.();
    };
  }, [agreementId, queryClient]);
  return <EventsContext.Provider value={hub.current}>{children}</EventsContext.Provider>;

  function open(): () => void {
    let connectedBefore = false;
    const source = new EventSource(`/api/agreements/${encodeURIComponent(agreementId)}/events`, { withCredentials: true });
    const listeners = (Object.keys(EVENT_TYPES) as LiveEvent['type'][]).map((type) => {
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
        // The server is the one writer of this stream; its payloads follow the contract.
        const event = { type, data } as LiveEvent;
        for (const h of [...handlers.current]) h(event);
      };
      source.addEventListener(type, listener as EventListener);
      return [type, listener] as const;
    });
    return () => {
      for (const [type, l] of listeners) source.removeEventListener(type, l as EventListener);
      source.close();
    };
  }
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
