/**
 * "Uppföljning av överenskommelse" (issue 17): the follow-up report of a signed agreement for a chosen
 * date, as PDF and DOCX in the agreement export's style (follow-up-report-pdf.ts, -docx.ts). This file
 * holds its input and the text both renderers print, in Swedish or English.
 */
import type { AgreementSnapshot } from '@overens/model';
import type { ExportMeta } from './meta.ts';

export interface ReportPerson {
  name: string;
  partyId: string;
}

export interface ReportMeasurement {
  value: number;
  measuredOn: string;
  source: string;
  comment: string;
  recordedBy: ReportPerson;
  confirmations: Array<ReportPerson & { at: string; comment: string }>;
  comments: Array<ReportPerson & { at: string; text: string }>;
}

export interface ReportGoal {
  goalId: string;
  goal: string;
  indicator: string;
  baseline: { value: string; date: string | null; source: string };
  target: string;
  deadline: string | null;
  responsiblePartyName: string | null;
  followUpDates: string[];
  status: 'reached' | 'on-track' | 'behind' | 'no-data';
  measurements: ReportMeasurement[];
}

export interface FollowUpReportInput {
  /** The signed final version followed up (its snapshot gives the title and the parties). */
  snapshot: AgreementSnapshot;
  signedVersion: { number: number; label: string; hash: string; lockedAt: string };
  asOf: string;
  goals: ReportGoal[];
  findings: Array<{ code: 'measurement-after-deadline' | 'follow-up-missed' | 'notice-passed'; severity: 'warning' | 'error'; goalId?: string; date: string }>;
  keyDates: Array<{ kind: 'follow-up' | 'goal-deadline' | 'period-end' | 'notice' | 'renegotiation'; date: string; goalId?: string }>;
  locale?: 'sv' | 'en';
}

const TEXT = {
  sv: {
    kicker: 'IDÉBURET OFFENTLIGT PARTNERSKAP',
    title: 'Uppföljning av överenskommelse',
    between: 'Mellan parterna',
    version: 'Undertecknad version',
    asOf: 'Per datum',
    hash: 'Kontrollsumma (SHA-256)',
    rule:
      'Status bedöms på senaste mätningen per datumet: uppnått när målvärdet nåtts; efter när måldatumet passerat utan att målvärdet nåtts eller när värdet ligger under den raka linjen från utgångsvärdet (vid utgångsdatumet) till målvärdet (vid måldatumet); annars enligt plan. Utan mätning eller utan målvärde i siffror: inga data.',
    goal: (n: number) => `Mål ${n}`,
    indicator: 'Indikator',
    baseline: 'Utgångsvärde',
    source: 'Källa',
    target: 'Målvärde, senast',
    responsible: 'Ansvarig part',
    followUps: 'Uppföljningstillfällen',
    status: 'Status',
    measurements: 'Mätningar',
    noMeasurements: 'Inga mätningar registrerade per datumet.',
    columns: ['Datum', 'Värde', 'Källa eller metod', 'Registrerad av', 'Bekräftad av'],
    comments: 'Parternas kommentarer',
    confirmed: 'bekräftade',
    findings: 'Att uppmärksamma',
    noFindings: 'Inget att uppmärksamma per datumet.',
    keyDates: 'Viktiga datum',
    keyColumns: ['Datum', 'Vad'],
    statusLabel: { reached: 'Uppnått', 'on-track': 'Enligt plan', behind: 'Efter plan', 'no-data': 'Inga data' },
    kind: { 'follow-up': 'Uppföljning', 'goal-deadline': 'Måldatum', 'period-end': 'Avtalsperioden slutar', notice: 'Sista dag att säga upp', renegotiation: 'Omförhandling senast' },
    finding: {
      'measurement-after-deadline': 'Mätning efter måldatumet',
      'follow-up-missed': 'Uppföljningstillfälle utan mätning',
      'notice-passed': 'Uppsägningsdatumet har passerat utan beslut om förlängning eller ändring',
    },
    none: '–',
  },
  en: {
    kicker: 'NON-PROFIT PUBLIC PARTNERSHIP (IOP)',
    title: 'Follow-up of the agreement',
    between: 'Between the parties',
    version: 'Signed version',
    asOf: 'As of',
    hash: 'Checksum (SHA-256)',
    rule:
      'Status is judged on the latest measurement as of the date: reached when the target is met; behind when the deadline passed without meeting it, or when the value is short of the straight line from the baseline (at its date) to the target (at the deadline); otherwise on track. Without a measurement or a numeric target: no data.',
    goal: (n: number) => `Goal ${n}`,
    indicator: 'Indicator',
    baseline: 'Baseline',
    source: 'Source',
    target: 'Target, by',
    responsible: 'Responsible party',
    followUps: 'Follow-up dates',
    status: 'Status',
    measurements: 'Measurements',
    noMeasurements: 'No measurements recorded as of the date.',
    columns: ['Date', 'Value', 'Source or method', 'Recorded by', 'Confirmed by'],
    comments: "The parties' comments",
    confirmed: 'confirmed',
    findings: 'Needs attention',
    noFindings: 'Nothing needs attention as of the date.',
    keyDates: 'Key dates',
    keyColumns: ['Date', 'What'],
    statusLabel: { reached: 'Reached', 'on-track': 'On track', behind: 'Behind', 'no-data': 'No data' },
    kind: { 'follow-up': 'Follow-up', 'goal-deadline': 'Goal deadline', 'period-end': 'Agreement period ends', notice: 'Last day to give notice', renegotiation: 'Renegotiate by' },
    finding: {
      'measurement-after-deadline': 'Measurement after the deadline',
      'follow-up-missed': 'Follow-up date without a measurement',
      'notice-passed': 'The notice date passed without a decision to renew or amend',
    },
    none: '–',
  },
} as const;

export type ReportText = (typeof TEXT)['sv'] | (typeof TEXT)['en'];

export function reportText(locale: 'sv' | 'en' = 'sv'): ReportText {
  return TEXT[locale];
}

/** A value with the locale's decimal separator (decimal comma in Swedish), no grouping surprises. */
export function formatValue(value: number, locale: 'sv' | 'en' = 'sv'): string {
  return new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 6 }).format(value).replace(/\s/g, '\u00a0');
}

/** The document's meta: the signed version it follows up, not a draft (no watermark). */
export function reportMeta(input: FollowUpReportInput): ExportMeta {
  const t = reportText(input.locale);
  return {
    versionLabel: `${t.title} ${input.asOf}`,
    versionNumber: input.signedVersion.number,
    hash: input.signedVersion.hash,
    mode: 'signing',
    date: input.asOf,
  };
}

export function partyNameOf(input: FollowUpReportInput, partyId: string): string {
  return input.snapshot.parties.find((p) => p.id === partyId)?.name ?? '';
}

/** A person as printed: "Nora NGO (Föreningen Läxhjälpen)". */
export function personText(input: FollowUpReportInput, p: ReportPerson): string {
  const party = partyNameOf(input, p.partyId);
  return party ? `${p.name} (${party})` : p.name;
}

/** Only what happened on or before the report date. */
export function measurementsAsOf(goal: ReportGoal, asOf: string): ReportMeasurement[] {
  return goal.measurements.filter((m) => m.measuredOn <= asOf);
}

/** Every comment on a goal's measurements, and confirmations with a comment, oldest first. */
export function goalComments(input: FollowUpReportInput, goal: ReportGoal): string[] {
  const t = reportText(input.locale);
  const out: Array<{ at: string; text: string }> = [];
  for (const m of measurementsAsOf(goal, input.asOf)) {
    const about = `${m.measuredOn} (${formatValue(m.value, input.locale)})`;
    if (m.comment) out.push({ at: m.measuredOn, text: `${about} – ${personText(input, m.recordedBy)}: ${m.comment}` });
    for (const c of m.confirmations) if (c.comment) out.push({ at: c.at, text: `${about} – ${personText(input, c)} ${t.confirmed}: ${c.comment}` });
    for (const c of m.comments) out.push({ at: c.at, text: `${about} – ${personText(input, c)}, ${c.at.slice(0, 10)}: ${c.text}` });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at)).map((c) => c.text);
}

export function findingText(input: FollowUpReportInput, f: FollowUpReportInput['findings'][number]): string {
  const t = reportText(input.locale);
  const goalIndex = f.goalId ? input.goals.findIndex((g) => g.goalId === f.goalId) : -1;
  return `${f.date}: ${t.finding[f.code]}${goalIndex >= 0 ? ` (${t.goal(goalIndex + 1).toLowerCase()}: ${input.goals[goalIndex]!.goal})` : ''}`;
}

export function keyDateText(input: FollowUpReportInput, d: FollowUpReportInput['keyDates'][number]): string {
  const t = reportText(input.locale);
  const goal = d.goalId ? input.goals.find((g) => g.goalId === d.goalId) : undefined;
  return goal ? `${t.kind[d.kind]}: ${goal.goal}` : t.kind[d.kind];
}
