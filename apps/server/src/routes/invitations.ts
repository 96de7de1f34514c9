import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull, max } from 'drizzle-orm';
import { getAgreementRow, getMembership, requireAgreementRole } from '../agreements/membership.ts';
import { reconcileDocumentParties } from '../agreements/document-parties.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import {
  agreementMembers,
  agreementParties,
  agreements,
  invitations,
  organisationMembers,
  organisations,
  users,
} from '../db/schema/index.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam, type AppContext } from '../http/openapi.ts';
import { agreementNotFound, ApiError, conflict, gone, invalidField, notFound } from '../http/problem.ts';
import { requireOrganisationMember } from '../organisations/service.ts';
import { RoleSchema } from './schemas.ts';
import { recordAudit } from '../audit/service.ts';
import { publishMemberEvent } from '../events/members.ts';

const IdParams = z.object({ id: uuidParam('id', 'an agreement') });
const TokenParams = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the invitation token from the link you were sent')
    .openapi({ param: { name: 'token', in: 'path' } }),
});

const CreateInvitationSchema = z
  .object({
    role: z.enum(['editor', 'commenter', 'viewer'], { error: 'must be editor, commenter or viewer' }),
    signatory: z.boolean({ error: 'must be true or false' }).optional(),
    newParty: z
      .boolean({ error: 'must be true (a new organisation joins as a party) or false (a colleague joins your party)' })
      .optional(),
    expiresInDays: z
      .number({ error: 'must be a whole number of days between 1 and 90' })
      .int('must be a whole number of days between 1 and 90')
      .min(1, 'must be at least 1 day')
      .max(90, 'must be at most 90 days')
      .optional(),
  })
  .strict()
  .openapi('CreateInvitationRequest');

const AcceptInvitationSchema = z
  .object({
    organisationId: z
      .uuid({ error: 'must be the id of one of your organisations (GET /api/organisations)' })
      .optional(),
  })
  .strict()
  .openapi('AcceptInvitationRequest');

const InvitationCreatedSchema = z
  .object({
    id: z.uuid(),
    token: z.string().openapi({ description: 'Shown once; only its hash is stored' }),
    url: z.string(),
    role: RoleSchema,
    signatory: z.boolean(),
    newParty: z.boolean(),
    expiresAt: z.string(),
  })
  .openapi('InvitationCreated');

const InvitationPreviewSchema = z
  .object({
    agreementId: z.uuid(),
    agreementTitle: z.string(),
    role: RoleSchema,
    signatory: z.boolean(),
    newParty: z.boolean(),
    invitedBy: z.string().nullable(),
    invitedByOrganisation: z.string().nullable().openapi({ description: 'The organisation (party) the inviting person represents in this agreement' }),
    partyName: z.string().nullable().openapi({ description: 'The party a colleague joins (null for new-party invitations)' }),
    expiresAt: z.string(),
  })
  .openapi('InvitationPreview');

const AcceptedSchema = z
  .object({ agreementId: z.uuid(), partyId: z.uuid(), role: RoleSchema, signatory: z.boolean() })
  .openapi('InvitationAccepted');

function invitationUrl(c: AppContext, token: string): string {
  const { config } = c.get('deps');
  let base = config.publicUrl;
  if (!base) {
    const origin = c.req.header('origin');
    const url = new URL(c.req.url);
    base = origin && origin !== 'null' ? origin : `${url.protocol}//${c.req.header('host') ?? url.host}`;
  }
  return `${base}/#/invitations/${token}`;
}

type InvitationRow = typeof invitations.$inferSelect;

/** 404 unknown token, 410 used or expired; each names `token` and says what to do. */
function checkUsable(inv: InvitationRow | undefined): InvitationRow {
  if (!inv) throw new ApiError(404, 'invitation-not-found', 'Invitation not found', 'No invitation has this token. Check that you copied the whole link, or ask for a new invitation.', [{ field: 'token', message: 'is not a valid invitation: ask for a new link' }]);
  if (inv.acceptedAt) throw gone('token', 'this invitation has already been used; ask the person who invited you for a new link', 'invitation-used');
  if (inv.expiresAt.getTime() <= Date.now()) throw gone('token', 'this invitation has expired; ask the person who invited you for a new link', 'invitation-expired');
  return inv;
}

export const invitationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/invitations',
      tags: ['invitations'],
      summary: 'Create an invitation link (editors): for a new party (newParty: true) or a colleague in your party',
      security: cookieAuth,
      request: { params: IdParams, body: jsonBody(CreateInvitationSchema) },
      responses: { 201: jsonContent(InvitationCreatedSchema, 'Created; send `url` to the person'), ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, config } = c.get('deps');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const me = await requireAgreementRole(db, id, user.id, 'editor', 'invite people');
      const agreement = await getAgreementRow(db, id);
      if (!agreement) throw agreementNotFound();
      if (agreement.status === 'locked') throw conflict('id', 'the agreement is locked as final; nobody can join it any more');
      if (agreement.archivedAt) throw conflict('id', 'the agreement is archived; restore it (PATCH archived: false) before inviting');
      const token = newToken();
      const newParty = body.newParty ?? false;
      const expiresAt = new Date(Date.now() + (body.expiresInDays ?? config.invitationTtlDays) * 86_400_000);
      const row = await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(invitations)
          .values({
            tokenHash: hashToken(token),
            agreementId: id,
            role: body.role,
            signatory: body.signatory ?? false,
            newParty,
            partyId: newParty ? null : me.partyId,
            createdBy: user.id,
            expiresAt,
          })
          .returning({ id: invitations.id });
        if (!inserted) throw new Error('insert returned no row');
        await recordAudit(tx, {
          agreementId: id,
          type: 'invitation.created',
          actor: { id: user.id, name: user.name },
          data: { invitationId: inserted.id, role: body.role, signatory: body.signatory ?? false, newParty, partyId: newParty ? null : me.partyId, expiresAt: expiresAt.toISOString() },
        });
        return inserted;
      });
      return c.json(
        {
          id: row.id,
          token,
          url: invitationUrl(c, token),
          role: body.role,
          signatory: body.signatory ?? false,
          newParty,
          expiresAt: expiresAt.toISOString(),
        },
        201,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/invitations/{token}',
      tags: ['invitations'],
      summary: 'Preview an invitation (no sign-in needed: the token is the secret)',
      request: { params: TokenParams },
      responses: { 200: jsonContent(InvitationPreviewSchema, 'What accepting would do'), ...problems(400, 404, 410) },
    }),
    async (c) => {
      const { db } = c.get('deps');
      const { token } = c.req.valid('param');
      const [row] = await db
        .select({ inv: invitations, title: agreements.title, inviter: users.name, partyName: organisations.name })
        .from(invitations)
        .innerJoin(agreements, eq(agreements.id, invitations.agreementId))
        .leftJoin(users, eq(users.id, invitations.createdBy))
        .leftJoin(organisations, eq(organisations.id, invitations.partyId))
        .where(eq(invitations.tokenHash, hashToken(token)))
        .limit(1);
      const inv = checkUsable(row?.inv);
      // The inviter's party in this agreement, so a logged-out visitor sees who invites them.
      const [inviterParty] = inv.createdBy
        ? await db
            .select({ name: organisations.name })
            .from(agreementMembers)
            .innerJoin(organisations, eq(organisations.id, agreementMembers.partyId))
            .where(and(eq(agreementMembers.agreementId, inv.agreementId), eq(agreementMembers.userId, inv.createdBy)))
            .limit(1)
        : [];
      return c.json(
        {
          agreementId: inv.agreementId,
          agreementTitle: row!.title,
          role: inv.role,
          signatory: inv.signatory,
          newParty: inv.newParty,
          invitedBy: row!.inviter,
          invitedByOrganisation: inviterParty?.name ?? null,
          partyName: row!.partyName,
          expiresAt: inv.expiresAt.toISOString(),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/invitations/{token}/accept',
      tags: ['invitations'],
      summary:
        'Accept: join the agreement. For a new-party invitation send organisationId (one of your organisations, not yet a party).',
      security: cookieAuth,
      request: { params: TokenParams, body: jsonBody(AcceptInvitationSchema) },
      responses: { 200: jsonContent(AcceptedSchema, 'Joined'), ...problems(400, 401, 404, 409, 410, 413, 415) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, logger, sync, events } = c.get('deps');
      const { token } = c.req.valid('param');
      const body = c.req.valid('json');
      const result = await db.transaction(async (tx) => {
        // Row lock: two concurrent acceptances of one token serialise here; the second sees acceptedAt.
        const [locked] = await tx.select().from(invitations).where(eq(invitations.tokenHash, hashToken(token))).for('update');
        const inv = checkUsable(locked);
        if (await getMembership(tx, inv.agreementId, user.id)) {
          throw conflict('token', 'you are already a member of this agreement; open it from your agreement list');
        }
        const [agreement] = await tx.select().from(agreements).where(eq(agreements.id, inv.agreementId)).for('update');
        if (!agreement) throw notFound('The agreement of this invitation no longer exists.');
        if (agreement.status === 'locked') throw conflict('token', 'the agreement is locked as final; nobody can join it any more');
        let partyId: string;
        let newPartyOrg: typeof organisations.$inferSelect | null = null;
        if (inv.newParty) {
          if (!body.organisationId) {
            throw invalidField(
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
            throw conflict('organisationId', 'this organisation is already a party to the agreement; ask for a colleague invitation instead (newParty: false)');
          }
          if (parties.some((p) => p.orgNumber === org.orgNumber)) {
            throw conflict('organisationId', `an organisation with number ${org.orgNumber} is already a party to the agreement; ask for a colleague invitation instead`);
          }
          const [pos] = await tx
            .select({ max: max(agreementParties.position) })
            .from(agreementParties)
            .where(eq(agreementParties.agreementId, inv.agreementId));
          await tx.insert(agreementParties).values({ agreementId: inv.agreementId, organisationId: org.id, position: (pos?.max ?? -1) + 1 });
          partyId = org.id;
          newPartyOrg = org;
        } else {
          if (!inv.partyId) throw new Error('colleague invitation without party');
          if (body.organisationId && body.organisationId !== inv.partyId) {
            throw invalidField('organisationId', "must be omitted: this invitation is for joining the inviter's party as a colleague");
          }
          partyId = inv.partyId;
          // A colleague joins the organisation too (as member), so its templates and agreements are theirs to use.
          await tx
            .insert(organisationMembers)
            .values({ organisationId: partyId, userId: user.id, role: 'member' })
            .onConflictDoNothing();
        }
        await tx.insert(agreementMembers).values({
          agreementId: inv.agreementId,
          userId: user.id,
          partyId,
          role: inv.role,
          signatory: inv.signatory,
        });
        const used = await tx
          .update(invitations)
          .set({ acceptedAt: new Date(), acceptedBy: user.id })
          .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt)))
          .returning({ id: invitations.id });
        if (used.length !== 1) throw gone('token', 'this invitation has already been used; ask for a new link', 'invitation-used');
        await tx.update(agreements).set({ updatedAt: new Date() }).where(eq(agreements.id, inv.agreementId));
        await recordAudit(tx, {
          agreementId: inv.agreementId,
          type: 'invitation.accepted',
          actor: { id: user.id, name: user.name },
          data: { invitationId: inv.id, invitedBy: inv.createdBy, role: inv.role, signatory: inv.signatory, partyId, newParty: inv.newParty, organisationName: newPartyOrg?.name ?? null },
        });
        return { agreementId: inv.agreementId, partyId, role: inv.role, signatory: inv.signatory, newPartyOrg };
      });
      if (result.newPartyOrg) {
        // After commit (PGlite has one connection: the hub may need it to load the document). Adds every
        // database party the document lacks, never touching existing ones; if this fails (logged), the
        // next GET /api/agreements/:id adds it (agreements/document-parties.ts).
        await reconcileDocumentParties({ db, sync, logger }, result.agreementId, undefined, 'server:invitation');
      }
      // After commit (and after the new party is in the document): members' lists reload.
      publishMemberEvent(events, 'member.joined', result.agreementId, { userId: user.id, partyId: result.partyId });
      const { newPartyOrg: _ignored, ...out } = result;
      return c.json(out, 200);
    },
  );
