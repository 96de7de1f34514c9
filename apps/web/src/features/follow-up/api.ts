/**
 * Client for the follow-up, revision and upcoming-dates routes (issue 17; the shapes of the shared
 * contract, @overens/contracts follow-up.ts). Query keys live under the agreement's key, so the
 * page's event stream and `ready` refetch them with everything else.
 */
import { ApiError, http, NetworkError, problemError } from '../../api/client.ts';
import { followUpMessages } from '../../i18n/messages/follow-up.ts';

export type GoalStatus = 'reached' | 'on-track' | 'behind' | 'no-data';
export type KeyDateKind = 'follow-up' | 'goal-deadline' | 'period-end' | 'notice' | 'renegotiation';
export type RevisionKind = 'amendment' | 'renewal';

export interface PersonRef {
  userId: string | null;
  name: string;
  partyId: string;
}

export interface Confirmation extends PersonRef {
  at: string;
  comment: string;
}

export interface MeasurementComment extends PersonRef {
  id: string;
  at: string;
  text: string;
}

export interface Measurement {
  id: string;
  goalId: string;
  value: number;
  measuredOn: string;
  source: string;
  comment: string;
  recordedBy: PersonRef;
  recordedAt: string;
  confirmations: Confirmation[];
  comments: MeasurementComment[];
}

export interface FollowUpGoal {
  goalId: string;
  goal: string;
  indicator: string;
  baseline: { value: string; date: string | null; source: string };
  /** Baseline and target as numbers when the text is one ("45 %" → 45), else null. */
  baselineNumber?: number | null;
  target: string;
  targetNumber?: number | null;
  deadline: string | null;
  responsiblePartyId: string | null;
  responsiblePartyName: string | null;
  followUpDates: string[];
  status: GoalStatus;
  measurements: Measurement[];
}

export interface KeyDate {
  kind: KeyDateKind;
  date: string;
  goalId?: string;
}

export interface FollowUpFinding {
  code: 'measurement-after-deadline' | 'follow-up-missed' | 'notice-passed';
  severity: 'warning' | 'error';
  goalId?: string;
  date: string;
}

export interface FollowUp {
  agreementId: string;
  signedVersion: { number: number; hash: string; lockedAt: string; label?: string } | null;
  /** The date status and findings are computed for (today in Europe/Stockholm). */
  asOf?: string;
  goals: FollowUpGoal[];
  keyDates: KeyDate[];
  findings: FollowUpFinding[];
  can: { record: string[]; confirm: boolean; comment: boolean };
}

export interface RecordMeasurement {
  goalId: string;
  value: number;
  measuredOn: string;
  source: string;
  comment?: string;
}

export interface Revision {
  number: number;
  kind: RevisionKind;
  basedOnVersion: number;
}

export interface FinalVersionLink {
  number: number;
  kind: 'original' | RevisionKind;
  label: string;
  hash: string;
  lockedAt: string;
}

/** The fields issue 17 adds to an agreement's detail and list item. */
export interface RevisionInfo {
  revision?: Revision | null;
  finalVersions?: FinalVersionLink[];
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
export const upcomingKey = (days: number) => ['me', 'upcoming', days] as const;

const WORDED = ['not-responsible-party', 'already-confirmed', 'not-signed'] as const;

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
  upcoming: (days: number) => http.get<UpcomingDate[]>(`/api/me/upcoming?days=${days}`),
};

function fileNameFrom(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  return /filename="([^"]+)"/i.exec(cd)?.[1] ?? fallback;
}

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
  const blob = await res.blob();
  const name = fileNameFrom(res, `uppfoljning-${body.asOf}.${body.format}`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
