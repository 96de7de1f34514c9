/**
 * Client for the follow-up, revision and upcoming-dates routes (issue 17; the shapes of the shared
 * contract, @overens/contracts follow-up.ts). Query keys live under the agreement's key, so the
 * page's event stream and `ready` refetch them with everything else.
 */
import type {
  FollowUpFindingPayload,
  FollowUpGoalPayload,
  FollowUpPayload,
  GoalStatusPayload,
  KeyDateKindPayload,
  KeyDatePayload,
  MeasurementCommentPayload,
  MeasurementConfirmationPayload,
  MeasurementPayload,
  MeasurementPersonPayload,
  RevisionPayload,
} from '@overens/contracts';
import { ApiError, http, NetworkError, problemError, type Schemas } from '../../api/client.ts';
import { saveResponseAsDownload } from '../../api/download.ts';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';

export type GoalStatus = GoalStatusPayload;
export type KeyDateKind = KeyDateKindPayload;
export type RevisionKind = RevisionPayload['kind'];
export type PersonRef = MeasurementPersonPayload;
export type Confirmation = MeasurementConfirmationPayload;
export type MeasurementComment = MeasurementCommentPayload;
export type Measurement = MeasurementPayload;
export type FollowUpGoal = FollowUpGoalPayload;
export type KeyDate = KeyDatePayload;
export type FollowUpFinding = FollowUpFindingPayload;
export type FollowUp = FollowUpPayload;
export type Revision = RevisionPayload;
/** One link of an agreement's chain of final versions (original, Tillägg 1 …), from the list and detail. */
export type FinalVersionLink = Schemas['FinalVersionChainItem'];

export interface RecordMeasurement {
  goalId: string;
  value: number;
  measuredOn: string;
  source: string;
  comment?: string;
}

export interface UpcomingDate {
  agreementId: string;
  agreementTitle: string;
  date: string;
  kind: KeyDateKind;
  goalId?: string;
  goalTitle?: string;
}

const base = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;

export const followUpKey = (id: string) => ['agreement', id, 'follow-up'] as const;

const WORDED = ['not-responsible-party', 'own-measurement', 'already-confirmed', 'not-signed'] as const;

/** This feature's problems in both languages, when the server sent no wording of its own. */
function worded<T>(call: Promise<T>): Promise<T> {
  return call.catch((e: unknown) => {
    if (e instanceof ApiError && !e.localized && (WORDED as readonly string[]).includes(e.code)) {
      const key = `problem_${e.code}` as `problem_${(typeof WORDED)[number]}`;
      e.localized = { sv: followUpMessages.sv[key], en: followUpMessages.en[key] };
    }
    throw e;
  });
}

export const followUpApi = {
  get: (id: string) => worded(http.get<FollowUp>(`${base(id)}/follow-up`)),
  record: (id: string, body: RecordMeasurement) => worded(http.post<Measurement>(`${base(id)}/follow-up/measurements`, body)),
  confirm: (id: string, measurementId: string, comment?: string) =>
    worded(http.post<unknown>(`${base(id)}/follow-up/measurements/${encodeURIComponent(measurementId)}/confirmations`, comment ? { comment } : {})),
  comment: (id: string, measurementId: string, text: string) =>
    worded(http.post<unknown>(`${base(id)}/follow-up/measurements/${encodeURIComponent(measurementId)}/comments`, { text })),
  startRevision: (id: string, kind: RevisionKind) => worded(http.post<Revision>(`${base(id)}/revisions`, { kind })),
  /** Back to the signed version it started from (only while the draft is still the signed text: 409 revision-changed). */
  withdrawRevision: (id: string) => http.post<FinalVersionLink>(`${base(id)}/revisions/withdraw`, {}),
  upcoming: (days: number) => http.get<UpcomingDate[]>(`/api/me/upcoming?days=${days}`),
};


/** POSTs the report request (it writes an audit row) and hands the file to the browser as a download. */
export async function downloadReport(agreementId: string, body: { format: 'pdf' | 'docx'; asOf: string; locale: 'sv' | 'en' }): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${base(agreementId)}/follow-up/report`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/problem+json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new NetworkError(e);
  }
  if (!res.ok) {
    let data: unknown = null;
    try {
      data = await res.json();
    } catch {
      /* not JSON */
    }
    throw problemError(res.status, res.statusText, data);
  }
  return saveResponseAsDownload(res, `uppfoljning-${body.asOf}.${body.format}`);
}
