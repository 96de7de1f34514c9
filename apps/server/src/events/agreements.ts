/**
 * Live "the agreement's metadata changed" notice for open agreement pages (GET /api/agreements/:id/events):
 *   agreement.updated { agreementId, title?, archived? }   renamed and/or archived or restored
 * Only the fields that changed are present. No audience restriction: every member may read the title and
 * the archived flag (GET /api/agreements/:id), and the events route only streams to current members.
 * Status changes (locked/draft) have their own events (`agreement.locked` / `agreement.unlocked`).
 */
import type { EventBus } from './bus.ts';

export interface AgreementUpdatedData {
  agreementId: string;
  title?: string;
  archived?: boolean;
}

export function publishAgreementUpdated(events: EventBus, agreementId: string, changed: { title?: string; archived?: boolean }): void {
  const data: AgreementUpdatedData = { agreementId };
  if (changed.title !== undefined) data.title = changed.title;
  if (changed.archived !== undefined) data.archived = changed.archived;
  if (data.title === undefined && data.archived === undefined) return;
  events.publish({ type: 'agreement.updated', agreementId, data });
}
