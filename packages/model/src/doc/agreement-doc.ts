import type * as Y from 'yjs';
import type {
  AgreementSnapshot,
  Attachment,
  ChecklistAnswer,
  ChecklistKey,
  ContactPerson,
  PartySnapshot,
  PeriodSnapshot,
  RichNode,
  SectionMark,
  Signatory,
} from '../types.ts';
import * as attachments from './attachments.ts';
import * as checklist from './checklist.ts';
import * as contributions from './contributions.ts';
import * as goals from './goals.ts';
import { getMeta, isInitialised } from './meta.ts';
import { observeAgreement, installAgreedSectionReset, type AgreementChange } from './observe.ts';
import * as parties from './parties.ts';
import * as period from './period.ts';
import * as sections from './sections.ts';
import { snapshotAgreement } from './snapshot.ts';

/**
 * Typed facade over an agreement Y.Doc. Every write runs in one transaction with `origin`
 * (so providers, undo managers and the server can tell who changed what). The functions it calls are
 * exported too, for callers that prefer plain functions.
 */
export class AgreementDoc {
  constructor(
    readonly doc: Y.Doc,
    readonly origin: unknown = null,
  ) {}

  private tx<T>(fn: () => T): T {
    let out!: T;
    this.doc.transact(() => {
      out = fn();
    }, this.origin);
    return out;
  }

  get initialised(): boolean {
    return isInitialised(this.doc);
  }
  meta() {
    return getMeta(this.doc);
  }
  snapshot(title: string): AgreementSnapshot {
    return snapshotAgreement(this.doc, { title });
  }
  observe(cb: (change: AgreementChange) => void): () => void {
    return observeAgreement(this.doc, cb);
  }
  installAgreedSectionReset(resolveMark: (tr: Y.Transaction) => SectionMark | null): () => void {
    return installAgreedSectionReset(this.doc, resolveMark);
  }

  /* sections */
  sections() {
    return sections.listSections(this.doc);
  }
  sectionBody(id: string): Y.XmlFragment {
    return sections.getSectionBody(this.doc, id);
  }
  sectionRichBody(id: string): RichNode {
    return sections.getSectionRichBody(this.doc, id);
  }
  sectionMarks(id: string) {
    return sections.getSectionMarks(this.doc, id);
  }
  addSection(input: sections.NewSection): string {
    return this.tx(() => sections.addSection(this.doc, input));
  }
  renameSection(id: string, title: string): void {
    this.tx(() => sections.renameSection(this.doc, id, title));
  }
  moveSection(id: string, toIndex: number): void {
    this.tx(() => sections.moveSection(this.doc, id, toIndex));
  }
  removeSection(id: string): void {
    this.tx(() => sections.removeSection(this.doc, id));
  }
  setSectionBody(id: string, body: RichNode): void {
    this.tx(() => sections.setSectionBody(this.doc, id, body));
  }
  setSectionReadyForReview(id: string, mark: SectionMark | null): void {
    this.tx(() => sections.setSectionReadyForReview(this.doc, id, mark));
  }
  setSectionAgreed(id: string, partyId: string, mark: SectionMark | null): void {
    this.tx(() => sections.setSectionAgreed(this.doc, id, partyId, mark));
  }
  resetSectionAgreementOnEdit(id: string, by: SectionMark): boolean {
    return this.tx(() => sections.resetSectionAgreementOnEdit(this.doc, id, by));
  }

  /* parties */
  parties(): PartySnapshot[] {
    return parties.listParties(this.doc);
  }
  addParty(input: parties.PartyInput): void {
    this.tx(() => parties.addParty(this.doc, input));
  }
  updateParty(id: string, patch: parties.PartyPatch): void {
    this.tx(() => parties.updateParty(this.doc, id, patch));
  }
  removeParty(id: string): void {
    this.tx(() => parties.removeParty(this.doc, id));
  }
  addContact(partyId: string, contact: Partial<ContactPerson> = {}): string {
    return this.tx(() => parties.addContact(this.doc, partyId, contact));
  }
  updateContact(partyId: string, contactId: string, patch: Partial<Omit<ContactPerson, 'id'>>): void {
    this.tx(() => parties.updateContact(this.doc, partyId, contactId, patch));
  }
  removeContact(partyId: string, contactId: string): void {
    this.tx(() => parties.removeContact(this.doc, partyId, contactId));
  }
  addSignatory(partyId: string, signatory: Partial<Signatory> = {}): string {
    return this.tx(() => parties.addSignatory(this.doc, partyId, signatory));
  }
  updateSignatory(partyId: string, signatoryId: string, patch: Partial<Omit<Signatory, 'id'>>): void {
    this.tx(() => parties.updateSignatory(this.doc, partyId, signatoryId, patch));
  }
  removeSignatory(partyId: string, signatoryId: string): void {
    this.tx(() => parties.removeSignatory(this.doc, partyId, signatoryId));
  }

  /* goals */
  goals() {
    return goals.listGoals(this.doc);
  }
  addGoal(initial: Parameters<typeof goals.addGoal>[1] = {}, index?: number): string {
    return this.tx(() => goals.addGoal(this.doc, initial, index));
  }
  updateGoal(id: string, patch: goals.GoalPatch, options?: { resetAcceptance?: boolean }): void {
    this.tx(() => goals.updateGoal(this.doc, id, patch, options));
  }
  removeGoal(id: string): void {
    this.tx(() => goals.removeGoal(this.doc, id));
  }
  setGoalAccepted(id: string, partyId: string, accepted: boolean): void {
    this.tx(() => goals.setGoalAccepted(this.doc, id, partyId, accepted));
  }

  /* contributions */
  contributions() {
    return contributions.listContributions(this.doc);
  }
  addContribution(initial: Parameters<typeof contributions.addContribution>[1] = {}, index?: number): string {
    return this.tx(() => contributions.addContribution(this.doc, initial, index));
  }
  updateContribution(id: string, patch: contributions.ContributionPatch): void {
    this.tx(() => contributions.updateContribution(this.doc, id, patch));
  }
  removeContribution(id: string): void {
    this.tx(() => contributions.removeContribution(this.doc, id));
  }

  /* period, checklist, attachments */
  period(): PeriodSnapshot {
    return period.getPeriod(this.doc);
  }
  setPeriod(patch: Partial<PeriodSnapshot>): void {
    this.tx(() => period.setPeriod(this.doc, patch));
  }
  checklist(): Record<ChecklistKey, ChecklistAnswer> {
    return checklist.getChecklist(this.doc);
  }
  setChecklistAnswer(key: ChecklistKey, patch: Partial<ChecklistAnswer>): void {
    this.tx(() => checklist.setChecklistAnswer(this.doc, key, patch));
  }
  attachments(): Attachment[] {
    return attachments.listAttachments(this.doc);
  }
  addAttachment(input: Partial<Attachment> = {}, index?: number): string {
    return this.tx(() => attachments.addAttachment(this.doc, input, index));
  }
  updateAttachment(id: string, patch: Partial<Omit<Attachment, 'id'>>): void {
    this.tx(() => attachments.updateAttachment(this.doc, id, patch));
  }
  removeAttachment(id: string): void {
    this.tx(() => attachments.removeAttachment(this.doc, id));
  }
  moveAttachment(id: string, toIndex: number): void {
    this.tx(() => attachments.moveAttachment(this.doc, id, toIndex));
  }
}
