import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { newToken, hashToken } from '../auth/tokens.ts';
import { acceptInvitation, checkUsable, createInvitation } from '../commands/invitations.ts';
import { agreementMembers, agreements, invitations, organisations, users } from '../db/schema/index.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam, type AppContext } from '../http/openapi.ts';
import { RoleSchema } from './schemas.ts';
import { createInvitationSchema } from '@overens/model/requests';

const IdParams = z.object({ id: uuidParam('id', 'an agreement') });
const TokenParams = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the invitation token from the link you were sent')
    .openapi({ param: { name: 'token', in: 'path' } }),
});

// Shared with the web's invitation dialog (@overens/model/requests).
const CreateInvitationSchema = createInvitationSchema.openapi('CreateInvitationRequest');

const AcceptInvitationSchema = z
  .object({
    organisationId: z
      .uuid({ error: 'must be the id of one of your organisations (GET /api/organisations)' })
      .optional(),
    title: z
      .string({ error: 'must be text: your title (befattning), e.g. Förvaltningsdirektör' })
      .trim()
      .max(120, 'must be at most 120 characters')
      .optional()
      .openapi({ description: 'Your title (befattning) on your account, printed under your name when you sign for the party' }),
  })
  .strict()
  .openapi('AcceptInvitationRequest');

const InvitationCreatedSchema = z
  .object({
    id: z.uuid(),
    token: z.string().openapi({ description: 'Shown once; only its hash is stored' }),
    url: z.string(),
    mailedTo: z.string().nullable().openapi({ description: 'The address the link was mailed to (null: no e-mail given, or the server has no SMTP)' }),
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

/** The base of absolute links (invitations, mails): OVERENS_PUBLIC_URL, else the request's origin. */
export function publicBase(c: AppContext): string {
  const { config } = c.get('deps');
  let base = config.publicUrl;
  if (!base) {
    const origin = c.req.header('origin');
    const url = new URL(c.req.url);
    base = origin && origin !== 'null' ? origin : `${url.protocol}//${c.req.header('host') ?? url.host}`;
  }
  return base;
}

function invitationUrl(c: AppContext, token: string): string {
  return `${publicBase(c)}/#/invitations/${token}`;
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
      const token = newToken();
      const url = invitationUrl(c, token);
      const { row, newParty, expiresAt, mailedTo } = await createInvitation(c.get('deps'), user, id, token, { ...body, email: body.email || undefined, link: url }, config.invitationTtlDays);
      return c.json(
        {
          id: row.id,
          token,
          url,
          mailedTo,
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
      const { token } = c.req.valid('param');
      const result = await acceptInvitation(c.get('deps'), user, token, c.req.valid('json'));
      return c.json(result, 200);
    },
  );
