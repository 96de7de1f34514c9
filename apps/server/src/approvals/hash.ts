import { createHash } from 'node:crypto';
import { canonicalSerialize, type AgreementSnapshot } from '@overens/model';

/** SHA-256 (hex) over the canonical serialisation: what an approval binds to and the export prints. */
export function contentHash(snapshot: AgreementSnapshot): { canonical: string; hash: string } {
  const canonical = canonicalSerialize(snapshot);
  return { canonical, hash: createHash('sha256').update(canonical, 'utf8').digest('hex') };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface CanonSection {
  key: string | null;
  title: string;
  body: Json;
}
interface CanonParty {
  id: string;
  name: string;
  [k: string]: Json;
}

export interface ChangeNote {
  sv: string;
  en: string;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed between two canonical serialisations, in words people recognise
 * ("Avsnittet Ekonomi ändrades", "Måltabellen ändrades"), for the voided-approval notice and the audit log.
 */
export function describeChange(oldCanonical: string, newCanonical: string): ChangeNote[] {
  let a: Record<string, Json>;
  let b: Record<string, Json>;
  try {
    a = JSON.parse(oldCanonical) as Record<string, Json>;
    b = JSON.parse(newCanonical) as Record<string, Json>;
  } catch {
    return [{ sv: 'Överenskommelsen ändrades.', en: 'The agreement changed.' }];
  }
  const notes: ChangeNote[] = [];
  if (!same(a['title'], b['title'])) notes.push({ sv: 'Titeln ändrades.', en: 'The title changed.' });

  const oldSections = (a['sections'] ?? []) as unknown as CanonSection[];
  const newSections = (b['sections'] ?? []) as unknown as CanonSection[];
  const find = (list: CanonSection[], s: CanonSection) =>
    list.find((x) => (s.key ? x.key === s.key : x.key === null && x.title === s.title));
  for (const s of newSections) {
    const o = find(oldSections, s);
    if (!o) notes.push({ sv: `Avsnittet ${s.title} lades till.`, en: `The section ${s.title} was added.` });
    else {
      if (o.title !== s.title) notes.push({ sv: `Avsnittet ${o.title} bytte namn till ${s.title}.`, en: `The section ${o.title} was renamed to ${s.title}.` });
      if (!same(o.body, s.body)) notes.push({ sv: `Texten i avsnittet ${s.title} ändrades.`, en: `The text of the section ${s.title} changed.` });
    }
  }
  for (const o of oldSections) {
    if (!find(newSections, o)) notes.push({ sv: `Avsnittet ${o.title} togs bort.`, en: `The section ${o.title} was removed.` });
  }
  const keptOrder = newSections.filter((s) => find(oldSections, s)).map((s) => s.key ?? s.title);
  const oldOrder = oldSections.filter((s) => find(newSections, s)).map((s) => s.key ?? s.title);
  if (!same(keptOrder, oldOrder)) notes.push({ sv: 'Avsnittens ordning ändrades.', en: 'The order of the sections changed.' });

  const oldParties = (a['parties'] ?? []) as unknown as CanonParty[];
  const newParties = (b['parties'] ?? []) as unknown as CanonParty[];
  for (const p of newParties) {
    const o = oldParties.find((x) => x.id === p.id);
    if (!o) notes.push({ sv: `Parten ${p.name} lades till.`, en: `The party ${p.name} was added.` });
    else if (!same(o, p)) notes.push({ sv: `Uppgifterna om ${p.name} ändrades.`, en: `The details of ${p.name} changed.` });
  }
  for (const o of oldParties) {
    if (!newParties.some((x) => x.id === o.id)) notes.push({ sv: `Parten ${o.name} togs bort.`, en: `The party ${o.name} was removed.` });
  }
  const parts: Array<[string, ChangeNote]> = [
    ['goals', { sv: 'Måltabellen ändrades.', en: 'The goal table changed.' }],
    ['contributions', { sv: 'Tabellen över insatser ändrades.', en: 'The contributions table changed.' }],
    ['period', { sv: 'Perioden ändrades.', en: 'The period changed.' }],
    ['checklist', { sv: 'Lämplighetsbedömningen ändrades.', en: 'The suitability checklist changed.' }],
    ['attachments', { sv: 'Bilagorna ändrades.', en: 'The attachments changed.' }],
  ];
  for (const [key, note] of parts) if (!same(a[key], b[key])) notes.push(note);
  if (notes.length === 0 && oldCanonical !== newCanonical) notes.push({ sv: 'Överenskommelsen ändrades.', en: 'The agreement changed.' });
  return notes;
}
