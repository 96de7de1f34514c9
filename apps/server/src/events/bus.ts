/**
 * In-process publish/subscribe for non-Yjs live data (comments, approvals, versions, sync status),
 * consumed by the SSE route (GET /api/agreements/:id/events). Events carry an `audience` so the
 * route can filter per user (e.g. internal comments only to members of one party).
 * Cross-process delivery (Redis) can wrap this same interface.
 */
export interface AgreementEvent {
  type: string;
  agreementId: string;
  /** Restrict delivery to members of this party (organisation id); undefined = all members. */
  partyId?: string;
  data: unknown;
}

export type AgreementEventListener = (event: AgreementEvent) => void;

export interface EventBus {
  publish(event: AgreementEvent): void;
  /** Publish and resolve once every process can see it; rejects when that fails (the outbox retries). */
  deliver(event: AgreementEvent): Promise<void>;
  /** Subscribe to one agreement's events; returns an unsubscribe function. */
  subscribe(agreementId: string, listener: AgreementEventListener): () => void;
  close(): Promise<void>;
}

export function createEventBus(): EventBus {
  const listeners = new Map<string, Set<AgreementEventListener>>();
  const publish = (event: AgreementEvent) => {
    for (const listener of listeners.get(event.agreementId) ?? []) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the publisher or other subscribers.
      }
    }
  };
  return {
    deliver: async (event) => publish(event),
    publish(event) {
      for (const listener of listeners.get(event.agreementId) ?? []) {
        try {
          listener(event);
        } catch {
          // A failing subscriber must not break the publisher or other subscribers.
        }
      }
    },
    subscribe(agreementId, listener) {
      let set = listeners.get(agreementId);
      if (!set) listeners.set(agreementId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(agreementId);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}
