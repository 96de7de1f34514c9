/**
 * The rules: who may do what on an agreement. The only place they live (Outline's cancan style: one
 * predicate per action). Everything else asks `can()` / `authorize()` in ./index.ts.
 *
 * Read this file as the answer to "can a <role> of <party> do <action> while the agreement is
 * <draft|locked>?"; policies.test.ts walks every combination.
 */
import type { MemberRole } from '../db/schema/index.ts';

/** A member as the rules see them; null = not a member (or no such agreement). */
export interface Actor {
  userId: string;
  role: MemberRole;
  partyId: string;
  signatory: boolean;
}

export interface AgreementState {
  status: 'draft' | 'locked';
}

/** What an action is about, when it is about something within the agreement. */
export interface Target {
  /** The party the target belongs to (a member, an internal comment, an event's audience). */
  partyId?: string | null;
  /** The user the target is (a member) or whose it is (a comment's author). */
  userId?: string | null;
}

export const ACTIONS = [
  'agreement.read',
  'agreement.rename',
  'agreement.archive',
  'document.edit',
  'document.suggest',
  'suggestion.decide',
  'section.markAgreed',
  'comment.create',
  'comment.resolve',
  'comment.editOwn',
  'comment.readInternal',
  'member.manage',
  'member.leave',
  'party.remove',
  'invitation.create',
  'approval.give',
  'agreement.unlock',
  'import.apply',
  'version.create',
  'version.restore',
  'export.draft',
  'export.signing',
  'event.receive',
  'signedCopy.upload',
  'signedCopy.read',
  'followUp.read',
  'measurement.record',
  'measurement.confirm',
  'measurement.comment',
  'followUp.report',
  'revision.start',
  'revision.withdraw',
] as const;
export type Action = (typeof ACTIONS)[number];

type Rule = (actor: Actor, agreement: AgreementState, target: Target) => boolean;

const editor = (a: Actor) => a.role === 'editor';
const writer = (a: Actor) => a.role === 'editor' || a.role === 'commenter';
const draft = (g: AgreementState) => g.status === 'draft';
const ownParty = (a: Actor, t: Target) => t.partyId != null && t.partyId === a.partyId;

/** Non-members never get past `can()`; every rule below is for members. */
export const RULES: Record<Action, Rule> = {
  'agreement.read': () => true,
  // The title is part of the signed text: it can change only while the agreement is a draft.
  'agreement.rename': (a, g) => editor(a) && draft(g),
  'agreement.archive': (a) => editor(a),
  // Locked = final: nobody edits the text, not even editors (the sync endpoint's read-only decision).
  'document.edit': (a, g) => editor(a) && draft(g),
  // Suggesting is what a commenter does in a negotiation (issue #16); editors may choose it too.
  'document.suggest': (a, g) => writer(a) && draft(g),
  // Accepting or rejecting a suggestion changes the text: editors of a draft.
  'suggestion.decide': (a, g) => editor(a) && draft(g),
  'section.markAgreed': (a, g) => editor(a) && draft(g),
  // Comments keep working on a locked agreement (questions about the final text).
  'comment.create': (a) => writer(a),
  'comment.resolve': (a) => writer(a),
  'comment.editOwn': (a, _g, t) => writer(a) && t.userId === a.userId,
  'comment.readInternal': (a, _g, t) => ownParty(a, t),
  // Every party controls who speaks for it: editors manage their own party's members only.
  'member.manage': (a, _g, t) => editor(a) && ownParty(a, t),
  'member.leave': (a, _g, t) => t.userId === a.userId,
  // A party leaves the agreement as a whole, by its own editors, while it is a draft (commands/parties.ts
  // also refuses once anyone has approved, and for the last party).
  'party.remove': (a, g, t) => editor(a) && draft(g) && ownParty(a, t),
  'invitation.create': (a, g) => editor(a) && draft(g),
  'approval.give': (a, g) => a.signatory && draft(g),
  'agreement.unlock': (a, g) => editor(a) && !draft(g),
  'import.apply': (a, g) => editor(a) && draft(g),
  'version.create': (a) => editor(a),
  'version.restore': (a, g) => editor(a) && draft(g),
  'export.draft': () => true,
  'export.signing': (_a, g) => !draft(g),
  // An event with a party audience (an internal comment) only reaches that party's members.
  'event.receive': (a, _g, t) => t.partyId == null || ownParty(a, t),
  // The signed copy comes back after signing the locked final version: its editors or signatories upload it.
  'signedCopy.upload': (a, g) => !draft(g) && (editor(a) || a.signatory),
  'signedCopy.read': () => true,
  // Follow-up works on the signed final version (commands check that one exists), also while an
  // amendment is being drafted: the signed text stays in force until the next one is signed.
  'followUp.read': () => true,
  // The goal's responsible party (the target) measures it, through its editors.
  'measurement.record': (a, _g, t) => editor(a) && ownParty(a, t),
  // Transparency, together: an editor of another party than the recorder's (the target) confirms.
  'measurement.confirm': (a, _g, t) => editor(a) && t.partyId != null && t.partyId !== a.partyId,
  'measurement.comment': (a) => writer(a),
  'followUp.report': () => true,
  // "Ändra eller förläng": an editor reopens a signed (locked) agreement as an amendment or renewal.
  'revision.start': (a, g) => editor(a) && !draft(g),
  // Back to the signed version while the revision's text is still the signed text (commands/revisions.ts).
  'revision.withdraw': (a, g) => editor(a) && draft(g),
};
