import * as Y from 'yjs';
import type { ContactPerson, PartyKind, PartySnapshot, Signatory } from '../types.ts';
import {
  AgreementModelError,
  findRow,
  indexOfRow,
  newId,
  partiesMap,
  readNullableString,
  readNumber,
  readString,
  readSubArray,
  transact,
  writeField,
  type YRecord,
} from './layout.ts';

/**
 * Party map fields (keyed by organisation id in the `parties` root map):
 *   id, name, kind, orgNumber, municipalityCode (string | null), joinedAt (number, sort order),
 *   contacts: Y.Array<Y.Map {id, name, title, email, phone}>,
 *   signatories: Y.Array<Y.Map {id, name, title, userId}>
 */
export interface PartyInput {
  id: string;
  name: string;
  kind: PartyKind;
  orgNumber: string;
  municipalityCode?: string | null;
  contacts?: Array<Partial<ContactPerson>>;
  signatories?: Array<Partial<Signatory>>;
}

export type PartyPatch = Partial<Pick<PartySnapshot, 'name' | 'kind' | 'orgNumber' | 'municipalityCode'>>;

const PARTY_KINDS: readonly PartyKind[] = ['ideburen', 'kommun', 'region'];

function partyMap(doc: Y.Doc, id: string): YRecord {
  const m = partiesMap(doc).get(id);
  if (!m) throw new AgreementModelError('not_found', `party ${id} not found`);
  return m;
}

function contactMap(c: Partial<ContactPerson>): YRecord {
  const m = new Y.Map<unknown>();
  m.set('id', c.id ?? newId());
  m.set('name', c.name ?? '');
  m.set('title', c.title ?? '');
  m.set('email', c.email ?? '');
  m.set('phone', c.phone ?? '');
  return m;
}

function signatoryMap(s: Partial<Signatory>): YRecord {
  const m = new Y.Map<unknown>();
  m.set('id', s.id ?? newId());
  m.set('name', s.name ?? '');
  m.set('title', s.title ?? '');
  m.set('userId', s.userId ?? null);
  return m;
}

/**
 * Adds a party. Idempotent: if the organisation is already a party, its name/kind/orgNumber/municipality
 * are updated and its contacts and signatories kept (contacts/signatories in the input are then ignored).
 */
export function addParty(doc: Y.Doc, input: PartyInput): void {
  if (!PARTY_KINDS.includes(input.kind)) throw new AgreementModelError('invalid', `unknown party kind ${input.kind}`);
  transact(doc, () => {
    const parties = partiesMap(doc);
    const existing = parties.get(input.id);
    if (existing) {
      updateParty(doc, input.id, {
        name: input.name,
        kind: input.kind,
        orgNumber: input.orgNumber,
        municipalityCode: input.municipalityCode ?? null,
      });
      return;
    }
    let maxJoined = 0;
    parties.forEach((p) => (maxJoined = Math.max(maxJoined, readNumber(p, 'joinedAt') ?? 0)));
    const m = new Y.Map<unknown>();
    m.set('id', input.id);
    m.set('name', input.name);
    m.set('kind', input.kind);
    m.set('orgNumber', input.orgNumber);
    m.set('municipalityCode', input.municipalityCode ?? null);
    m.set('joinedAt', maxJoined + 1);
    const contacts = new Y.Array<YRecord>();
    contacts.push((input.contacts ?? []).map(contactMap));
    const signatories = new Y.Array<YRecord>();
    signatories.push((input.signatories ?? []).map(signatoryMap));
    m.set('contacts', contacts);
    m.set('signatories', signatories);
    parties.set(input.id, m);
  });
}

/**
 * Adds the parties of `parties` that the document does not have yet and returns their ids, in the
 * given order. A party already in the document is left exactly as it is (the users may have edited its
 * name, contacts or signatories), so calling this again changes nothing: use it to bring the document
 * in line with the parties recorded elsewhere (the database) after a step that may have failed.
 * Validates every kind before changing anything.
 */
export function ensureParties(doc: Y.Doc, parties: readonly PartyInput[]): string[] {
  for (const p of parties) {
    if (!PARTY_KINDS.includes(p.kind)) throw new AgreementModelError('invalid', `unknown party kind ${p.kind}`);
  }
  const missing = parties.filter((p, i) => !hasParty(doc, p.id) && parties.findIndex((q) => q.id === p.id) === i);
  if (missing.length === 0) return [];
  transact(doc, () => {
    for (const p of missing) addParty(doc, p);
  });
  return missing.map((p) => p.id);
}

export function updateParty(doc: Y.Doc, id: string, patch: PartyPatch): void {
  if (patch.kind !== undefined && !PARTY_KINDS.includes(patch.kind)) {
    throw new AgreementModelError('invalid', `unknown party kind ${patch.kind}`);
  }
  transact(doc, () => {
    const m = partyMap(doc, id);
    for (const key of ['name', 'kind', 'orgNumber', 'municipalityCode'] as const) {
      if (key in patch) writeField(m, key, patch[key] ?? null);
    }
  });
}

export function removeParty(doc: Y.Doc, id: string): void {
  transact(doc, () => {
    partyMap(doc, id);
    partiesMap(doc).delete(id);
  });
}

export function hasParty(doc: Y.Doc, id: string): boolean {
  return partiesMap(doc).has(id);
}

function rowsOf(doc: Y.Doc, partyId: string, field: 'contacts' | 'signatories'): Y.Array<YRecord> {
  const arr = readSubArray(partyMap(doc, partyId), field);
  if (!arr) throw new AgreementModelError('invalid', `party ${partyId} has no ${field}`);
  return arr;
}

export function addContact(doc: Y.Doc, partyId: string, contact: Partial<ContactPerson> = {}): string {
  return transact(doc, () => {
    const m = contactMap(contact);
    rowsOf(doc, partyId, 'contacts').push([m]);
    return m.get('id') as string;
  });
}

export function updateContact(doc: Y.Doc, partyId: string, contactId: string, patch: Partial<Omit<ContactPerson, 'id'>>): void {
  transact(doc, () => {
    const m = findRow(rowsOf(doc, partyId, 'contacts'), contactId, 'contact');
    for (const key of ['name', 'title', 'email', 'phone'] as const) if (key in patch) writeField(m, key, patch[key] ?? '');
  });
}

export function removeContact(doc: Y.Doc, partyId: string, contactId: string): void {
  transact(doc, () => {
    const arr = rowsOf(doc, partyId, 'contacts');
    const i = indexOfRow(arr, contactId);
    if (i < 0) throw new AgreementModelError('not_found', `contact ${contactId} not found`);
    arr.delete(i, 1);
  });
}

export function addSignatory(doc: Y.Doc, partyId: string, signatory: Partial<Signatory> = {}): string {
  return transact(doc, () => {
    const m = signatoryMap(signatory);
    rowsOf(doc, partyId, 'signatories').push([m]);
    return m.get('id') as string;
  });
}

export function updateSignatory(doc: Y.Doc, partyId: string, signatoryId: string, patch: Partial<Omit<Signatory, 'id'>>): void {
  transact(doc, () => {
    const m = findRow(rowsOf(doc, partyId, 'signatories'), signatoryId, 'signatory');
    if ('name' in patch) writeField(m, 'name', patch.name ?? '');
    if ('title' in patch) writeField(m, 'title', patch.title ?? '');
    if ('userId' in patch) writeField(m, 'userId', patch.userId ?? null);
  });
}

export function removeSignatory(doc: Y.Doc, partyId: string, signatoryId: string): void {
  transact(doc, () => {
    const arr = rowsOf(doc, partyId, 'signatories');
    const i = indexOfRow(arr, signatoryId);
    if (i < 0) throw new AgreementModelError('not_found', `signatory ${signatoryId} not found`);
    arr.delete(i, 1);
  });
}

function readKind(m: YRecord): PartyKind {
  const k = m.get('kind');
  return PARTY_KINDS.includes(k as PartyKind) ? (k as PartyKind) : 'ideburen';
}

/** Parties in the order they joined. */
export function listParties(doc: Y.Doc): PartySnapshot[] {
  const rows: Array<{ joined: number; party: PartySnapshot }> = [];
  partiesMap(doc).forEach((m, id) => {
    rows.push({
      joined: readNumber(m, 'joinedAt') ?? 0,
      party: {
        id,
        name: readString(m, 'name'),
        kind: readKind(m),
        orgNumber: readString(m, 'orgNumber'),
        municipalityCode: readNullableString(m, 'municipalityCode'),
        contacts: (readSubArray(m, 'contacts')?.toArray() ?? []).map((c) => ({
          id: readString(c, 'id'),
          name: readString(c, 'name'),
          title: readString(c, 'title'),
          email: readString(c, 'email'),
          phone: readString(c, 'phone'),
        })),
        signatories: (readSubArray(m, 'signatories')?.toArray() ?? []).map((s) => ({
          id: readString(s, 'id'),
          name: readString(s, 'name'),
          title: readString(s, 'title'),
          userId: readNullableString(s, 'userId'),
        })),
      },
    });
  });
  rows.sort((a, b) => a.joined - b.joined || (a.party.id < b.party.id ? -1 : a.party.id > b.party.id ? 1 : 0));
  return rows.map((r) => r.party);
}

/** A member of the agreement who signs for a party (an account), as the signature block prints them. */
export interface SignatoryMember {
  userId: string;
  name: string;
  title: string;
}

/**
 * Brings the signatories that are people (rows with a userId) in line with `byParty` (partyId → the
 * party's signatory members, in order): adds missing ones, updates name and title, removes rows of
 * people who no longer sign. Free-text rows (no userId) are left alone: they are the fallback printed
 * (marked as missing) for a party without a signatory member. Parties not in the document are skipped.
 * Writes nothing when everything already matches; returns whether it changed the document.
 */
export function reconcileSignatoryMembers(doc: Y.Doc, byParty: Readonly<Record<string, readonly SignatoryMember[]>>): boolean {
  const parties = partiesMap(doc);
  const plan: Array<() => void> = [];
  for (const [partyId, members] of Object.entries(byParty)) {
    const party = parties.get(partyId);
    const arr = party ? readSubArray(party, 'signatories') : undefined;
    if (!arr) continue;
    const rows = arr.toArray();
    const wanted = new Map(members.map((m) => [m.userId, m]));
    // Remove (from the end, so indexes stay valid) people who no longer sign, and duplicates.
    const seen = new Set<string>();
    for (let i = rows.length - 1; i >= 0; i--) {
      const userId = readNullableString(rows[i]!, 'userId');
      if (!userId) continue;
      if (!wanted.has(userId) || seen.has(userId)) plan.push(() => arr.delete(i, 1));
      else seen.add(userId);
    }
    for (const row of rows) {
      const userId = readNullableString(row, 'userId');
      const m = userId ? wanted.get(userId) : undefined;
      if (!m) continue;
      if (readString(row, 'name') !== m.name) plan.push(() => writeField(row, 'name', m.name));
      if (readString(row, 'title') !== m.title) plan.push(() => writeField(row, 'title', m.title));
    }
    const present = new Set(rows.map((r) => readNullableString(r, 'userId')).filter((u): u is string => !!u));
    const missing = members.filter((m) => !present.has(m.userId));
    if (missing.length > 0) plan.push(() => arr.push(missing.map((m) => signatoryMap({ name: m.name, title: m.title, userId: m.userId }))));
  }
  if (plan.length === 0) return false;
  transact(doc, () => {
    for (const step of plan) step();
  });
  return true;
}

/**
 * The signatories a signature block prints for a party: its signatory members (rows with a userId)
 * when it has any; otherwise the free-text rows, flagged `missing` (nobody with an account signs yet).
 */
export function printedSignatories(party: Pick<PartySnapshot, 'signatories'>): { missing: boolean; signatories: Signatory[] } {
  const people = party.signatories.filter((s) => s.userId);
  if (people.length > 0) return { missing: false, signatories: people };
  return { missing: true, signatories: party.signatories };
}
