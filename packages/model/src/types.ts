/**
 * Plain-data view of an agreement: what validation, hashing, export and diff read.
 * Produced from the Y.Doc by `snapshotAgreement` (see ./doc). JSON-serialisable, no Yjs types.
 * Dates are ISO `YYYY-MM-DD` strings; an empty value is `null` (numbers, dates) or `''` (text).
 */

export type PartyKind = 'ideburen' | 'kommun' | 'region';
export const PUBLIC_PARTY_KINDS: readonly PartyKind[] = ['kommun', 'region'];

/** ProseMirror-JSON shaped rich text, as Tiptap stores it (node and mark names are Tiptap's). */
export interface RichMark {
  type: string; // 'bold' | 'italic' | 'link' | 'underline' | 'strike' | 'code' | 'comment' …
  attrs?: Record<string, unknown>;
}
export interface RichNode {
  type: string; // 'doc' | 'paragraph' | 'heading' | 'bulletList' | 'orderedList' | 'listItem' | 'table' | 'tableRow' | 'tableCell' | 'tableHeader' | 'text' | 'hardBreak' …
  attrs?: Record<string, unknown>;
  content?: RichNode[];
  text?: string;
  marks?: RichMark[];
}

export type SectionStatus = 'draft' | 'ready_for_review' | 'agreed';

export interface SectionMark {
  /** Party (organisation id) that marked it. */
  partyId: string;
  userId: string;
  userName: string;
  at: string; // ISO timestamp
}

export interface SectionSnapshot {
  id: string; // stable, survives renames and moves
  key: string | null; // template key, null for custom sections
  title: string;
  required: boolean;
  guidance: string | null;
  body: RichNode; // type 'doc'
  /** Derived: 'agreed' when every party agreed, 'ready_for_review' when marked, else 'draft'. */
  status: SectionStatus;
  readyForReview: SectionMark | null;
  agreedBy: Record<string, SectionMark>; // by partyId
  /** Set when an edit reset the agreements of an agreed section. */
  lastResetBy: SectionMark | null;
}

export interface ContactPerson {
  id: string;
  name: string;
  title: string;
  email: string;
  phone: string;
}

export interface Signatory {
  id: string;
  name: string;
  title: string;
  /** Set when the signatory is also a user of Överens. */
  userId: string | null;
}

export interface PartySnapshot {
  /** The organisation id in the database. */
  id: string;
  name: string;
  kind: PartyKind;
  orgNumber: string;
  municipalityCode: string | null; // SCB code for kommun (4 digits) / region (2-digit county code)
  contacts: ContactPerson[];
  signatories: Signatory[];
}

export type FollowUpMethod = 'survey' | 'statistics' | 'interviews' | 'focus_group' | 'other';

export interface GoalRow {
  id: string;
  goal: string;
  indicator: string;
  baselineValue: string;
  baselineDate: string | null;
  baselineSource: string;
  targetValue: string;
  deadline: string | null;
  followUpMethod: FollowUpMethod | null;
  responsiblePartyId: string | null;
  followUpDates: string[];
  acceptedBy: Record<string, boolean>; // by partyId
}

export type ContributionKind = 'money' | 'staff_time' | 'premises' | 'volunteer_work' | 'expertise' | 'other';

export interface ContributionRow {
  id: string;
  partyId: string | null;
  kind: ContributionKind;
  description: string;
  quantity: number | null;
  unit: string;
  valueSek: number | null;
  periodStart: string | null;
  periodEnd: string | null;
}

export interface PeriodSnapshot {
  start: string | null;
  end: string | null;
  noticeMonths: number | null;
  renegotiationBy: string | null;
}

export type ChecklistKey =
  | 'initiative_from_ngo'
  | 'political_programme'
  | 'not_standard_grant'
  | 'no_market'
  | 'both_finance'
  | 'long_term';

export type ChecklistAnswerValue = 'yes' | 'no' | 'unsure';

export interface ChecklistAnswer {
  answer: ChecklistAnswerValue | null;
  justification: string;
}

export interface Attachment {
  id: string;
  title: string;
  description: string;
}

export interface AgreementSnapshot {
  title: string;
  templateId: string;
  templateVersion: number;
  sections: SectionSnapshot[]; // in document order
  parties: PartySnapshot[];
  goals: GoalRow[];
  contributions: ContributionRow[];
  period: PeriodSnapshot;
  checklist: Record<ChecklistKey, ChecklistAnswer>;
  attachments: Attachment[]; // in order; labelled bilaga A, B, … by position
}

/* ----- Templates ----- */

export interface TemplateSection {
  key: string;
  title: string;
  guidance?: string;
  required: boolean;
}

export interface Template {
  name: string;
  sections: TemplateSection[];
}

/* ----- Validation ----- */

export type Severity = 'error' | 'warning' | 'info';

export type FindingTarget =
  | { kind: 'section'; sectionId: string | null; templateKey?: string }
  | { kind: 'goal'; rowId: string; column?: keyof GoalRow }
  | { kind: 'contribution'; rowId: string; column?: keyof ContributionRow }
  | { kind: 'party'; partyId: string; field?: 'orgNumber' | 'contacts' | 'signatories' | 'contributions' }
  | { kind: 'period'; field?: keyof PeriodSnapshot }
  | { kind: 'checklist'; key: ChecklistKey; field?: 'answer' | 'justification' }
  | { kind: 'agreement'; field?: 'parties' | 'goals' };

export interface Finding {
  ruleId: string;
  severity: Severity;
  target: FindingTarget;
  message: { sv: string; en: string };
  /** True for findings that block signing only (e.g. goals not yet accepted by every party). */
  signingOnly?: boolean;
}

export interface ValidationSummary {
  readyToSign: boolean;
  errors: number;
  warnings: number;
  infos: number;
  /** How many of the errors block signing only (e.g. goals not yet accepted by every party). */
  signingOnlyErrors?: number;
}

export interface ValidationResult {
  findings: Finding[];
  summary: ValidationSummary;
}
