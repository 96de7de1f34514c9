import type { followUpMessages } from '../../i18n/messages/follow-up.ts';
import { fmt } from '../../i18n/index.tsx';
import type { GoalStatus, RevisionKind } from './api.ts';

type T = (typeof followUpMessages)['sv'];

/** "Tillägg 1" / "Förlängning 1" (the server's label wins where it sends one). */
export function revisionLabel(t: T, kind: RevisionKind, n: number): string {
  return fmt(kind === 'renewal' ? t.labelRenewal : t.labelAmendment, { n });
}

export function statusLabel(t: T, status: GoalStatus): string {
  return status === 'reached' ? t.status_reached : status === 'on-track' ? t.status_on_track : status === 'behind' ? t.status_behind : t.status_no_data;
}

export const STATUS_TAG: Record<GoalStatus, string> = {
  reached: 'tag--green',
  'on-track': 'tag--blue',
  behind: 'tag--red',
  'no-data': 'tag--grey',
};
