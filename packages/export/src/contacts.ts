import type { AgreementSnapshot } from '@overens/model';

/** The contact persons entered under "Parter", as rows for the exported agreement. */
export const CONTACTS_HEADING = 'Kontaktpersoner enligt parternas uppgifter';
export const CONTACT_COLUMNS = ['Part', 'Namn', 'Roll', 'E-post', 'Telefon'] as const;

export function contactRows(snapshot: AgreementSnapshot): string[][] {
  const rows: string[][] = [];
  for (const party of snapshot.parties) {
    for (const c of party.contacts) {
      if (!c.name.trim() && !c.email.trim() && !c.phone.trim()) continue;
      rows.push([party.name || 'Namnlös part', c.name.trim() || '–', c.title.trim() || '–', c.email.trim() || '–', c.phone.trim() || '–']);
    }
  }
  return rows;
}

/**
 * The section the contacts table follows: the template's "Kontaktpersoner och ansvariga" (key
 * contacts), else "Parter" (key parties), else the first section; -1 when there are no sections.
 */
export function contactsSectionIndex(snapshot: AgreementSnapshot): number {
  const byKey = (key: string) => snapshot.sections.findIndex((s) => s.key === key);
  const i = byKey('contacts');
  if (i >= 0) return i;
  const j = byKey('parties');
  if (j >= 0) return j;
  return snapshot.sections.length > 0 ? 0 : -1;
}
