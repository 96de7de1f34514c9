/**
 * Live "the member list changed" notices for the members dialog (GET /api/agreements/:id/events):
 *   member.joined  { userId, partyId }        an invitation was accepted
 *   member.updated { userId, partyId }        role or signatory flag changed
 *   member.removed { userId, partyId }        removed by an editor, or left
 * No audience restriction: every member of the agreement may read the member list
 * (GET /api/agreements/:id/members), and the events route only streams to current members.
 * The payload carries ids only; clients reload the list over the authorised API.
 */
import type { EventBus } from './bus.ts';

export type MemberEventType = 'member.joined' | 'member.updated' | 'member.removed';

export function publishMemberEvent(events: EventBus, type: MemberEventType, agreementId: string, member: { userId: string; partyId: string }): void {
  events.publish({ type, agreementId, data: { userId: member.userId, partyId: member.partyId } });
}
