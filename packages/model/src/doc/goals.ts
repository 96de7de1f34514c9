import * as Y from 'yjs';
import type { FollowUpMethod, GoalRow } from '../types.ts';
import {
  AgreementModelError,
  findRow,
  goalsArray,
  indexOfRow,
  newId,
  readNullableString,
  readString,
  readStringArray,
  readSubMap,
  transact,
  writeField,
  type YRecord,
} from './layout.ts';

/**
 * The shared SMART goal table: `goals` root Y.Array of row maps. Cells are plain values (last writer wins
 * per cell; concurrent edits to different cells of one row merge). acceptedBy is a nested Y.Map so that
 * parties accepting at the same time never overwrite each other.
 */
export const FOLLOW_UP_METHODS: readonly FollowUpMethod[] = ['survey', 'statistics', 'interviews', 'focus_group', 'other'];

export type GoalPatch = Partial<Omit<GoalRow, 'id' | 'acceptedBy'>>;

const TEXT_FIELDS = ['goal', 'indicator', 'baselineValue', 'baselineSource', 'targetValue'] as const;
const DATE_FIELDS = ['baselineDate', 'deadline'] as const;

function applyGoalPatch(m: YRecord, patch: GoalPatch): void {
  for (const key of TEXT_FIELDS) if (key in patch) writeField(m, key, patch[key] ?? '');
  for (const key of DATE_FIELDS) if (key in patch) writeField(m, key, patch[key] || null);
  if ('followUpMethod' in patch) {
    const method = patch.followUpMethod ?? null;
    if (method !== null && !FOLLOW_UP_METHODS.includes(method)) {
      throw new AgreementModelError('invalid', `unknown follow-up method ${method}`);
    }
    writeField(m, 'followUpMethod', method);
  }
  if ('responsiblePartyId' in patch) writeField(m, 'responsiblePartyId', patch.responsiblePartyId || null);
  if ('followUpDates' in patch) writeField(m, 'followUpDates', [...(patch.followUpDates ?? [])].filter(Boolean));
}

/** Adds a goal row at `index` (default: last); returns its id. */
export function addGoal(doc: Y.Doc, initial: GoalPatch & { id?: string; acceptedBy?: Record<string, boolean> } = {}, index?: number): string {
  if (initial.followUpMethod != null && !FOLLOW_UP_METHODS.includes(initial.followUpMethod)) {
    throw new AgreementModelError('invalid', `unknown follow-up method ${initial.followUpMethod}`);
  }
  return transact(doc, () => {
    const arr = goalsArray(doc);
    const m = new Y.Map<unknown>();
    const id = initial.id ?? newId();
    m.set('id', id);
    for (const key of TEXT_FIELDS) m.set(key, '');
    for (const key of DATE_FIELDS) m.set(key, null);
    m.set('followUpMethod', null);
    m.set('responsiblePartyId', null);
    m.set('followUpDates', []);
    const accepted = new Y.Map<unknown>();
    for (const [party, ok] of Object.entries(initial.acceptedBy ?? {})) if (ok) accepted.set(party, true);
    m.set('acceptedBy', accepted);
    arr.insert(Math.max(0, Math.min(index ?? arr.length, arr.length)), [m]);
    applyGoalPatch(m, initial); // after insertion: a prelim map cannot be read
    return id;
  });
}

/**
 * Updates cells of a goal row. With `resetAcceptance`, a change of content withdraws every party's
 * acceptance (use it when a party should re-accept what changed).
 */
export function updateGoal(doc: Y.Doc, id: string, patch: GoalPatch, options: { resetAcceptance?: boolean } = {}): void {
  transact(doc, () => {
    const m = findRow(goalsArray(doc), id, 'goal');
    applyGoalPatch(m, patch);
    if (options.resetAcceptance) {
      const accepted = readSubMap(m, 'acceptedBy');
      for (const key of Array.from(accepted?.keys() ?? [])) accepted?.delete(key);
    }
  });
}

export function removeGoal(doc: Y.Doc, id: string): void {
  transact(doc, () => {
    const arr = goalsArray(doc);
    const i = indexOfRow(arr, id);
    if (i < 0) throw new AgreementModelError('not_found', `goal ${id} not found`);
    arr.delete(i, 1);
  });
}

export function setGoalAccepted(doc: Y.Doc, id: string, partyId: string, accepted: boolean): void {
  transact(doc, () => {
    const map = readSubMap(findRow(goalsArray(doc), id, 'goal'), 'acceptedBy');
    if (!map) throw new AgreementModelError('invalid', `goal ${id} has no acceptedBy map`);
    if (accepted) map.set(partyId, true);
    else map.delete(partyId);
  });
}

export function listGoals(doc: Y.Doc): GoalRow[] {
  return goalsArray(doc)
    .toArray()
    .map((m) => {
      const acceptedBy: Record<string, boolean> = {};
      readSubMap(m, 'acceptedBy')?.forEach((v, k) => {
        if (v === true) acceptedBy[k] = true;
      });
      const method = m.get('followUpMethod');
      return {
        id: readString(m, 'id'),
        goal: readString(m, 'goal'),
        indicator: readString(m, 'indicator'),
        baselineValue: readString(m, 'baselineValue'),
        baselineDate: readNullableString(m, 'baselineDate'),
        baselineSource: readString(m, 'baselineSource'),
        targetValue: readString(m, 'targetValue'),
        deadline: readNullableString(m, 'deadline'),
        followUpMethod: FOLLOW_UP_METHODS.includes(method as FollowUpMethod) ? (method as FollowUpMethod) : null,
        responsiblePartyId: readNullableString(m, 'responsiblePartyId'),
        followUpDates: readStringArray(m, 'followUpDates'),
        acceptedBy,
      };
    });
}
