/**
 * Invitation commands: create a link (editors of a draft agreement) and accept it (join a party, or
 * bring a new party). Accepting writes the membership, the audit row and one outbox row in one
 * transaction; the outbox adds a new party to the document and tells everyone's member list.
 */
import { and, eq, isNull, max } from 'drizzle-orm';
import { getMembership } from '../agreements/membership.ts';
import { hashToken } from '../auth/tokens.ts';
import { recordAudit } from '../audit/service.ts';
import { agreementMembers, agreementParties, agreements, invitations, organisationMembers, organisations, users, type MemberRole, type SyncEffect } from '../db/schema/index.ts';
import { reconcileSignatories, reconcileSignatoriesOfUser } from '../approvals/signatories.ts';
import { conflictError, DomainError, goneError, invalidFieldError } from '../domain/errors.ts';
import { requireOrganisationMember } from '../organisations/service.ts';
import { enqueueMail, isMailEnabled } from '../mail/index.ts';
import { writeOutbox } from '../outbox/writer.ts';
import { authorize } from '../policies/index.ts';
import type { CommandDeps, CommandUser, MemberCommandDeps } from './members.ts';

type InvitationRow = typeof invitations.$inferSelect;

/** 404 unknown token, 410 used or expired; each names `token` and says what to do. */
export function checkUsable(inv: InvitationRow | undefined): InvitationRow {
  if (!inv) {
    throw new DomainError('not-found', 'invitation-not-found', 'No invitation has this token. Check that you copied the whole link, or ask for a new invitation.', {
      field: 'token',
      fieldMessage: 'is not a valid invitation: ask for a new link',
    });
  }
  if (inv.acceptedAt) throw goneError('token', 'this invitation has already been used; ask the person who invited you for a new link', 'invitation-used');
  if (inv.expiresAt.getTime() <= Date.now()) throw goneError('token', 'this invitation has expired; ask the person who invited you for a new link', 'invitation-expired');
  return inv;
}

export interface NewInvitation {
  role: MemberRole;
  signatory?: boolean;
  newParty?: boolean;
  expiresInDays?: number;
  /** Mail the link to this address (in this transaction, when SMTP is configured). */
  email?: string;
  /** The absolute invitation link (for the mail). */
  link?: string;
}

export async function createInvitation(deps: CommandDeps, user: CommandUser, agreementId: string, token: string, input: NewInvitation, defaultTtlDays: number) {
  const newParty = input.newParty ?? false;
  const expiresAt = new Date(Date.now() + (input.expiresInDays ?? defaultTtlDays) * 86_400_000);
  const row = await deps.db.transaction(async (tx) => {
    const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, agreementId));
    const me = await getMembership(tx, agreementId, user.id);
    authorize(me, 'invitation.create', agreement ?? null);
    if (agreement!.archivedAt) throw conflictError('id', 'the agreement is archived; restore it (PATCH archived: false) before inviting');
    const [inserted] = await tx
      .insert(invitations)
      .values({
        tokenHash: hashToken(token),
        agreementId,
        role: input.role,
        signatory: input.signatory ?? false,
        newParty,
        partyId: newParty ? null : me.partyId,
        createdBy: user.id,
        expiresAt,
      })
      .returning({ id: invitations.id });
    if (!inserted) throw new Error('insert returned no row');
    await recordAudit(tx, {
      agreementId,
      type: 'invitation.created',
      actor: { id: user.id, name: user.name },
      data: { invitationId: inserted.id, role: input.role, signatory: input.signatory ?? false, newParty, partyId: newParty ? null : me.partyId, expiresAt: expiresAt.toISOString() },
    });
    if (input.email && input.link && isMailEnabled()) {
      const [party] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, me.partyId));
      await enqueueMail(tx, {
        kind: 'invitation',
        to: input.email,
        agreementTitle: agreement!.title,
        inviterName: user.name,
        inviterOrganisation: party?.name ?? '',
        role: input.role,
        signatory: input.signatory ?? false,
        link: input.link,
      });
    }
    return inserted;
  });
  const mailedTo = input.email && input.link && isMailEnabled() ? input.email : null;
  return { row, newParty, expiresAt, mailedTo };
}

export async function acceptInvitation(deps: MemberCommandDeps, user: CommandUser, token: string, body: { organisationId?: string; title?: string }) {
  const { result, outboxId } = await deps.db.transaction(async (tx) => {
    // Row lock: two concurrent acceptances of one token serialise here; the second sees acceptedAt.
    const [locked] = await tx.select().from(invitations).where(eq(invitations.tokenHash, hashToken(token))).for('update');
    const inv = checkUsable(locked);
    if (await getMembership(tx, inv.agreementId, user.id)) {
      throw conflictError('token', 'you are already a member of this agreement; open it from your agreement list');
    }
    const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, inv.agreementId)).for('update');
    if (!agreement) throw new DomainError('not-found', 'not-found', 'The agreement of this invitation no longer exists.');
    if (agreement.status === 'locked') throw conflictError('token', 'the agreement is locked as final; nobody can join it any more');
    let partyId: string;
    let newPartyOrg: { id: string; name: string } | null = null;
    if (inv.newParty) {
      if (!body.organisationId) {
        throw invalidFieldError(
          'organisationId',
          'is required: this invitation is for a new party; pick one of your organisations (GET /api/organisations) or create it first (POST /api/organisations)',
        );
      }
      const { org } = await requireOrganisationMember(tx, body.organisationId, user.id, 'organisationId');
      const parties = await tx
        .select({ id: organisations.id, orgNumber: organisations.orgNumber })
        .from(agreementParties)
        .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
        .where(eq(agreementParties.agreementId, inv.agreementId));
      if (parties.some((p) => p.id === org.id)) {
        throw conflictError('organisationId', 'this organisation is already a party to the agreement; ask for a colleague invitation instead (newParty: false)');
      }
      if (parties.some((p) => p.orgNumber === org.orgNumber)) {
        throw conflictError('organisationId', `an organisation with number ${org.orgNumber} is already a party to the agreement; ask for a colleague invitation instead`);
      }
      const [pos] = await tx.select({ max: max(agreementParties.position) }).from(agreementParties).where(eq(agreementParties.agreementId, inv.agreementId));
      await tx.insert(agreementParties).values({ agreementId: inv.agreementId, organisationId: org.id, position: (pos?.max ?? -1) + 1 });
      partyId = org.id;
      newPartyOrg = org;
    } else {
      if (!inv.partyId) throw new Error('colleague invitation without party');
      if (body.organisationId && body.organisationId !== inv.partyId) {
        throw invalidFieldError('organisationId', "must be omitted: this invitation is for joining the inviter's party as a colleague");
      }
      partyId = inv.partyId;
      // A colleague joins the organisation too (as member), so its templates and agreements are theirs to use.
      await tx.insert(organisationMembers).values({ organisationId: partyId, userId: user.id, role: 'member' }).onConflictDoNothing();
    }
    await tx.insert(agreementMembers).values({ agreementId: inv.agreementId, userId: user.id, partyId, role: inv.role, signatory: inv.signatory });
    // The title (befattning) is the account's: set while accepting, printed when this person signs.
    if (body.title !== undefined) await tx.update(users).set({ title: body.title.trim() }).where(eq(users.id, user.id));
    const used = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), acceptedBy: user.id })
      .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id });
    if (used.length !== 1) throw goneError('token', 'this invitation has already been used; ask for a new link', 'invitation-used');
    await tx.update(agreements).set({ updatedAt: new Date() }).where(eq(agreements.id, inv.agreementId));
    await recordAudit(tx, {
      agreementId: inv.agreementId,
      type: 'invitation.accepted',
      actor: { id: user.id, name: user.name },
      data: { invitationId: inv.id, invitedBy: inv.createdBy, role: inv.role, signatory: inv.signatory, partyId, newParty: inv.newParty, organisationName: newPartyOrg?.name ?? null },
    });
    // The party goes into the document before anyone's list reloads (effects run before the event).
    const effects: SyncEffect[] = newPartyOrg ? [{ kind: 'ensure-parties' }] : [];
    const outboxId = await writeOutbox(tx, { agreementId: inv.agreementId, type: 'member.joined', data: { userId: user.id, partyId }, effects });
    return { result: { agreementId: inv.agreementId, partyId, role: inv.role, signatory: inv.signatory }, outboxId };
  });
  await deps.outbox.deliver([outboxId]);
  if (deps.sync) {
    const ctx = { db: deps.db, sync: deps.sync, logger: deps.logger };
    // A new title reaches every draft this person signs; a signatory invitation puts them in the document.
    if (body.title !== undefined) await reconcileSignatoriesOfUser(ctx, user.id);
    else if (result.signatory) await reconcileSignatories(ctx, result.agreementId);
  }
  return result;
}
