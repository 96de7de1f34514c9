/**
 * Organisation-scoped rules: who may manage an organisation (its administrators), who verifies
 * organisations and their e-mail domains (operators, OVERENS_ADMIN_EMAILS), and the signing gate
 * (a kommun or region must be verified before an agreement naming it is exported signing-ready).
 * Like ./rules.ts for agreements, this is the one place these rules live; organisations.test.ts is the table.
 */
import { DomainError } from '../domain/errors.ts';
import type { OrganisationKind, OrganisationRole } from '../db/schema/index.ts';

export const ORGANISATION_ACTIONS = [
  'organisation.read',
  'organisation.manageMembers',
  'organisation.decideJoin',
  'organisation.manageDomains',
  'organisation.requestJoin',
  'organisation.invite',
  'organisation.acceptInvitation',
] as const;
export type OrganisationAction = (typeof ORGANISATION_ACTIONS)[number];

/** The caller as organisation rules see them: their role in this organisation (null = not a member). */
export interface OrganisationActor {
  userId: string;
  role: OrganisationRole | null;
}

export interface OrganisationState {
  /** A registration made before numbers were unique, kept for its agreements (it takes no new members). */
  duplicate: boolean;
}

const admin = (a: OrganisationActor) => a.role === 'admin';

export const ORGANISATION_RULES: Record<OrganisationAction, (a: OrganisationActor, o: OrganisationState) => boolean> = {
  'organisation.read': (a) => a.role !== null,
  'organisation.manageMembers': (a) => admin(a),
  'organisation.decideJoin': (a, o) => admin(a) && !o.duplicate,
  'organisation.manageDomains': (a, o) => admin(a) && !o.duplicate,
  'organisation.requestJoin': (a, o) => a.role === null && !o.duplicate,
  // Inviting, listing and withdrawing invitations.
  'organisation.invite': (a, o) => admin(a) && !o.duplicate,
  // Whoever holds the link joins; a member already is one (409).
  'organisation.acceptInvitation': (a, o) => a.role === null && !o.duplicate,
};

export function canOnOrganisation(actor: OrganisationActor, action: OrganisationAction, org: OrganisationState): boolean {
  return ORGANISATION_RULES[action](actor, org);
}

const WHY: Record<OrganisationAction, (a: OrganisationActor, o: OrganisationState) => DomainError> = {
  'organisation.read': () => new DomainError('not-found', 'not-found', 'No organisation with this id exists, or you are not a member of it.'),
  'organisation.manageMembers': () => onlyAdmins('manage its members'),
  'organisation.decideJoin': (a, o) => (o.duplicate && admin(a) ? duplicateError() : onlyAdmins('accept or reject requests to join')),
  'organisation.manageDomains': (a, o) => (o.duplicate && admin(a) ? duplicateError() : onlyAdmins('add or remove its e-mail domains')),
  'organisation.invite': (a, o) => (o.duplicate && admin(a) ? duplicateError() : onlyAdmins('invite people, or see and withdraw its invitations')),
  'organisation.acceptInvitation': (a, o) => (o.duplicate ? duplicateError() : alreadyMember(a)),
  'organisation.requestJoin': (a, o) =>
    o.duplicate
      ? duplicateError()
      : new DomainError('conflict', 'already-member', `You are already ${a.role === 'admin' ? 'an administrator' : 'a member'} of this organisation.`, {
          messages: { sv: 'Du är redan medlem i organisationen.', en: 'You are already a member of this organisation.' },
        }),
};

function alreadyMember(a: OrganisationActor): DomainError {
  return new DomainError('conflict', 'already-member', `You are already ${a.role === 'admin' ? 'an administrator' : 'a member'} of this organisation.`, {
    messages: { sv: 'Du är redan medlem i organisationen.', en: 'You are already a member of this organisation.' },
  });
}

function onlyAdmins(what: string): DomainError {
  return new DomainError('forbidden', 'forbidden', `Only an administrator of this organisation can ${what}; ask one of its administrators.`);
}

function duplicateError(): DomainError {
  return new DomainError(
    'conflict',
    'organisation-duplicate',
    'This is a second registration of an organisation number, kept only for the agreements made with it; join the organisation registered first with this number instead.',
  );
}

/** Throws the domain error that says what to do unless the actor may. */
export function authorizeOrganisation(actor: OrganisationActor, action: OrganisationAction, org: OrganisationState): void {
  if (canOnOrganisation(actor, action, org)) return;
  // Non-members learn nothing about an organisation beyond what its join flow shows.
  if (actor.role === null && action !== 'organisation.requestJoin' && action !== 'organisation.acceptInvitation') throw WHY['organisation.read'](actor, org);
  throw WHY[action](actor, org);
}

/* ----- operators ----- */

export interface OperatorCandidate {
  email: string;
  emailVerifiedAt: Date | null;
}

/**
 * An operator is a user whose address is listed in OVERENS_ADMIN_EMAILS. When mail can be sent
 * (`mailConfigured`) the address must also be verified, so that registering an operator's address
 * first does not make a stranger an operator; without mail nobody could verify it, and the deployer's
 * list is all there is (register the operator's account before you publish the deployment).
 */
export function isOperator(adminEmails: readonly string[], user: OperatorCandidate, mailConfigured: boolean): boolean {
  if (!adminEmails.includes(user.email.trim().toLowerCase())) return false;
  return !mailConfigured || user.emailVerifiedAt !== null;
}

export function authorizeOperator(adminEmails: readonly string[], user: OperatorCandidate, mailConfigured: boolean): void {
  if (isOperator(adminEmails, user, mailConfigured)) return;
  throw new DomainError(
    'forbidden',
    'operator-only',
    adminEmails.length === 0
      ? 'Only an operator of this Överens installation can do this, and none is configured: the deployer names operators in OVERENS_ADMIN_EMAILS.'
      : 'Only an operator of this Överens installation can do this (the addresses in OVERENS_ADMIN_EMAILS, with a verified e-mail address).',
    { messages: { sv: 'Bara en operatör för den här Överens-installationen kan göra detta.', en: 'Only an operator of this Överens installation can do this.' } },
  );
}

/* ----- the signing gate ----- */

export interface GateParty {
  id: string;
  name: string;
  kind: OrganisationKind;
  verified: boolean;
}

/** The public parties (kommun, region) that must be verified before signing and are not. */
export function unverifiedPublicParties<P extends GateParty>(parties: readonly P[]): P[] {
  return parties.filter((p) => (p.kind === 'kommun' || p.kind === 'region') && !p.verified);
}

/**
 * Refuses a signing-ready document naming an unverified kommun or region (unless the deployment turned
 * the rule off): 409 `unverified-public-party`, naming the parties and who verifies them.
 */
export function authorizeSigningParties(parties: readonly GateParty[], opts: { required: boolean; operators: readonly string[] }): void {
  if (!opts.required) return;
  const missing = unverifiedPublicParties(parties);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name).join(', ');
  const who = opts.operators.length > 0 ? opts.operators.join(', ') : null;
  const en = `${names} ${missing.length === 1 ? 'is' : 'are'} not verified: a kommun or region must be verified by an operator before the agreement can be exported for signing. Ask the operator of this Överens installation (${who ?? 'none is configured: the deployer names operators in OVERENS_ADMIN_EMAILS'}) to verify ${missing.length === 1 ? 'it' : 'them'} on the admin page; meanwhile export a draft.`;
  const sv = `${names} är inte ${missing.length === 1 ? 'verifierad' : 'verifierade'}: en kommun eller region måste verifieras av en operatör innan överenskommelsen kan exporteras för underskrift. Be operatören för den här Överens-installationen (${who ?? 'ingen är angiven: den som driftar tjänsten anger operatörer i OVERENS_ADMIN_EMAILS'}) att verifiera ${missing.length === 1 ? 'den' : 'dem'} på administrationssidan; exportera ett utkast så länge.`;
  throw new DomainError('conflict', 'unverified-public-party', en, {
    messages: { sv, en },
    extensions: { parties: missing.map((p) => ({ id: p.id, name: p.name, kind: p.kind })), operators: opts.operators },
  });
}
