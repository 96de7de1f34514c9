/** Fill a live agreement document with the model's complete fixture (no validation errors), mapped onto real parties. */
import type * as Y from 'yjs';
import {
  addContact,
  addContribution,
  addGoal,
  addSignatory,
  CHECKLIST_KEYS,
  completeFixtureSnapshot,
  FIXTURE_KOMMUN_ID,
  FIXTURE_NGO_ID,
  listSections,
  setChecklistAnswer,
  setPeriod,
  setSectionAgreed,
  setSectionBody,
} from '@overens/model';

export function fillComplete(doc: Y.Doc, ngoId: string, kommunId: string): void {
  const fx = completeFixtureSnapshot();
  const mapParty = (id: string | null) => (id === FIXTURE_NGO_ID ? ngoId : id === FIXTURE_KOMMUN_ID ? kommunId : id);
  for (const s of listSections(doc)) {
    const body = fx.sections.find((x) => x.key === s.key)?.body;
    if (body) setSectionBody(doc, s.id, body);
  }
  for (const fp of fx.parties) {
    const id = mapParty(fp.id)!;
    for (const c of fp.contacts) addContact(doc, id, { name: c.name, title: c.title, email: c.email, phone: c.phone });
    for (const s of fp.signatories) addSignatory(doc, id, { name: s.name, title: s.title });
  }
  setPeriod(doc, fx.period);
  for (const g of fx.goals) {
    const { id: _id, acceptedBy: _a, ...rest } = g;
    addGoal(doc, { ...rest, responsiblePartyId: mapParty(g.responsiblePartyId), acceptedBy: { [ngoId]: true, [kommunId]: true } });
  }
  for (const c of fx.contributions) {
    const { id: _id, ...rest } = c;
    addContribution(doc, { ...rest, partyId: mapParty(c.partyId) });
  }
  for (const k of CHECKLIST_KEYS) setChecklistAnswer(doc, k, fx.checklist[k]);
}

/** Every section marked agreed by each of `parties` (a server-side change, as a party's editor clicking "Överens"). */
export function agreeAllSections(doc: Y.Doc, parties: ReadonlyArray<{ partyId: string; userId: string; userName: string }>): void {
  for (const s of listSections(doc)) {
    for (const p of parties) setSectionAgreed(doc, s.id, p.partyId, { partyId: p.partyId, userId: p.userId, userName: p.userName, at: new Date().toISOString() });
  }
}
