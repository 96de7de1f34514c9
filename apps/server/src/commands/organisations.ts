/**
 * Organisation commands: register (one organisation per number), request to join, accept/reject,
 * members' roles (an organisation keeps at least one administrator), e-mail domains, and the operator's
 * verification of organisations and domains. authorize → one transaction (the write + its mail in the
 * mail queue, so a rolled-back change sends nothing) → result.
 */
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Db, Tx } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import {
  organisationDomains,
  organisationInvitations,
  organisationJoinRequests,
  organisationMembers,
  organisations,
  users,
  type OrganisationKind,
  type OrganisationRole,
} from '../db/schema/index.ts';
import { DomainError } from '../domain/errors.ts';
import { enqueueMail, isMailEnabled } from '../mail/index.ts';
import { authorizeOperator, authorizeOrganisation, type OperatorCandidate, type OrganisationActor } from '../policies/organisations.ts';

export interface OrganisationCommandDeps {
  db: Db;
}

export interface CommandUser {
  id: string;
  name: string;
  email: string;
}

type OrgRow = typeof organisations.$inferSelect;

const notFound = () => new DomainError('not-found', 'not-found', 'No organisation with this id exists.');

/** The organisation registered with this number (not a kept duplicate), if any. */
export async function organisationByNumber(db: Db | Tx, orgNumber: string): Promise<OrgRow | null> {
  const [row] = await db
    .select()
    .from(organisations)
    .where(and(eq(organisations.orgNumber, orgNumber), isNull(organisations.duplicateOf)))
    .limit(1);
  return row ?? null;
}

function existsError(org: OrgRow): DomainError {
  return new DomainError(
    'conflict',
    'organisation-exists',
    `${org.name} (${org.orgNumber}) is already registered in Överens: request to join it (POST /api/organisations/${org.id}/join-requests) and one of its administrators will accept you.`,
    {
      field: 'orgNumber',
      fieldMessage: 'is already registered: request to join the organisation instead',
      messages: {
        sv: `${org.name} (${org.orgNumber}) finns redan — begär att gå med, så godkänner en av organisationens administratörer dig.`,
        en: `${org.name} (${org.orgNumber}) already exists — request to join, and one of its administrators will accept you.`,
      },
      extensions: { organisation: { id: org.id, name: org.name, kind: org.kind, orgNumber: org.orgNumber, verified: org.verifiedAt !== null } },
    },
  );
}

/** Registers an organisation; the registering user becomes its administrator. 409 `organisation-exists` for a known number. */
export async function registerOrganisation(
  deps: OrganisationCommandDeps,
  user: CommandUser,
  input: { name: string; kind: OrganisationKind; orgNumber: string; municipalityCode: string | null },
): Promise<OrgRow> {
  const existing = await organisationByNumber(deps.db, input.orgNumber);
  if (existing) throw existsError(existing);
  try {
    return await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(organisations)
        .values({ name: input.name, kind: input.kind, orgNumber: input.orgNumber, municipalityCode: input.municipalityCode, createdBy: user.id })
        .returning();
      if (!created) throw new Error('insert returned no row');
      await tx.insert(organisationMembers).values({ organisationId: created.id, userId: user.id, role: 'admin' });
      return created;
    });
  } catch (err) {
    // Two registrations of one number at once: the unique index lets one through.
    if (isUniqueViolation(err)) {
      const winner = await organisationByNumber(deps.db, input.orgNumber);
      if (winner) throw existsError(winner);
    }
    throw err;
  }
}

async function loadOrg(tx: Db | Tx, organisationId: string): Promise<OrgRow> {
  const [org] = await tx.select().from(organisations).where(eq(organisations.id, organisationId)).limit(1);
  if (!org) throw notFound();
  return org;
}

export async function organisationActor(tx: Db | Tx, organisationId: string, userId: string): Promise<OrganisationActor> {
  const [m] = await tx
    .select({ role: organisationMembers.role })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)))
    .limit(1);
  return { userId, role: m?.role ?? null };
}

const state = (org: OrgRow) => ({ duplicate: org.duplicateOf !== null });

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** Whether the user's verified address is at a verified domain of the organisation. */
async function recognisedByDomain(tx: Tx, organisationId: string, userId: string): Promise<boolean> {
  const [u] = await tx.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  if (!u?.verifiedAt) return false;
  const [d] = await tx
    .select({ domain: organisationDomains.domain })
    .from(organisationDomains)
    .where(
      and(
        eq(organisationDomains.organisationId, organisationId),
        eq(organisationDomains.domain, emailDomain(u.email)),
        sql`${organisationDomains.verifiedAt} is not null`,
      ),
    )
    .limit(1);
  return !!d;
}

export type JoinOutcome = { status: 'member'; role: OrganisationRole } | { status: 'pending'; requestId: string };

/**
 * Asks to join. A user whose verified address is at a verified domain of the organisation is a member at
 * once; everyone else gets a pending request, and every administrator gets a `join-request` mail.
 */
export async function requestToJoin(deps: OrganisationCommandDeps, user: CommandUser, organisationId: string, links: { organisation: string }): Promise<JoinOutcome> {
  return deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    authorizeOrganisation(await organisationActor(tx, organisationId, user.id), 'organisation.requestJoin', state(org));
    if (await recognisedByDomain(tx, organisationId, user.id)) {
      await tx.insert(organisationMembers).values({ organisationId, userId: user.id, role: 'member' }).onConflictDoNothing();
      await tx
        .update(organisationJoinRequests)
        .set({ status: 'accepted', decidedAt: new Date() })
        .where(and(eq(organisationJoinRequests.organisationId, organisationId), eq(organisationJoinRequests.userId, user.id), eq(organisationJoinRequests.status, 'pending')));
      return { status: 'member', role: 'member' } as const;
    }
    const [open] = await tx
      .select({ id: organisationJoinRequests.id })
      .from(organisationJoinRequests)
      .where(and(eq(organisationJoinRequests.organisationId, organisationId), eq(organisationJoinRequests.userId, user.id), eq(organisationJoinRequests.status, 'pending')))
      .limit(1);
    if (open) return { status: 'pending', requestId: open.id } as const; // asking twice is one request (and one mail)
    const [created] = await tx.insert(organisationJoinRequests).values({ organisationId, userId: user.id }).returning({ id: organisationJoinRequests.id });
    if (!created) throw new Error('insert returned no row');
    const admins = await tx
      .select({ email: users.email })
      .from(organisationMembers)
      .innerJoin(users, eq(users.id, organisationMembers.userId))
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'admin')));
    for (const a of admins) {
      await enqueueMail(tx, {
        kind: 'join-request',
        to: a.email,
        organisationName: org.name,
        requesterName: user.name,
        requesterEmail: user.email,
        link: links.organisation,
      });
    }
    return { status: 'pending', requestId: created.id } as const;
  });
}

/** An administrator accepts (the requester becomes a member) or rejects a pending request; the requester gets `join-decided`. */
export async function decideJoinRequest(
  deps: OrganisationCommandDeps,
  user: CommandUser,
  organisationId: string,
  requestId: string,
  accept: boolean,
  links: { organisation: string },
): Promise<{ status: 'accepted' | 'rejected'; userId: string }> {
  return deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    authorizeOrganisation(await organisationActor(tx, organisationId, user.id), 'organisation.decideJoin', state(org));
    const [req] = await tx
      .select({ id: organisationJoinRequests.id, userId: organisationJoinRequests.userId, status: organisationJoinRequests.status, email: users.email })
      .from(organisationJoinRequests)
      .innerJoin(users, eq(users.id, organisationJoinRequests.userId))
      .where(and(eq(organisationJoinRequests.id, requestId), eq(organisationJoinRequests.organisationId, organisationId)))
      .for('update', { of: organisationJoinRequests })
      .limit(1);
    if (!req) throw new DomainError('not-found', 'not-found', 'No such request to join this organisation.');
    if (req.status !== 'pending') {
      throw new DomainError('conflict', 'join-request-decided', `This request was already ${req.status}; reload the list of requests.`, {
        messages: { sv: `Begäran är redan ${req.status === 'accepted' ? 'godkänd' : 'avslagen'}; ladda om listan.`, en: `This request was already ${req.status}; reload the list.` },
      });
    }
    const status = accept ? 'accepted' : 'rejected';
    await tx.update(organisationJoinRequests).set({ status, decidedAt: new Date(), decidedBy: user.id }).where(eq(organisationJoinRequests.id, requestId));
    if (accept) await tx.insert(organisationMembers).values({ organisationId, userId: req.userId, role: 'member' }).onConflictDoNothing();
    await enqueueMail(tx, { kind: 'join-decided', to: req.email, organisationName: org.name, accepted: accept, link: links.organisation });
    return { status, userId: req.userId };
  });
}

function lastAdmin(): DomainError {
  return new DomainError('conflict', 'last-admin', 'An organisation keeps at least one administrator: make another member administrator first.', {
    messages: {
      sv: 'En organisation behåller alltid minst en administratör: gör en annan medlem till administratör först.',
      en: 'An organisation keeps at least one administrator: make another member administrator first.',
    },
  });
}

async function adminCount(tx: Tx, organisationId: string): Promise<number> {
  const rows = await tx
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'admin')))
    .for('update');
  return rows.length;
}

/** Changes a member's role (administrators), or removes a member (administrators; anyone for themselves). */
export async function changeOrganisationMember(
  deps: OrganisationCommandDeps,
  user: CommandUser,
  organisationId: string,
  targetUserId: string,
  change: { role: OrganisationRole } | { remove: true },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    const actor = await organisationActor(tx, organisationId, user.id);
    const leaving = 'remove' in change && targetUserId === user.id && actor.role !== null;
    if (!leaving) authorizeOrganisation(actor, 'organisation.manageMembers', state(org));
    const target = await organisationActor(tx, organisationId, targetUserId);
    if (target.role === null) throw new DomainError('not-found', 'not-found', 'This user is not a member of the organisation.');
    const demoted = 'remove' in change || change.role !== 'admin';
    if (target.role === 'admin' && demoted && (await adminCount(tx, organisationId)) <= 1) throw lastAdmin();
    const where = and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, targetUserId));
    if ('remove' in change) await tx.delete(organisationMembers).where(where);
    else await tx.update(organisationMembers).set({ role: change.role }).where(where);
  });
}

/** A domain as stored: lower-case, no leading "@" or dot. */
export function normaliseDomain(input: string): string | null {
  const d = input.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  return /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d) ? d : null;
}

/** An administrator lists an e-mail domain of the organisation (verified later by an operator). */
export async function addOrganisationDomain(deps: OrganisationCommandDeps, user: CommandUser, organisationId: string, domain: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    authorizeOrganisation(await organisationActor(tx, organisationId, user.id), 'organisation.manageDomains', state(org));
    await tx.insert(organisationDomains).values({ organisationId, domain, requestedBy: user.id }).onConflictDoNothing();
  });
}

export async function removeOrganisationDomain(deps: OrganisationCommandDeps, user: CommandUser, organisationId: string, domain: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    authorizeOrganisation(await organisationActor(tx, organisationId, user.id), 'organisation.manageDomains', state(org));
    await tx.delete(organisationDomains).where(and(eq(organisationDomains.organisationId, organisationId), eq(organisationDomains.domain, domain)));
  });
}

export interface OperatorContext {
  adminEmails: readonly string[];
  mailConfigured: boolean;
  operator: OperatorCandidate;
}

/** An operator marks an organisation verified (they checked who it is) or takes that back. */
export async function setOrganisationVerified(deps: OrganisationCommandDeps, op: OperatorContext, organisationId: string, verified: boolean): Promise<OrgRow> {
  authorizeOperator(op.adminEmails, op.operator, op.mailConfigured);
  return deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    if (verified && org.duplicateOf) {
      throw new DomainError('conflict', 'organisation-duplicate', 'This is a second registration of an organisation number, kept only for its agreements; verify the organisation registered first with this number.');
    }
    const [updated] = await tx
      .update(organisations)
      .set(verified ? { verifiedAt: org.verifiedAt ?? new Date(), verifiedBy: org.verifiedBy ?? op.operator.email } : { verifiedAt: null, verifiedBy: null })
      .where(eq(organisations.id, organisationId))
      .returning();
    return updated!;
  });
}

export async function setDomainVerified(deps: OrganisationCommandDeps, op: OperatorContext, organisationId: string, domain: string, verified: boolean): Promise<void> {
  authorizeOperator(op.adminEmails, op.operator, op.mailConfigured);
  await deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    if (verified && org.duplicateOf) throw new DomainError('conflict', 'organisation-duplicate', 'This is a second registration of an organisation number; verify the domain on the organisation registered first.');
    const [row] = await tx
      .update(organisationDomains)
      .set(verified ? { verifiedAt: new Date(), verifiedBy: op.operator.email } : { verifiedAt: null, verifiedBy: null })
      .where(and(eq(organisationDomains.organisationId, organisationId), eq(organisationDomains.domain, domain)))
      .returning({ domain: organisationDomains.domain });
    if (!row) throw new DomainError('not-found', 'not-found', `The organisation has not listed the domain ${domain}; its administrator adds it first.`);
  });
}

/* ----- invitations (an administrator invites an e-mail address) ----- */

type InvitationRow = typeof organisationInvitations.$inferSelect;

export interface CreatedOrganisationInvitation {
  id: string;
  email: string;
  role: OrganisationRole;
  expiresAt: Date;
  /** The link to pass on; always returned, so the UI can show it to copy when no mail is sent. */
  link: string;
  /** The address the link was mailed to (null: this installation sends no mail). */
  mailedTo: string | null;
}

/**
 * An administrator invites an e-mail address as administrator or member. The token is only in the link
 * (the row keeps its SHA-256); the `organisation-invitation` mail is queued in the same transaction.
 * An address that already belongs to a member is refused (409 already-member).
 */
export async function inviteToOrganisation(
  deps: OrganisationCommandDeps,
  user: CommandUser,
  organisationId: string,
  input: { email: string; role: OrganisationRole },
  opts: { linkFor: (token: string) => string; ttlDays: number },
): Promise<CreatedOrganisationInvitation> {
  const token = newToken();
  const email = input.email.trim().toLowerCase();
  return deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    authorizeOrganisation(await organisationActor(tx, organisationId, user.id), 'organisation.invite', state(org));
    const [member] = await tx
      .select({ userId: users.id })
      .from(users)
      .innerJoin(organisationMembers, and(eq(organisationMembers.userId, users.id), eq(organisationMembers.organisationId, organisationId)))
      .where(sql`lower(${users.email}) = ${email}`)
      .limit(1);
    if (member) {
      throw new DomainError('conflict', 'already-member', `${email} already belongs to a member of ${org.name}; there is nobody to invite.`, {
        field: 'email',
        fieldMessage: 'already belongs to a member of the organisation',
        messages: { sv: `${email} tillhör redan en medlem i ${org.name}.`, en: `${email} already belongs to a member of ${org.name}.` },
      });
    }
    const expiresAt = new Date(Date.now() + opts.ttlDays * 86_400_000);
    const id = hashToken(token);
    await tx.insert(organisationInvitations).values({ id, organisationId, email, role: input.role, invitedBy: user.id, expiresAt });
    const link = opts.linkFor(token);
    await enqueueMail(tx, { kind: 'organisation-invitation', to: email, organisationName: org.name, inviterName: user.name, role: input.role, link });
    return { id, email, role: input.role, expiresAt, link, mailedTo: isMailEnabled() ? email : null };
  });
}

/** Pending invitations (not used, withdrawn or expired), for the organisation's administrators. */
export async function listOrganisationInvitations(deps: OrganisationCommandDeps, user: CommandUser, organisationId: string) {
  const org = await loadOrg(deps.db, organisationId);
  authorizeOrganisation(await organisationActor(deps.db, organisationId, user.id), 'organisation.invite', state(org));
  return deps.db
    .select({
      id: organisationInvitations.id,
      email: organisationInvitations.email,
      role: organisationInvitations.role,
      invitedBy: users.name,
      createdAt: organisationInvitations.createdAt,
      expiresAt: organisationInvitations.expiresAt,
    })
    .from(organisationInvitations)
    .leftJoin(users, eq(users.id, organisationInvitations.invitedBy))
    .where(
      and(
        eq(organisationInvitations.organisationId, organisationId),
        isNull(organisationInvitations.acceptedAt),
        isNull(organisationInvitations.withdrawnAt),
        gt(organisationInvitations.expiresAt, new Date()),
      ),
    )
    .orderBy(asc(organisationInvitations.createdAt));
}

/** An administrator withdraws a pending invitation: its link stops working. */
export async function withdrawOrganisationInvitation(deps: OrganisationCommandDeps, user: CommandUser, organisationId: string, invitationId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const org = await loadOrg(tx, organisationId);
    authorizeOrganisation(await organisationActor(tx, organisationId, user.id), 'organisation.invite', state(org));
    const [row] = await tx
      .update(organisationInvitations)
      .set({ withdrawnAt: new Date() })
      .where(
        and(
          eq(organisationInvitations.id, invitationId),
          eq(organisationInvitations.organisationId, organisationId),
          isNull(organisationInvitations.acceptedAt),
          isNull(organisationInvitations.withdrawnAt),
        ),
      )
      .returning({ id: organisationInvitations.id });
    if (!row) throw new DomainError('not-found', 'not-found', 'No pending invitation with this id in the organisation (it was used or withdrawn already); reload the list.');
  });
}

const invitationInvalid = () =>
  new DomainError('gone', 'organisation-invitation-invalid', 'This invitation link is unknown, used, withdrawn or expired: ask an administrator of the organisation for a new one.', {
    messages: {
      sv: 'Inbjudningslänken är okänd, redan använd, återkallad eller för gammal: be en administratör i organisationen om en ny.',
      en: 'This invitation link is unknown, used, withdrawn or expired: ask an administrator of the organisation for a new one.',
    },
  });

function usable(row: InvitationRow | undefined): InvitationRow {
  if (!row || row.acceptedAt || row.withdrawnAt || row.expiresAt.getTime() <= Date.now()) throw invitationInvalid();
  return row;
}

export interface OrganisationInvitationPreview {
  organisationId: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  verified: boolean;
  email: string;
  role: OrganisationRole;
  invitedBy: string | null;
  expiresAt: Date;
}

/** What a link holder sees before signing in (the token is the secret): which organisation, who invited. 410 when not usable. */
export async function previewOrganisationInvitation(deps: OrganisationCommandDeps, token: string): Promise<OrganisationInvitationPreview> {
  const [row] = await deps.db
    .select({ inv: organisationInvitations, org: organisations, inviter: users.name })
    .from(organisationInvitations)
    .innerJoin(organisations, eq(organisations.id, organisationInvitations.organisationId))
    .leftJoin(users, eq(users.id, organisationInvitations.invitedBy))
    .where(eq(organisationInvitations.id, hashToken(token)))
    .limit(1);
  const inv = usable(row?.inv);
  return {
    organisationId: inv.organisationId,
    organisationName: row!.org.name,
    organisationKind: row!.org.kind,
    verified: row!.org.verifiedAt !== null,
    email: inv.email,
    role: inv.role,
    invitedBy: row!.inviter,
    expiresAt: inv.expiresAt,
  };
}

/**
 * The signed-in link holder joins at once with the invited role (no request). Single use: the row is
 * locked and marked used in the same transaction. A member already gets 409 already-member (the link
 * stays usable for the person it was meant for). An open request to join is marked accepted.
 */
export async function acceptOrganisationInvitation(deps: OrganisationCommandDeps, user: CommandUser, token: string): Promise<{ organisationId: string; role: OrganisationRole }> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(organisationInvitations).where(eq(organisationInvitations.id, hashToken(token))).for('update').limit(1);
    const inv = usable(row);
    const org = await loadOrg(tx, inv.organisationId);
    authorizeOrganisation(await organisationActor(tx, inv.organisationId, user.id), 'organisation.acceptInvitation', state(org));
    await tx.update(organisationInvitations).set({ acceptedAt: new Date(), acceptedBy: user.id }).where(eq(organisationInvitations.id, inv.id));
    await tx.insert(organisationMembers).values({ organisationId: inv.organisationId, userId: user.id, role: inv.role });
    await tx
      .update(organisationJoinRequests)
      .set({ status: 'accepted', decidedAt: new Date(), decidedBy: inv.invitedBy })
      .where(and(eq(organisationJoinRequests.organisationId, inv.organisationId), eq(organisationJoinRequests.userId, user.id), eq(organisationJoinRequests.status, 'pending')));
    return { organisationId: inv.organisationId, role: inv.role };
  });
}
