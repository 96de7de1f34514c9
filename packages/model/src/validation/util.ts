import { baseView, hasOpenSuggestions } from '../suggestions/rich.ts';
import type { GoalRow, PartySnapshot, RichNode, SectionSnapshot } from '../types.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in ISO form (YYYY-MM-DD). */
export function isIsoDate(value: string | null | undefined): value is string {
  if (!value) return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** ISO date plus n calendar months (clamped to the month's last day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Swedish date display (ISO is the Swedish standard form). */
export const fmtDate = (d: string): string => d;

export function fmtSek(n: number): string {
  // 700 000 kr (non-breaking narrow spacing avoided: plain spaces for predictable messages)
  return `${Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} kr`;
}

export function fmtSekEn(n: number): string {
  return `SEK ${Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

function nodeText(node: RichNode): string {
  if (node.type === 'text') return node.text ?? '';
  let out = '';
  for (const c of node.content ?? []) out += nodeText(c) + (c.type === 'text' ? '' : ' ');
  return out;
}

const CONTENT_ATOMS = new Set(['image', 'horizontalRule']);

/**
 * True when the section body has real content. Headings do not count (a section holding only its own
 * heading is empty), and neither does text that merely repeats the template's guidance, nor text that is
 * only suggested (the text as it stands counts; the copy is made only when suggestions are open).
 */
export function sectionHasContent(section: SectionSnapshot): boolean {
  const guidance = section.guidance ? norm(section.guidance) : null;
  const title = norm(section.title);
  const visit = (node: RichNode): boolean => {
    if (node.type === 'heading') return false;
    if (CONTENT_ATOMS.has(node.type)) return true;
    if (node.type === 'text') return (node.text ?? '').trim() !== '';
    if (node.type === 'paragraph') {
      const t = norm(nodeText(node));
      if (t === '' || t === title || (guidance !== null && t === guidance)) return false;
      return true;
    }
    for (const c of node.content ?? []) if (visit(c)) return true;
    return false;
  };
  return visit(hasOpenSuggestions(section.body) ? baseView(section.body) : section.body);
}

export function sectionLabel(s: Pick<SectionSnapshot, 'title'>): { sv: string; en: string } {
  return { sv: `avsnittet ”${s.title}”`, en: `section "${s.title}"` };
}

export function partyLabel(p: PartySnapshot): string {
  return p.name.trim() || p.orgNumber || p.id;
}

function truncate(s: string, n: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/** "Mål 3 (”Fler barn …”)" / "Goal 3 ("Fler barn …")". */
export function goalLabel(row: GoalRow, index: number): { sv: string; en: string } {
  const text = truncate(row.goal, 60);
  return text
    ? { sv: `Mål ${index + 1} (”${text}”)`, en: `Goal ${index + 1} ("${text}")` }
    : { sv: `Mål ${index + 1}`, en: `Goal ${index + 1}` };
}

export function listSv(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(', ') + ' och ' + items[items.length - 1];
}

export function listEn(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(', ') + ' and ' + items[items.length - 1];
}
