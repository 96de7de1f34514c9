/**
 * Authorization: `can(actor, action, agreement, target?)` answers, `authorize(...)` throws a domain
 * error that says what to do instead. Rules are in ./rules.ts; see README.md.
 */
import { agreementNotFoundError, DomainError } from '../domain/errors.ts';
import { ACTIONS, RULES, type Action, type Actor, type AgreementState, type Target } from './rules.ts';

export { ACTIONS, type Action, type Actor, type AgreementState, type Target } from './rules.ts';

export function can(actor: Actor | null, action: Action, agreement: AgreementState | null, target: Target = {}): boolean {
  if (!actor || !agreement) return false;
  return RULES[action](actor, agreement, target);
}

/** What the action needs, to complete "… is not allowed: <why>". */
const WHY: Record<Action, (a: Actor, g: AgreementState) => string> = {
  'agreement.read': () => 'you are not a member of the agreement.',
  'agreement.rename': (a, g) => (g.status === 'locked' ? 'the agreement is locked as final; unlock it first.' : onlyEditors(a, 'rename the agreement')),
  'agreement.archive': (a) => onlyEditors(a, 'archive or restore the agreement'),
  'document.edit': (a, g) => (g.status === 'locked' ? 'the agreement is locked as final; unlock it first.' : onlyEditors(a, 'edit the text')),
  'document.suggest': (_a, g) =>
    g.status === 'locked' ? 'the agreement is locked as final; unlock it first.' : 'Viewers cannot suggest changes: ask an editor of the agreement for the commenter or editor role.',
  'suggestion.decide': (a, g) => (g.status === 'locked' ? 'the agreement is locked as final; unlock it first.' : onlyEditors(a, 'accept or reject suggestions')),
  'section.markAgreed': (a, g) => (g.status === 'locked' ? 'the agreement is locked as final.' : onlyEditors(a, 'mark sections as agreed')),
  'comment.create': () => 'Viewers cannot comment: ask an editor of the agreement for the commenter or editor role.',
  'comment.resolve': () => 'Viewers cannot resolve comments: ask an editor of the agreement for the commenter or editor role.',
  'comment.editOwn': () => 'You can only edit or delete your own comments.',
  'comment.readInternal': () => "internal comments are only for the members of the author's party.",
  'member.manage': (a) =>
    a.role === 'editor'
      ? "Members of another party are managed by that party's editors; ask them to make this change."
      : onlyEditors(a, "change members' roles or remove members"),
  'member.leave': () => 'you can only leave for yourself; an editor of your party removes others.',
  'party.remove': (a, g) =>
    g.status === 'locked'
      ? 'the agreement is locked as final; a party can no longer be removed.'
      : a.role === 'editor'
        ? "Only a party's own editors can remove it from the agreement; ask that party's editors."
        : onlyEditors(a, 'remove your party from the agreement'),
  'invitation.create': (a, g) => (g.status === 'locked' ? 'the agreement is locked as final; nobody can join it any more.' : onlyEditors(a, 'invite people')),
  'approval.give': (_a, g) =>
    g.status === 'locked'
      ? 'The agreement is locked as a final version; unlock it (with a reason) before approving again.'
      : 'Only members with the signatory flag (firmatecknare) can approve the agreement for signing; ask an editor of your party to set it.',
  'agreement.unlock': (a, g) => (g.status === 'draft' ? 'The agreement is not locked; there is nothing to unlock.' : onlyEditors(a, 'unlock the final version')),
  'import.apply': (a, g) => (g.status === 'locked' ? 'The agreement is locked as a final version; unlock it before importing.' : onlyEditors(a, 'import a document')),
  'version.create': (a) => onlyEditors(a, 'save versions'),
  'version.restore': (a, g) => (g.status === 'locked' ? 'the agreement is locked as final; unlock it before restoring a version.' : onlyEditors(a, 'restore versions')),
  'export.draft': () => 'you are not a member of the agreement.',
  'export.signing': () => 'a signing-ready document comes only from a locked final version; have every signatory approve first.',
  'event.receive': () => 'the event is for another party.',
  'signedCopy.upload': (a, g) =>
    g.status === 'draft'
      ? 'a signed copy belongs to a locked final version; have every signatory approve first, then sign and upload it.'
      : 'Only editors and signatories (firmatecknare) can upload the signed copy; ask one of them.',
  'signedCopy.read': () => 'you are not a member of the agreement.',
  'followUp.read': () => 'you are not a member of the agreement.',
  'measurement.record': (a) =>
    a.role === 'editor'
      ? "Only the goal's responsible party records its measurements; ask that party's editors, or confirm or comment on their measurement."
      : onlyEditors(a, 'record measurements'),
  'measurement.confirm': (a) =>
    a.role === 'editor'
      ? 'A measurement is confirmed by another party than the one that recorded it; comment on it instead.'
      : onlyEditors(a, 'confirm measurements'),
  'measurement.comment': () => 'Viewers cannot comment: ask an editor of the agreement for the commenter or editor role.',
  'followUp.report': () => 'you are not a member of the agreement.',
  'revision.start': (a, g) =>
    g.status === 'draft' ? 'The agreement is not signed (locked) yet: change the draft directly instead of starting an amendment.' : onlyEditors(a, 'start an amendment or renewal'),
  'revision.withdraw': (a, g) => (g.status === 'locked' ? 'The agreement is signed and no amendment or renewal is being drafted.' : onlyEditors(a, 'withdraw an amendment or renewal')),
};

/** A refusal (403) with a more precise code than `forbidden`, for clients that act on it. */
const FORBIDDEN_CODES: Partial<Record<Action, (a: Actor) => string>> = {
  'measurement.record': (a) => (a.role === 'editor' ? 'not-responsible-party' : 'forbidden'),
  'measurement.confirm': (a) => (a.role === 'editor' ? 'own-measurement' : 'forbidden'),
};

function onlyEditors(a: Actor, what: string): string {
  return `Only editors can ${what}; your role on this agreement is ${a.role}. Ask an editor to change your role.`;
}

/** Refused because of the lock state (409: the state must change first), or because of who you are (403). */
function refusalKind(action: Action, actor: Actor, g: AgreementState, target: Target): { kind: 'forbidden' | 'conflict'; code: string } {
  if (g.status === 'locked' && RULES[action](actor, { status: 'draft' }, target)) return { kind: 'conflict', code: 'agreement-locked' };
  if (g.status === 'draft' && RULES[action](actor, { status: 'locked' }, target)) return { kind: 'conflict', code: 'agreement-not-locked' };
  return { kind: 'forbidden', code: FORBIDDEN_CODES[action]?.(actor) ?? 'forbidden' };
}

/** Throws unless `can(...)`: 404 for non-members (no existence leak), 409 when the lock is in the way, else 403. */
export function authorize(actor: Actor | null, action: Action, agreement: AgreementState | null, target: Target = {}): asserts actor is Actor {
  if (!actor || !agreement) throw agreementNotFoundError();
  if (can(actor, action, agreement, target)) return;
  const { kind, code } = refusalKind(action, actor, agreement, target);
  throw new DomainError(kind, code, WHY[action](actor, agreement));
}

/** The abilities the UI needs, next to the agreement in API responses (`policies`). */
export type Abilities = Record<Action, boolean>;

export function abilities(actor: Actor | null, agreement: AgreementState | null): Abilities {
  const out = {} as Abilities;
  // Party-scoped actions are answered for the actor's own party and own things (the common UI question).
  const own: Target = actor ? { partyId: actor.partyId, userId: actor.userId } : {};
  for (const action of ACTIONS) out[action] = can(actor, action, agreement, own);
  return out;
}
