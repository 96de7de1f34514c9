import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addParty, addSignatory, listParties, printedSignatories, reconcileSignatoryMembers } from './parties.ts';

const NGO = { id: 'org-ngo', name: 'Föreningen Gemenskap', kind: 'ideburen' as const, orgNumber: '802480-1234' };
const KOMMUN = { id: 'org-kommun', name: 'Malmö stad', kind: 'kommun' as const, orgNumber: '212000-1124', municipalityCode: '1280' };

describe('signatories who are people', () => {
  it('adds, updates and removes the rows of signatory members, keeps free-text rows, and writes nothing when in line', () => {
    const doc = new Y.Doc();
    addParty(doc, NGO);
    addParty(doc, KOMMUN);
    addSignatory(doc, NGO.id, { name: 'Karin Ordförande', title: '' });
    expect(reconcileSignatoryMembers(doc, { [NGO.id]: [{ userId: 'u1', name: 'Anna Andersson', title: 'Ordförande' }], [KOMMUN.id]: [] })).toBe(true);
    const ngo = () => listParties(doc)[0]!;
    expect(ngo().signatories.map((s) => [s.name, s.title, s.userId])).toEqual([
      ['Karin Ordförande', '', null],
      ['Anna Andersson', 'Ordförande', 'u1'],
    ]);
    expect(printedSignatories(ngo())).toEqual({ missing: false, signatories: [expect.objectContaining({ name: 'Anna Andersson', title: 'Ordförande' })] });
    expect(printedSignatories(listParties(doc)[1]!)).toEqual({ missing: true, signatories: [] });

    let updates = 0;
    doc.on('update', () => updates++);
    expect(reconcileSignatoryMembers(doc, { [NGO.id]: [{ userId: 'u1', name: 'Anna Andersson', title: 'Ordförande' }] })).toBe(false);
    expect(updates).toBe(0);

    reconcileSignatoryMembers(doc, { [NGO.id]: [{ userId: 'u1', name: 'Anna Andersson', title: 'Verksamhetschef' }, { userId: 'u2', name: 'Bo Ek', title: 'Kassör' }] });
    expect(ngo().signatories.filter((s) => s.userId).map((s) => `${s.name}, ${s.title}`)).toEqual(['Anna Andersson, Verksamhetschef', 'Bo Ek, Kassör']);
    reconcileSignatoryMembers(doc, { [NGO.id]: [{ userId: 'u2', name: 'Bo Ek', title: 'Kassör' }], 'org-unknown': [{ userId: 'u9', name: 'X', title: '' }] });
    expect(ngo().signatories.map((s) => s.name)).toEqual(['Karin Ordförande', 'Bo Ek']);
    // Without members, the free text is what is printed, marked as missing.
    reconcileSignatoryMembers(doc, { [NGO.id]: [] });
    expect(printedSignatories(ngo())).toEqual({ missing: true, signatories: [expect.objectContaining({ name: 'Karin Ordförande' })] });
  });
});
