import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AgreementModelError } from './layout.ts';
import { addContact, addParty, ensureParties, listParties, updateParty } from './parties.ts';

const NGO = { id: 'org-ngo', name: 'Föreningen Gemenskap', kind: 'ideburen' as const, orgNumber: '802480-1234' };
const KOMMUN = { id: 'org-kommun', name: 'Malmö stad', kind: 'kommun' as const, orgNumber: '212000-1124', municipalityCode: '1280' };
const REGION = { id: 'org-region', name: 'Region Skåne', kind: 'region' as const, orgNumber: '232100-0255', municipalityCode: '12' };

describe('ensureParties', () => {
  it('adds only the missing parties, after the existing ones, and reports which', () => {
    const doc = new Y.Doc();
    addParty(doc, NGO);
    expect(ensureParties(doc, [NGO, KOMMUN, REGION])).toEqual(['org-kommun', 'org-region']);
    expect(listParties(doc).map((p) => p.id)).toEqual(['org-ngo', 'org-kommun', 'org-region']);
    expect(listParties(doc)[1]).toEqual({ ...KOMMUN, contacts: [], signatories: [] });
  });

  it('is idempotent: a second call changes nothing and emits no update', () => {
    const doc = new Y.Doc();
    ensureParties(doc, [NGO, KOMMUN]);
    let updates = 0;
    doc.on('update', () => updates++);
    expect(ensureParties(doc, [NGO, KOMMUN])).toEqual([]);
    expect(ensureParties(doc, [KOMMUN])).toEqual([]);
    expect(updates).toBe(0);
    expect(listParties(doc)).toHaveLength(2);
  });

  it('never duplicates a party listed twice in the input', () => {
    const doc = new Y.Doc();
    expect(ensureParties(doc, [KOMMUN, KOMMUN])).toEqual(['org-kommun']);
    expect(listParties(doc)).toHaveLength(1);
  });

  it("keeps the users' edits to a party that is already there", () => {
    const doc = new Y.Doc();
    addParty(doc, KOMMUN);
    updateParty(doc, KOMMUN.id, { name: 'Malmö stad, stadskontoret' });
    const contactId = addContact(doc, KOMMUN.id, { name: 'Kim' });
    ensureParties(doc, [NGO, KOMMUN]);
    const kommun = listParties(doc).find((p) => p.id === KOMMUN.id)!;
    expect(kommun.name).toBe('Malmö stad, stadskontoret');
    expect(kommun.contacts.map((c) => c.id)).toEqual([contactId]);
  });

  it('two replicas adding the same missing party converge on one party', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addParty(a, NGO);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    ensureParties(a, [NGO, KOMMUN]);
    ensureParties(b, [NGO, KOMMUN]);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(listParties(a).map((p) => p.id)).toEqual(['org-ngo', 'org-kommun']);
    expect(listParties(b)).toEqual(listParties(a));
  });

  it('refuses an unknown kind before changing anything', () => {
    const doc = new Y.Doc();
    expect(() => ensureParties(doc, [NGO, { ...KOMMUN, kind: 'bolag' as never }])).toThrow(AgreementModelError);
    expect(listParties(doc)).toEqual([]);
  });
});
