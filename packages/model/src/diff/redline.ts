/**
 * Redline: what changed between two versions of an agreement.
 *
 * Pure: compares two `AgreementSnapshot`s (plain data) and returns a JSON-serialisable description
 * that the web app renders as a redline (insertions and deletions marked) and the server returns from
 * the compare endpoint. Text is compared word by word (jsdiff `diffWordsWithSpace`), so a paragraph
 * split or a changed word shows as such, not as a whole replaced paragraph. Section bodies are compared
 * as their standing text: open suggestions are not changes, accepted ones are.
 */
import { diffWordsWithSpace } from 'diff';
import { baseView } from '../suggestions/rich.ts';
import type {
  AgreementSnapshot,
  Attachment,
  ChecklistAnswer,
  ChecklistKey,
  ContributionRow,
  GoalRow,
  PartySnapshot,
  PeriodSnapshot,
  RichNode,
  SectionSnapshot,
} from '../types.ts';

/** One run of text in a word-level diff. */
export interface TextChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export type ChangeKind = 'added' | 'removed' | 'modified' | 'unchanged';

export interface TextDiff {
  old: string;
  new: string;
  changes: TextChange[];
}

export interface SectionDiff {
  sectionId: string;
  key: string | null;
  change: ChangeKind;
  /** The section's relative order among the sections present in both versions changed. */
  moved: boolean;
  oldIndex: number | null;
  newIndex: number | null;
  /** Title in the newer version (or the old one when removed). */
  title: string;
  /** Set when the title changed (rename). */
  titleDiff: TextDiff | null;
  /** Word-level diff of the body as plain text; blocks are separated by '\n'. Always present. */
  body: TextChange[];
  bodyChanged: boolean;
  /** Status before and after, when it changed. */
  status: { old: SectionSnapshot['status']; new: SectionSnapshot['status'] } | null;
}

/** One cell of a table row. `column` is the row field name; per-party flags use `acceptedBy:<partyId>`. */
export interface CellDiff {
  column: string;
  old: string;
  new: string;
  /** Word-level changes for text cells. */
  changes: TextChange[];
}

export interface RowDiff {
  rowId: string;
  change: ChangeKind;
  oldIndex: number | null;
  newIndex: number | null;
  /** A short label for the row (the goal text, the contribution description). */
  label: string;
  /** For modified rows: the cells that changed. For added/removed rows: every non-empty cell. */
  cells: CellDiff[];
}

export interface TableDiff {
  rows: RowDiff[];
  changed: boolean;
}

export interface FieldDiff {
  field: string;
  old: string;
  new: string;
}

export interface ChecklistDiff {
  key: ChecklistKey;
  answer: { old: string; new: string } | null;
  justification: TextDiff | null;
}

export interface PartyDiff {
  partyId: string;
  name: string;
  change: ChangeKind;
  fields: FieldDiff[];
}

export interface AttachmentDiff {
  attachmentId: string;
  change: ChangeKind;
  title: string;
  fields: FieldDiff[];
}

export interface AgreementRedline {
  title: TextDiff | null;
  /** Every section of both versions, in the newer order; removed ones where they used to be. */
  sections: SectionDiff[];
  parties: PartyDiff[];
  goals: TableDiff;
  contributions: TableDiff;
  period: FieldDiff[];
  checklist: ChecklistDiff[];
  attachments: AttachmentDiff[];
  summary: {
    changed: boolean;
    sectionsAdded: number;
    sectionsRemoved: number;
    sectionsModified: number;
    sectionsMoved: number;
    goalRowsChanged: number;
    contributionRowsChanged: number;
  };
}

/* ------------------------------------------------------------------ text */

/** Word-level diff of two strings; adjacent runs of the same kind are merged. */
export function diffText(oldText: string, newText: string): TextChange[] {
  if (oldText === newText) return oldText === '' ? [] : [{ op: 'equal', text: oldText }];
  if (oldText === '') return [{ op: 'insert', text: newText }];
  if (newText === '') return [{ op: 'delete', text: oldText }];
  const out: TextChange[] = [];
  for (const part of diffWordsWithSpace(oldText, newText)) {
    const op: TextChange['op'] = part.added ? 'insert' : part.removed ? 'delete' : 'equal';
    push(out, op, part.value);
  }
  return out;
}

function push(out: TextChange[], op: TextChange['op'], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

function textDiffOrNull(oldText: string, newText: string): TextDiff | null {
  return oldText === newText ? null : { old: oldText, new: newText, changes: diffText(oldText, newText) };
}

const BLOCKS_JOINED_BY_NEWLINE = new Set(['doc', 'bulletList', 'orderedList', 'blockquote', 'table', 'listItem']);

/**
 * Plain text of a rich-text body, as compared by the redline: one line per block (paragraph, heading,
 * list item, table row); list items start with "• ", table cells are separated by " | ".
 */
export function richTextToPlain(node: RichNode | null | undefined): string {
  if (!node) return '';
  return blockText(node).replace(/\n+$/, '');
}

function blockText(node: RichNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'tableRow':
      return (node.content ?? []).map((cell) => inlineOf(cell).trim()).join(' | ') + '\n';
    case 'listItem':
      return '• ' + (node.content ?? []).map(blockText).join('').replace(/\n+$/, '') + '\n';
    default: {
      const children = node.content ?? [];
      if (BLOCKS_JOINED_BY_NEWLINE.has(node.type)) return children.map(blockText).join('');
      // A textblock (paragraph, heading, codeBlock …) or an unknown node: its inline text and a line end.
      const inline = children.map(blockText).join('');
      return inline.endsWith('\n') ? inline : inline + '\n';
    }
  }
}

function inlineOf(node: RichNode): string {
  return (node.content ?? []).map(blockText).join(' ').replace(/\n+/g, ' ');
}

/* -------------------------------------------------------------- sections */

/** Ids of the longest common subsequence of two id lists (the ones that did not move). */
function stableIds(a: string[], b: string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  const keep = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      keep.add(a[i]!);
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }
  return keep;
}

/**
 * Merge two id-keyed lists into the newer order, placing items that only exist in the old list right
 * after the item that preceded them there.
 */
function mergeOrder<T extends { id: string }>(oldList: T[], newList: T[]): Array<{ oldItem: T | null; newItem: T | null; oldIndex: number | null; newIndex: number | null }> {
  const newIds = new Map(newList.map((item, i) => [item.id, i] as const));
  const oldIds = new Map(oldList.map((item, i) => [item.id, i] as const));
  const out: Array<{ oldItem: T | null; newItem: T | null; oldIndex: number | null; newIndex: number | null }> = [];
  // Removed items grouped by the id of the nearest preceding item that still exists ('' = at the start).
  const removedAfter = new Map<string, number[]>();
  let anchor = '';
  oldList.forEach((item, i) => {
    if (newIds.has(item.id)) anchor = item.id;
    else {
      const list = removedAfter.get(anchor) ?? [];
      list.push(i);
      removedAfter.set(anchor, list);
    }
  });
  const emitRemoved = (after: string) => {
    for (const i of removedAfter.get(after) ?? []) out.push({ oldItem: oldList[i]!, newItem: null, oldIndex: i, newIndex: null });
  };
  emitRemoved('');
  newList.forEach((item, j) => {
    const oi = oldIds.get(item.id);
    out.push({ oldItem: oi === undefined ? null : oldList[oi]!, newItem: item, oldIndex: oi ?? null, newIndex: j });
    if (oi !== undefined) emitRemoved(item.id);
  });
  return out;
}

function diffSections(oldSections: SectionSnapshot[], newSections: SectionSnapshot[]): SectionDiff[] {
  const common = (list: SectionSnapshot[], other: SectionSnapshot[]) => {
    const ids = new Set(other.map((s) => s.id));
    return list.filter((s) => ids.has(s.id)).map((s) => s.id);
  };
  const stable = stableIds(common(oldSections, newSections), common(newSections, oldSections));
  return mergeOrder(oldSections, newSections).map(({ oldItem, newItem, oldIndex, newIndex }) => {
    // The standing text: open suggestions are proposals, not changes; an accepted one is (issue #16).
    const oldBody = oldItem ? richTextToPlain(baseView(oldItem.body)) : '';
    const newBody = newItem ? richTextToPlain(baseView(newItem.body)) : '';
    const both = oldItem && newItem;
    const titleDiff = both ? textDiffOrNull(oldItem.title, newItem.title) : null;
    const bodyChanged = oldBody !== newBody;
    const moved = both ? !stable.has(newItem.id) : false;
    const status = both && oldItem.status !== newItem.status ? { old: oldItem.status, new: newItem.status } : null;
    const change: ChangeKind = !oldItem ? 'added' : !newItem ? 'removed' : titleDiff || bodyChanged ? 'modified' : 'unchanged';
    const section = (newItem ?? oldItem)!;
    return {
      sectionId: section.id,
      key: section.key,
      change,
      moved,
      oldIndex,
      newIndex,
      title: section.title,
      titleDiff,
      body: diffText(oldBody, newBody),
      bodyChanged,
      status,
    };
  });
}

/* ---------------------------------------------------------------- tables */

type Cells = Array<{ column: string; value: string; text: boolean }>;

function goalCells(row: GoalRow): Cells {
  const cells: Cells = [
    { column: 'goal', value: row.goal, text: true },
    { column: 'indicator', value: row.indicator, text: true },
    { column: 'baselineValue', value: row.baselineValue, text: true },
    { column: 'baselineDate', value: row.baselineDate ?? '', text: false },
    { column: 'baselineSource', value: row.baselineSource, text: true },
    { column: 'targetValue', value: row.targetValue, text: true },
    { column: 'deadline', value: row.deadline ?? '', text: false },
    { column: 'followUpMethod', value: row.followUpMethod ?? '', text: false },
    { column: 'responsiblePartyId', value: row.responsiblePartyId ?? '', text: false },
    { column: 'followUpDates', value: row.followUpDates.join(', '), text: false },
  ];
  for (const partyId of Object.keys(row.acceptedBy).sort()) {
    cells.push({ column: `acceptedBy:${partyId}`, value: row.acceptedBy[partyId] ? 'true' : '', text: false });
  }
  return cells;
}

function contributionCells(row: ContributionRow): Cells {
  return [
    { column: 'partyId', value: row.partyId ?? '', text: false },
    { column: 'kind', value: row.kind, text: false },
    { column: 'description', value: row.description, text: true },
    { column: 'quantity', value: row.quantity === null ? '' : String(row.quantity), text: false },
    { column: 'unit', value: row.unit, text: true },
    { column: 'valueSek', value: row.valueSek === null ? '' : String(row.valueSek), text: false },
    { column: 'periodStart', value: row.periodStart ?? '', text: false },
    { column: 'periodEnd', value: row.periodEnd ?? '', text: false },
  ];
}

function cellChanges(oldValue: string, newValue: string, text: boolean): TextChange[] {
  if (text) return diffText(oldValue, newValue);
  const out: TextChange[] = [];
  if (oldValue === newValue) push(out, 'equal', oldValue);
  else {
    push(out, 'delete', oldValue);
    push(out, 'insert', newValue);
  }
  return out;
}

function diffTable<T extends { id: string }>(oldRows: T[], newRows: T[], cellsOf: (row: T) => Cells, labelOf: (row: T) => string): TableDiff {
  const rows = mergeOrder(oldRows, newRows).map(({ oldItem, newItem, oldIndex, newIndex }): RowDiff => {
    const oldCells = oldItem ? cellsOf(oldItem) : [];
    const newCells = newItem ? cellsOf(newItem) : [];
    const columns = new Map<string, { old: string; new: string; text: boolean }>();
    for (const c of oldCells) columns.set(c.column, { old: c.value, new: '', text: c.text });
    for (const c of newCells) {
      const existing = columns.get(c.column);
      if (existing) existing.new = c.value;
      else columns.set(c.column, { old: '', new: c.value, text: c.text });
    }
    const cells: CellDiff[] = [];
    for (const [column, v] of columns) {
      if (v.old === v.new) continue;
      cells.push({ column, old: v.old, new: v.new, changes: cellChanges(v.old, v.new, v.text) });
    }
    const change: ChangeKind = !oldItem ? 'added' : !newItem ? 'removed' : cells.length > 0 ? 'modified' : 'unchanged';
    return { rowId: (newItem ?? oldItem)!.id, change, oldIndex, newIndex, label: labelOf((newItem ?? oldItem)!), cells };
  });
  return { rows, changed: rows.some((r) => r.change !== 'unchanged') };
}

/* ----------------------------------------------------------------- other */

function str(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function diffFields<T extends object>(oldObj: T, newObj: T, fields: Array<keyof T & string>, render: (v: T[keyof T]) => string = (v) => str(v as string)): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of fields) {
    const o = render(oldObj[field]);
    const n = render(newObj[field]);
    if (o !== n) out.push({ field, old: o, new: n });
  }
  return out;
}

function diffPeriod(oldPeriod: PeriodSnapshot, newPeriod: PeriodSnapshot): FieldDiff[] {
  return diffFields(oldPeriod, newPeriod, ['start', 'end', 'noticeMonths', 'renegotiationBy'], (v) => str(v));
}

const CHECKLIST_ORDER: ChecklistKey[] = ['initiative_from_ngo', 'political_programme', 'not_standard_grant', 'no_market', 'both_finance', 'long_term'];

function diffChecklist(oldList: Partial<Record<ChecklistKey, ChecklistAnswer>>, newList: Partial<Record<ChecklistKey, ChecklistAnswer>>): ChecklistDiff[] {
  const keys = [...CHECKLIST_ORDER];
  for (const k of [...Object.keys(oldList), ...Object.keys(newList)] as ChecklistKey[]) if (!keys.includes(k)) keys.push(k);
  const out: ChecklistDiff[] = [];
  for (const key of keys) {
    const o = oldList[key] ?? { answer: null, justification: '' };
    const n = newList[key] ?? { answer: null, justification: '' };
    const answer = str(o.answer) !== str(n.answer) ? { old: str(o.answer), new: str(n.answer) } : null;
    const justification = textDiffOrNull(o.justification, n.justification);
    if (answer || justification) out.push({ key, answer, justification });
  }
  return out;
}

function partyFields(p: PartySnapshot): Record<string, string> {
  const fields: Record<string, string> = { name: p.name, kind: p.kind, orgNumber: p.orgNumber, municipalityCode: str(p.municipalityCode) };
  p.contacts.forEach((c) => {
    fields[`contact:${c.id}`] = [c.name, c.title, c.email, c.phone].filter(Boolean).join(', ');
  });
  p.signatories.forEach((s) => {
    fields[`signatory:${s.id}`] = [s.name, s.title].filter(Boolean).join(', ');
  });
  return fields;
}

function diffRecords(o: Record<string, string>, n: Record<string, string>): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of new Set([...Object.keys(o), ...Object.keys(n)])) {
    const ov = o[field] ?? '';
    const nv = n[field] ?? '';
    if (ov !== nv) out.push({ field, old: ov, new: nv });
  }
  return out;
}

function diffParties(oldParties: PartySnapshot[], newParties: PartySnapshot[]): PartyDiff[] {
  return mergeOrder(oldParties, newParties).map(({ oldItem, newItem }) => {
    const fields = diffRecords(oldItem ? partyFields(oldItem) : {}, newItem ? partyFields(newItem) : {});
    const change: ChangeKind = !oldItem ? 'added' : !newItem ? 'removed' : fields.length ? 'modified' : 'unchanged';
    const party = (newItem ?? oldItem)!;
    return { partyId: party.id, name: party.name, change, fields };
  });
}

function diffAttachments(oldList: Attachment[], newList: Attachment[]): AttachmentDiff[] {
  return mergeOrder(oldList, newList).map(({ oldItem, newItem, oldIndex, newIndex }) => {
    const rec = (a: Attachment | null): Record<string, string> => (a ? { title: a.title, description: a.description } : {});
    const fields = diffRecords(rec(oldItem), rec(newItem));
    const movedOnly = oldItem && newItem && oldIndex !== newIndex;
    if (movedOnly) fields.push({ field: 'position', old: String(oldIndex), new: String(newIndex) });
    const change: ChangeKind = !oldItem ? 'added' : !newItem ? 'removed' : fields.length ? 'modified' : 'unchanged';
    const a = (newItem ?? oldItem)!;
    return { attachmentId: a.id, change, title: a.title, fields };
  });
}

/* ------------------------------------------------------------------ main */

/** Compare two versions of an agreement: `older` is the base, `newer` the one shown with its changes. */
export function redline(older: AgreementSnapshot, newer: AgreementSnapshot): AgreementRedline {
  const sections = diffSections(older.sections, newer.sections);
  const goals = diffTable(older.goals, newer.goals, goalCells, (r) => r.goal);
  const contributions = diffTable(older.contributions, newer.contributions, contributionCells, (r) => r.description);
  const period = diffPeriod(older.period, newer.period);
  const checklist = diffChecklist(older.checklist, newer.checklist);
  const parties = diffParties(older.parties, newer.parties);
  const attachments = diffAttachments(older.attachments, newer.attachments);
  const title = textDiffOrNull(older.title, newer.title);
  const summary = {
    sectionsAdded: sections.filter((s) => s.change === 'added').length,
    sectionsRemoved: sections.filter((s) => s.change === 'removed').length,
    sectionsModified: sections.filter((s) => s.change === 'modified').length,
    sectionsMoved: sections.filter((s) => s.moved).length,
    goalRowsChanged: goals.rows.filter((r) => r.change !== 'unchanged').length,
    contributionRowsChanged: contributions.rows.filter((r) => r.change !== 'unchanged').length,
  };
  const changed =
    title !== null ||
    summary.sectionsAdded + summary.sectionsRemoved + summary.sectionsModified + summary.sectionsMoved > 0 ||
    goals.changed ||
    contributions.changed ||
    period.length > 0 ||
    checklist.length > 0 ||
    parties.some((p) => p.change !== 'unchanged') ||
    attachments.some((a) => a.change !== 'unchanged');
  return { title, sections, parties, goals, contributions, period, checklist, attachments, summary: { changed, ...summary } };
}
