import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { STANDARD_TEMPLATE, STANDARD_TEMPLATE_ID } from '../templates/index.ts';
import type { RichNode, SectionMark } from '../types.ts';
import { AgreementDoc } from './agreement-doc.ts';
import { createInitialDocumentState } from './init.ts';
import { observeAgreement } from './observe.ts';
import { paragraphsToRich, richPlainText } from './rich.ts';
import { snapshotAgreement } from './snapshot.ts';

const NGO = { id: 'org-ngo', name: 'Föreningen Gemenskap', kind: 'ideburen' as const, orgNumber: '802480-1234' };
const KOMMUN = { id: 'org-kommun', name: 'Malmö stad', kind: 'kommun' as const, orgNumber: '212000-1124', municipalityCode: '1280' };

function fresh(parties = [NGO, KOMMUN]): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    createInitialDocumentState({ template: STANDARD_TEMPLATE, templateId: STANDARD_TEMPLATE_ID, templateVersion: 1, parties }),
  );
  return doc;
}

/** Two replicas that start from the same initial state and exchange updates on demand. */
function replicas(): [Y.Doc, Y.Doc, () => void] {
  const state = createInitialDocumentState({
    template: STANDARD_TEMPLATE,
    templateId: STANDARD_TEMPLATE_ID,
    templateVersion: 1,
    parties: [NGO, KOMMUN],
  });
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, state);
  Y.applyUpdate(b, state);
  const sync = () => {
    const ua = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
    const ub = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
    Y.applyUpdate(b, ua);
    Y.applyUpdate(a, ub);
  };
  return [a, b, sync];
}

const mark = (partyId: string, userId = 'u-' + partyId): SectionMark => ({
  partyId,
  userId,
  userName: 'Namn ' + userId,
  at: '2026-01-01T10:00:00.000Z',
});

describe('initial document state', () => {
  it('contains the template sections in order, the parties, the checklist and meta', () => {
    const doc = fresh();
    const snap = snapshotAgreement(doc, { title: 'Läxhjälp' });
    expect(snap.title).toBe('Läxhjälp');
    expect(snap.templateId).toBe('standard-iop');
    expect(snap.templateVersion).toBe(1);
    expect(snap.sections.map((s) => s.key)).toEqual(STANDARD_TEMPLATE.sections.map((s) => s.key));
    expect(snap.sections[0]).toMatchObject({ title: 'Bakgrund', required: true, status: 'draft', readyForReview: null, agreedBy: {} });
    expect(snap.sections[0]?.body).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(snap.parties.map((p) => p.id)).toEqual(['org-ngo', 'org-kommun']);
    expect(snap.parties[1]).toMatchObject({ municipalityCode: '1280', contacts: [], signatories: [] });
    expect(Object.keys(snap.checklist)).toHaveLength(6);
    expect(snap.checklist.no_market).toEqual({ answer: null, justification: '' });
    expect(snap.period).toEqual({ start: null, end: null, noticeMonths: null, renegotiationBy: null });
    expect(new AgreementDoc(doc).initialised).toBe(true);
  });

  it('is a self-contained update that any replica can apply', () => {
    const update = createInitialDocumentState({ template: STANDARD_TEMPLATE, templateId: 'x', templateVersion: 3, parties: [] });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    expect(new AgreementDoc(doc).meta()).toEqual({ templateId: 'x', templateVersion: 3, layoutVersion: 1 });
  });
});

describe('sections', () => {
  it('adds, renames, moves and removes custom sections; protects required ones', () => {
    const a = new AgreementDoc(fresh());
    const bakgrund = a.sections()[0]!;
    const custom = a.addSection({ title: 'Lokaler', index: 1 });
    expect(a.sections()[1]).toMatchObject({ id: custom, key: null, title: 'Lokaler', required: false });
    a.renameSection(custom, 'Lokaler och utrustning');
    expect(a.sections()[1]?.title).toBe('Lokaler och utrustning');
    expect(() => a.renameSection(bakgrund.id, 'Annat')).toThrow(/required/);
    expect(() => a.removeSection(bakgrund.id)).toThrow(/required/);
    a.moveSection(custom, 0);
    expect(a.sections()[0]?.id).toBe(custom);
    a.moveSection(custom, 100);
    expect(a.sections().at(-1)?.id).toBe(custom);
    a.removeSection(custom);
    expect(a.sections().find((s) => s.id === custom)).toBeUndefined();
    expect(a.sections()).toHaveLength(15);
    const marketing = a.sections().find((s) => s.key === 'marketing')!;
    a.removeSection(marketing.id); // optional template section
    expect(a.sections()).toHaveLength(14);
  });

  it('keeps every section exactly once under concurrent reorders and inserts', () => {
    const [da, db, sync] = replicas();
    const a = new AgreementDoc(da);
    const b = new AgreementDoc(db);
    const ids = a.sections().map((s) => s.id);
    a.moveSection(ids[0]!, 5);
    b.moveSection(ids[0]!, 10);
    b.moveSection(ids[3]!, 0);
    a.moveSection(ids[3]!, 14);
    const na = a.addSection({ title: 'A:s avsnitt', index: 2 });
    const nb = b.addSection({ title: 'B:s avsnitt', index: 2 });
    sync();
    const orderA = a.sections().map((s) => s.id);
    const orderB = b.sections().map((s) => s.id);
    expect(orderA).toEqual(orderB);
    expect(orderA).toHaveLength(17);
    expect(new Set(orderA).size).toBe(17);
    expect(orderA).toContain(na);
    expect(orderA).toContain(nb);
    // moving between the two tied inserts still works
    a.moveSection(ids[7]!, 3);
    sync();
    expect(b.sections().map((s) => s.id)).toEqual(a.sections().map((s) => s.id));
    expect(a.sections().map((s) => s.id)[3]).toBe(ids[7]);
  });

  it('writes bodies from rich JSON and reads them back', () => {
    const a = new AgreementDoc(fresh());
    const id = a.sections()[0]!.id;
    const body: RichNode = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Rubrik' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Vanlig ' },
            { type: 'text', text: 'fet', marks: [{ type: 'bold' }] },
            { type: 'text', text: ' och ' },
            { type: 'text', text: 'länk', marks: [{ type: 'link', attrs: { href: 'https://example.se' } }, { type: 'italic' }] },
            { type: 'hardBreak' },
            { type: 'text', text: 'rad två' },
          ],
        },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'punkt' }] }] }] },
      ],
    };
    a.setSectionBody(id, body);
    const link = body.content![1]!.content![3]!.marks![0]!;
    link.attrs = { ...link.attrs, target: '_blank', rel: 'noopener noreferrer nofollow' }; // editor defaults filled in
    expect(a.sectionRichBody(id)).toEqual(body);
    expect(richPlainText(a.sectionRichBody(id))).toBe('Rubrik\nVanlig fet och länk\nrad två\npunkt');
    a.setSectionBody(id, paragraphsToRich(['Ny text']));
    expect(a.sectionRichBody(id)).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ny text' }] }] });
  });

  it('derives status and resets agreement on edit, recording who', () => {
    const doc = fresh();
    const a = new AgreementDoc(doc);
    const id = a.sections()[2]!.id;
    a.setSectionReadyForReview(id, mark('org-ngo'));
    expect(a.snapshot('t').sections[2]?.status).toBe('ready_for_review');
    a.setSectionAgreed(id, 'org-ngo', mark('org-ngo'));
    a.setSectionAgreed(id, 'org-kommun', mark('org-kommun'));
    expect(a.snapshot('t').sections[2]?.status).toBe('agreed');
    const stop = a.installAgreedSectionReset((tr) => (tr.origin === 'editor-kommun' ? mark('org-kommun', 'kalle') : null));
    // an edit by someone the resolver ignores does not reset
    doc.transact(() => a.sectionBody(id).insert(0, [new Y.XmlElement('paragraph')]), 'remote');
    expect(a.snapshot('t').sections[2]?.status).toBe('agreed');
    doc.transact(() => a.sectionBody(id).insert(0, [new Y.XmlElement('paragraph')]), 'editor-kommun');
    const s = a.snapshot('t').sections[2]!;
    expect(s.agreedBy).toEqual({});
    expect(s.lastResetBy).toMatchObject({ partyId: 'org-kommun', userId: 'kalle' });
    expect(s.status).toBe('ready_for_review');
    stop();
    expect(a.resetSectionAgreementOnEdit(id, mark('org-ngo'))).toBe(false);
  });
});

describe('structured parts', () => {
  it('parties: contacts and signatories; addParty is idempotent', () => {
    const a = new AgreementDoc(fresh());
    const c = a.addContact('org-ngo', { name: 'Anna', email: 'anna@example.se' });
    a.updateContact('org-ngo', c, { phone: '070-1234567' });
    const s = a.addSignatory('org-ngo', { name: 'Bo', title: 'Ordförande' });
    a.updateSignatory('org-ngo', s, { userId: 'user-1' });
    a.addParty({ ...NGO, name: 'Föreningen Gemenskap Malmö' });
    const ngo = a.parties()[0]!;
    expect(ngo.name).toBe('Föreningen Gemenskap Malmö');
    expect(ngo.contacts).toEqual([{ id: c, name: 'Anna', title: '', email: 'anna@example.se', phone: '070-1234567' }]);
    expect(ngo.signatories).toEqual([{ id: s, name: 'Bo', title: 'Ordförande', userId: 'user-1' }]);
    a.removeContact('org-ngo', c);
    a.removeSignatory('org-ngo', s);
    expect(a.parties()[0]).toMatchObject({ contacts: [], signatories: [] });
    a.addParty({ id: 'org-region', name: 'Region Skåne', kind: 'region', orgNumber: '232100-0255', municipalityCode: '12' });
    expect(a.parties().map((p) => p.id)).toEqual(['org-ngo', 'org-kommun', 'org-region']);
    a.removeParty('org-region');
    expect(a.parties()).toHaveLength(2);
    expect(() => a.addContact('nope')).toThrow(/not found/);
  });

  it('goals: rows, cells and per-party acceptance that merges concurrently', () => {
    const [da, db, sync] = replicas();
    const a = new AgreementDoc(da);
    const b = new AgreementDoc(db);
    const g = a.addGoal({ goal: 'Fler barn klarar skolan', deadline: '2027-06-30', followUpDates: ['2026-12-01'] });
    sync();
    a.setGoalAccepted(g, 'org-ngo', true);
    b.setGoalAccepted(g, 'org-kommun', true);
    a.updateGoal(g, { indicator: 'Andel med godkända betyg' });
    b.updateGoal(g, { targetValue: '85 %' });
    sync();
    const row = a.goals()[0]!;
    expect(b.goals()).toEqual(a.goals());
    expect(row).toMatchObject({
      goal: 'Fler barn klarar skolan',
      indicator: 'Andel med godkända betyg',
      targetValue: '85 %',
      deadline: '2027-06-30',
      followUpDates: ['2026-12-01'],
      acceptedBy: { 'org-ngo': true, 'org-kommun': true },
    });
    a.updateGoal(g, { goal: 'Ändrat' }, { resetAcceptance: true });
    expect(a.goals()[0]?.acceptedBy).toEqual({});
    expect(() => a.updateGoal(g, { followUpMethod: 'telepathy' as never })).toThrow(/follow-up/);
    a.removeGoal(g);
    expect(a.goals()).toEqual([]);
  });

  it('contributions, period, checklist and attachments', () => {
    const a = new AgreementDoc(fresh());
    const c = a.addContribution({ partyId: 'org-kommun', kind: 'money', description: 'Bidrag', valueSek: 300000 });
    a.updateContribution(c, { quantity: 1, unit: 'år' });
    expect(a.contributions()[0]).toMatchObject({ id: c, partyId: 'org-kommun', kind: 'money', valueSek: 300000, quantity: 1, unit: 'år' });
    a.removeContribution(c);
    expect(a.contributions()).toEqual([]);

    a.setPeriod({ start: '2026-01-01', end: '2028-12-31', noticeMonths: 6 });
    expect(a.period()).toEqual({ start: '2026-01-01', end: '2028-12-31', noticeMonths: 6, renegotiationBy: null });

    a.setChecklistAnswer('no_market', { answer: 'yes', justification: 'Ingen marknad finns.' });
    expect(a.checklist().no_market).toEqual({ answer: 'yes', justification: 'Ingen marknad finns.' });

    const x = a.addAttachment({ title: 'Budget' });
    const y = a.addAttachment({ title: 'Verksamhetsplan' });
    a.moveAttachment(y, 0);
    a.updateAttachment(x, { description: 'Budget 2026' });
    expect(a.attachments()).toEqual([
      { id: y, title: 'Verksamhetsplan', description: '' },
      { id: x, title: 'Budget', description: 'Budget 2026' },
    ]);
    a.removeAttachment(y);
    expect(a.attachments().map((t) => t.id)).toEqual([x]);
  });
});

describe('observeAgreement', () => {
  it('reports which parts and section bodies changed, once per transaction', () => {
    const doc = fresh();
    const a = new AgreementDoc(doc, 'me');
    const changes: Array<{ parts: string[]; bodies: string[]; origin: unknown }> = [];
    const stop = observeAgreement(doc, (c) => changes.push({ parts: c.parts, bodies: c.sectionBodies, origin: c.transaction.origin }));
    const id = a.sections()[1]!.id;
    a.setSectionBody(id, paragraphsToRich(['Hej']));
    a.addGoal();
    doc.getMap('unrelated').set('x', 1);
    stop();
    a.addGoal();
    expect(changes).toEqual([
      { parts: ['sections'], bodies: [id], origin: 'me' },
      { parts: ['goals'], bodies: [], origin: 'me' },
    ]);
  });
});
