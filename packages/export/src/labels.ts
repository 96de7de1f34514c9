import type {
  ChecklistAnswerValue,
  ChecklistKey,
  ContributionKind,
  FollowUpMethod,
  PartyKind,
} from '@overens/model';

/** Swedish labels used in exported documents (the signed document is in Swedish). */

export const PARTY_KIND_LABEL: Record<PartyKind, string> = {
  ideburen: 'Idéburen organisation',
  kommun: 'Kommun',
  region: 'Region',
};

export const CONTRIBUTION_KIND_ORDER: readonly ContributionKind[] = [
  'money',
  'staff_time',
  'premises',
  'volunteer_work',
  'expertise',
  'other',
];

export const CONTRIBUTION_KIND_LABEL: Record<ContributionKind, string> = {
  money: 'Pengar',
  staff_time: 'Personaltid',
  premises: 'Lokaler',
  volunteer_work: 'Ideellt arbete',
  expertise: 'Kompetens',
  other: 'Övrigt',
};

export const FOLLOW_UP_LABEL: Record<FollowUpMethod, string> = {
  survey: 'Enkät',
  statistics: 'Statistik',
  interviews: 'Intervjuer',
  focus_group: 'Fokusgrupp',
  other: 'Annan metod',
};

export const CHECKLIST_ORDER: readonly ChecklistKey[] = [
  'initiative_from_ngo',
  'political_programme',
  'not_standard_grant',
  'no_market',
  'both_finance',
  'long_term',
];

export const CHECKLIST_LABEL: Record<ChecklistKey, string> = {
  initiative_from_ngo: 'Initiativet kommer från den idéburna organisationen.',
  political_programme:
    'Verksamheten genomför ett politiskt program eller en plan där idéburna organisationer är utpekade.',
  not_standard_grant: 'Verksamheten ingår inte i de ordinarie föreningsbidragen.',
  no_market: 'Det finns ingen marknad eller konkurrenssituation att skydda.',
  both_finance: 'Båda parter finansierar verksamheten, med pengar eller andra insatser.',
  long_term: 'Verksamheten är tänkt att pågå under lång tid.',
};

export const CHECKLIST_ANSWER_LABEL: Record<ChecklistAnswerValue, string> = {
  yes: 'Ja',
  no: 'Nej',
  unsure: 'Osäker',
};

/** Headings of the parts the export generates after the agreement's own sections. */
export const GENERATED_HEADINGS = {
  toc: 'Innehåll',
  goals: 'Gemensamma mål och uppföljning',
  contributions: 'Parternas insatser och resurser',
  suitability: 'Förutsättningar för idéburet offentligt partnerskap',
  attachments: 'Bilagor',
  signatures: 'Underskrifter',
} as const;

const NUMBER_WORDS = ['noll', 'ett', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio'];
/** "två" for 2, digits above ten (used in "upprättats i två likalydande exemplar"). */
export function countWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** Bilaga A, B, …, Z, AA, AB … by position (0-based). */
export function attachmentLetter(index: number): string {
  let n = index;
  let s = '';
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}
