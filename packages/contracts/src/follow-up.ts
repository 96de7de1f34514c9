/**
 * Follow-up after signing (issue 17): the read model of GET /api/agreements/:id/follow-up and the
 * payloads of its events. The server builds them from the latest signed final version's snapshot.
 */

export type GoalStatusPayload = 'reached' | 'on-track' | 'behind' | 'no-data';
export type KeyDateKindPayload = 'follow-up' | 'goal-deadline' | 'period-end' | 'notice' | 'renegotiation';

export interface MeasurementPersonPayload {
  userId: string | null;
  name: string;
  partyId: string;
}

export interface MeasurementConfirmationPayload extends MeasurementPersonPayload {
  at: string;
  comment: string;
}

export interface MeasurementCommentPayload extends MeasurementPersonPayload {
  id: string;
  at: string;
  text: string;
}

export interface MeasurementPayload {
  id: string;
  goalId: string;
  value: number;
  /** ISO date the value refers to. */
  measuredOn: string;
  source: string;
  comment: string;
  recordedBy: MeasurementPersonPayload;
  recordedAt: string;
  /** The signed final version in force when it was recorded. */
  finalVersionNumber: number;
  confirmations: MeasurementConfirmationPayload[];
  comments: MeasurementCommentPayload[];
}

export interface FollowUpGoalPayload {
  goalId: string;
  goal: string;
  indicator: string;
  baseline: { value: string; date: string | null; source: string };
  /** Baseline and target as numbers when the text is one ("45 %" → 45), else null. */
  baselineNumber: number | null;
  target: string;
  targetNumber: number | null;
  deadline: string | null;
  followUpMethod: string | null;
  responsiblePartyId: string | null;
  responsiblePartyName: string | null;
  followUpDates: string[];
  status: GoalStatusPayload;
  measurements: MeasurementPayload[];
}

export interface KeyDatePayload {
  kind: KeyDateKindPayload;
  date: string;
  goalId?: string;
}

export interface FollowUpFindingPayload {
  code: 'measurement-after-deadline' | 'follow-up-missed' | 'notice-passed';
  severity: 'warning' | 'error';
  goalId?: string;
  date: string;
}

export interface FollowUpPayload {
  agreementId: string;
  signedVersion: { number: number; hash: string; lockedAt: string; label: string } | null;
  /** The date status and findings are computed for (today in Europe/Stockholm, or `asOf`). */
  asOf: string;
  period: { start: string | null; end: string | null; noticeMonths: number | null; renegotiationBy: string | null };
  goals: FollowUpGoalPayload[];
  keyDates: KeyDatePayload[];
  findings: FollowUpFindingPayload[];
  can: { record: string[]; confirm: boolean; comment: boolean };
}

export interface RevisionPayload {
  number: number;
  kind: 'amendment' | 'renewal';
  basedOnVersion: number;
}
