import * as Y from 'yjs';
import type { ChecklistAnswer, ChecklistAnswerValue, ChecklistKey } from '../types.ts';
import { AgreementModelError, checklistMap, readString, transact, writeField, type YRecord } from './layout.ts';

/** The six conditions under which an IOP works best, in display order, with labels. */
export const CHECKLIST_ITEMS: ReadonlyArray<{ key: ChecklistKey; sv: string; en: string }> = [
  {
    key: 'initiative_from_ngo',
    sv: 'Initiativet kommer från den idéburna organisationen',
    en: 'The initiative comes from the idea-driven organisation',
  },
  {
    key: 'political_programme',
    sv: 'Verksamheten genomför ett politiskt program eller en plan där idéburna organisationer pekas ut',
    en: 'The activity carries out a political programme or plan in which idea-driven organisations are named',
  },
  {
    key: 'not_standard_grant',
    sv: 'Verksamheten ingår inte i de ordinarie föreningsbidragen',
    en: 'The activity is not part of the standard association grants',
  },
  {
    key: 'no_market',
    sv: 'Det finns ingen marknad eller konkurrenssituation att skydda',
    en: 'There is no market or competition situation to protect',
  },
  {
    key: 'both_finance',
    sv: 'Båda parter finansierar verksamheten (med pengar eller andra insatser)',
    en: 'Both parties finance the activity (money or other contributions)',
  },
  {
    key: 'long_term',
    sv: 'Verksamheten är tänkt att pågå under lång tid',
    en: 'The activity is meant to run for a long time',
  },
];

export const CHECKLIST_KEYS: readonly ChecklistKey[] = CHECKLIST_ITEMS.map((i) => i.key);
const ANSWERS: readonly ChecklistAnswerValue[] = ['yes', 'no', 'unsure'];

/** Creates the six item maps; done once in the initial state so clients never race to create them. */
export function initChecklist(doc: Y.Doc): void {
  transact(doc, () => {
    const root = checklistMap(doc);
    for (const key of CHECKLIST_KEYS) {
      if (root.has(key)) continue;
      const m = new Y.Map<unknown>();
      m.set('answer', null);
      m.set('justification', '');
      root.set(key, m);
    }
  });
}

function itemMap(doc: Y.Doc, key: ChecklistKey): YRecord {
  if (!CHECKLIST_KEYS.includes(key)) throw new AgreementModelError('invalid', `unknown checklist item ${key}`);
  const m = checklistMap(doc).get(key);
  if (!m) throw new AgreementModelError('not_found', `checklist item ${key} missing (document not initialised)`);
  return m;
}

export function setChecklistAnswer(doc: Y.Doc, key: ChecklistKey, patch: Partial<ChecklistAnswer>): void {
  if (patch.answer != null && !ANSWERS.includes(patch.answer)) {
    throw new AgreementModelError('invalid', `unknown checklist answer ${patch.answer}`);
  }
  transact(doc, () => {
    const m = itemMap(doc, key);
    if ('answer' in patch) writeField(m, 'answer', patch.answer ?? null);
    if ('justification' in patch) writeField(m, 'justification', patch.justification ?? '');
  });
}

export function getChecklist(doc: Y.Doc): Record<ChecklistKey, ChecklistAnswer> {
  const root = checklistMap(doc);
  const out = {} as Record<ChecklistKey, ChecklistAnswer>;
  for (const key of CHECKLIST_KEYS) {
    const m = root.get(key);
    const answer = m?.get('answer');
    out[key] = {
      answer: ANSWERS.includes(answer as ChecklistAnswerValue) ? (answer as ChecklistAnswerValue) : null,
      justification: m ? readString(m, 'justification') : '',
    };
  }
  return out;
}
