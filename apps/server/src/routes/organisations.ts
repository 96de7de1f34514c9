import { createRoute, z } from '@hono/zod-openapi';
import { requiredText } from '../http/validate.ts';
import {
  acceptOrganisationInvitation,
  addOrganisationDomain,
  changeOrganisationMember,
  decideJoinRequest,
  inviteToOrganisation,
  listOrganisationInvitations,
  previewOrganisationInvitation,
  withdrawOrganisationInvitation,
  normaliseDomain,
  organisationActor,
  registerOrganisation,
  removeOrganisationDomain,
  requestToJoin,
} from '../commands/organisations.ts';
import { organisations } from '../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { invalid, invalidField, type FieldError } from '../http/problem.ts';
import { authorizeOrganisation } from '../policies/organisations.ts';
import { linkBase, organisationInvitationLink, organisationsLink } from '../organisations/links.ts';
import { myJoinRequests, myOrganisations, organisationJson, organisationMembersAndRequests } from '../organisations/queries.ts';
import { checkMunicipalityCode, normaliseOrgNumber } from '../organisations/service.ts';
import { loadReferenceData } from '../reference.ts';
import { DomainError } from '../domain/errors.ts';

const Kind = z.enum(['ideburen', 'kommun', 'region']);
const OrgRole = z.enum(['admin', 'member']);
const DomainSchema = z.object({ domain: z.string(), verified: z.boolean() }).openapi('OrganisationDomain');

export const OrganisationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: Kind,
    orgNumber: z.string().openapi({ example: '802002-4280' }),
    municipalityCode: z.string().nullable(),
    verified: z.boolean().openapi({ description: 'An operator verified that the organisation is who it says it is' }),
    verifiedAt: z.string().nullable(),
    duplicateOf: z.uuid().nullable().openapi({ description: 'Set on a second registration of a number made before numbers were unique: the organisation registered first' }),
    role: OrgRole.openapi({ description: 'Your role in the organisation' }),
    domains: z.array(DomainSchema),
    pendingRequests: z.number().int().openapi({ description: 'Requests to join waiting for a decision (administrators only; 0 otherwise)' }),
    createdAt: z.string(),
  })
  .openapi('Organisation');

const CreateOrganisationSchema = z
  .object({
    name: z
      .string(requiredText("name is required: the organisation's registered name"))
      .trim()
      .min(1, 'must not be empty: enter the organisation\'s registered name')
      .max(200, 'must be at most 200 characters'),
    kind: z.enum(['ideburen', 'kommun', 'region'], {
      error: 'must be one of ideburen, kommun or region',
    }),
    orgNumber: z
      .string(requiredText('orgNumber is required: the organisation number, e.g. 802002-4280'))
      .max(20, 'must be an organisation number like 802002-4280'),
    municipalityCode: z
      .string({ error: 'must be a string of digits, e.g. "0180"' })
      .trim()
      .optional()
      .openapi({ description: 'SCB code: 4 digits for a kommun, 2 for a region; omit for ideburen' }),
  })
  .openapi('CreateOrganisationRequest');

const MemberSchema = z.object({ userId: z.uuid(), name: z.string(), email: z.string(), role: OrgRole }).openapi('OrganisationMember');
const JoinRequestSchema = z.object({ id: z.uuid(), userId: z.uuid(), name: z.string(), email: z.string(), createdAt: z.string() }).openapi('OrganisationJoinRequest');
const DetailSchema = z
  .object({ organisation: OrganisationSchema, members: z.array(MemberSchema), requests: z.array(JoinRequestSchema) })
  .openapi('OrganisationDetail');
const MyRequestSchema = z
  .object({ id: z.uuid(), organisationId: z.uuid(), name: z.string(), orgNumber: z.string(), createdAt: z.string() })
  .openapi('MyJoinRequest');
const JoinOutcomeSchema = z
  .object({ status: z.enum(['member', 'pending']), requestId: z.uuid().optional(), role: OrgRole.optional() })
  .openapi('JoinOutcome');

const IdParams = z.object({ id: uuidParam('id', 'an organisation') });
const RequestParams = z.object({ id: uuidParam('id', 'an organisation'), requestId: uuidParam('requestId', 'a request to join') });
const MemberParams = z.object({ id: uuidParam('id', 'an organisation'), userId: uuidParam('userId', 'a member') });
const DomainParams = z.object({ id: uuidParam('id', 'an organisation'), domain: z.string().max(253) });

const InviteSchema = z
  .object({
    email: z
      .string(requiredText('email is required: the address to send the invitation to'))
      .trim()
      .max(320, 'must be at most 320 characters')
      .pipe(z.email('must be an e-mail address like namn@exempel.se')),
    role: z.enum(['admin', 'member'], { error: 'role must be admin or member' }).default('member'),
  })
  .openapi('OrganisationInviteRequest');
const CreatedInvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: OrgRole,
    expiresAt: z.string(),
    link: z.string().openapi({ description: 'The invitation link: shown to copy when the server sends no mail (mailedTo null)' }),
    mailedTo: z.string().nullable().openapi({ description: 'The address the link was mailed to (null: the server has no SMTP)' }),
  })
  .openapi('OrganisationInvitationCreated');
const PendingInvitationSchema = z
  .object({ id: z.string(), email: z.string(), role: OrgRole, invitedBy: z.string().nullable(), createdAt: z.string(), expiresAt: z.string() })
  .openapi('OrganisationInvitation');
const InvitationPreviewSchema = z
  .object({
    organisationId: z.uuid(),
    organisationName: z.string(),
    organisationKind: Kind,
    verified: z.boolean(),
    email: z.string().openapi({ description: 'The address the invitation was made for' }),
    role: OrgRole,
    invitedBy: z.string().nullable(),
    expiresAt: z.string(),
  })
  .openapi('OrganisationInvitationPreview');
const InvitationParams = z.object({
  id: uuidParam('id', 'an organisation'),
  invitationId: z.string().regex(/^[0-9a-f]{64}$/, 'must be the id of a pending invitation from the list'),
});
const TokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the invitation token from the link you were sent'),
});

function domainOrThrow(raw: string): string {
  const d = normaliseDomain(raw);
  if (!d) throw invalidField('domain', 'must be an e-mail domain like malmo.se (the part after @ in the addresses)');
  return d;
}

async function organisationDto(c: Parameters<typeof requireUser>[0], organisationId: string, userId: string) {
  const { db } = c.get('deps');
  const mine = (await myOrganisations(db, userId)).find((o) => o.id === organisationId);
  if (!mine) throw new DomainError('not-found', 'not-found', 'No organisation with this id exists, or you are not a member of it.');
  return mine;
}

export const organisationRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/organisations',
      tags: ['organisations'],
      summary: 'Register an organisation; you become its administrator. 409 organisation-exists when its number is registered already (then request to join it)',
      security: cookieAuth,
      request: { body: jsonBody(CreateOrganisationSchema) },
      responses: { 201: jsonContent(OrganisationSchema, 'Created'), ...problems(400, 401, 403, 409, 413, 415) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, config } = c.get('deps');
      const body = c.req.valid('json');
      const errors: FieldError[] = [];
      const orgNumber = normaliseOrgNumber(body.orgNumber);
      if (!orgNumber) {
        errors.push({
          field: 'orgNumber',
          message: 'is not a valid Swedish organisation number (10 digits, NNNNNN-NNNN, with a correct check digit); copy it from the registration certificate',
        });
      }
      const municipalityCode = body.municipalityCode || null;
      const codeError = checkMunicipalityCode(body.kind, municipalityCode, loadReferenceData(config.referenceDir));
      if (codeError) errors.push({ field: 'municipalityCode', message: codeError });
      if (errors.length > 0 || !orgNumber) throw invalid(errors);
      const org = await registerOrganisation({ db }, user, { name: body.name, kind: body.kind, orgNumber, municipalityCode });
      return c.json({ ...organisationJson(org), role: 'admin' as const, domains: [], pendingRequests: 0 }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/organisations',
      tags: ['organisations'],
      summary: 'Organisations you are a member of',
      security: cookieAuth,
      responses: { 200: jsonContent(z.array(OrganisationSchema), 'Your organisations'), ...problems(401) },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await myOrganisations(c.get('deps').db, user.id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/organisations/join-requests',
      tags: ['organisations'],
      summary: 'Your own requests to join organisations that wait for a decision',
      security: cookieAuth,
      responses: { 200: jsonContent(z.array(MyRequestSchema), 'Your pending requests'), ...problems(401) },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await myJoinRequests(c.get('deps').db, user.id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/organisations/{id}',
      tags: ['organisations'],
      summary: 'One of your organisations: members, and for administrators the pending requests to join',
      security: cookieAuth,
      request: { params: IdParams },
      responses: { 200: jsonContent(DetailSchema, 'The organisation'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const [org] = await db.select().from(organisations).where(eq(organisations.id, id)).limit(1);
      const actor = await organisationActor(db, id, user.id);
      authorizeOrganisation(actor, 'organisation.read', { duplicate: !!org?.duplicateOf });
      const organisation = await organisationDto(c, id, user.id);
      const { members, requests } = await organisationMembersAndRequests(db, id, actor.role === 'admin');
      return c.json({ organisation, members, requests }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/organisations/{id}/join-requests',
      tags: ['organisations'],
      summary:
        'Ask to join an organisation (its id comes with the 409 organisation-exists answer). With a verified address at a verified domain of it you are a member at once; otherwise its administrators decide',
      security: cookieAuth,
      request: { params: IdParams },
      responses: { 201: jsonContent(JoinOutcomeSchema, 'Member at once, or a pending request'), ...problems(400, 401, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid('param');
      const outcome = await requestToJoin({ db: c.get('deps').db }, user, id, { organisation: organisationsLink(linkBase(c)) });
      return c.json(outcome, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/organisations/{id}/join-requests/{requestId}/decision',
      tags: ['organisations'],
      summary: 'Accept or reject a request to join (administrators)',
      security: cookieAuth,
      request: { params: RequestParams, body: jsonBody(z.object({ accept: z.boolean({ error: 'accept must be true (accept) or false (reject)' }) }).openapi('JoinDecision')) },
      responses: { 200: jsonContent(z.object({ status: z.enum(['accepted', 'rejected']), userId: z.uuid() }), 'Decided'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, requestId } = c.req.valid('param');
      const { accept } = c.req.valid('json');
      const result = await decideJoinRequest({ db: c.get('deps').db }, user, id, requestId, accept, { organisation: organisationsLink(linkBase(c)) });
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/organisations/{id}/members/{userId}',
      tags: ['organisations'],
      summary: "Change a member's role (administrators); an organisation keeps at least one administrator (409 last-admin)",
      security: cookieAuth,
      request: { params: MemberParams, body: jsonBody(z.object({ role: z.enum(['admin', 'member'], { error: 'role must be admin or member' }) })) },
      responses: { 204: { description: 'Changed' }, ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, userId } = c.req.valid('param');
      await changeOrganisationMember({ db: c.get('deps').db }, user, id, userId, { role: c.req.valid('json').role });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/organisations/{id}/members/{userId}',
      tags: ['organisations'],
      summary: 'Remove a member (administrators) or leave (yourself); the last administrator cannot go',
      security: cookieAuth,
      request: { params: MemberParams },
      responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, userId } = c.req.valid('param');
      await changeOrganisationMember({ db: c.get('deps').db }, user, id, userId, { remove: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/organisations/{id}/domains',
      tags: ['organisations'],
      summary: "List an e-mail domain of the organisation (administrators); an operator verifies it, then people with a verified address there join without a request",
      security: cookieAuth,
      request: { params: IdParams, body: jsonBody(z.object({ domain: z.string(requiredText('domain is required, e.g. malmo.se')).max(253) }).openapi('AddDomainRequest')) },
      responses: { 201: jsonContent(OrganisationSchema, 'Added'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid('param');
      await addOrganisationDomain({ db: c.get('deps').db }, user, id, domainOrThrow(c.req.valid('json').domain));
      return c.json(await organisationDto(c, id, user.id), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/organisations/{id}/domains/{domain}',
      tags: ['organisations'],
      summary: 'Remove an e-mail domain of the organisation (administrators)',
      security: cookieAuth,
      request: { params: DomainParams },
      responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, domain } = c.req.valid('param');
      await removeOrganisationDomain({ db: c.get('deps').db }, user, id, domainOrThrow(domain));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/organisations/{id}/invitations',
      tags: ['organisations'],
      summary: 'Invite an e-mail address to the organisation as administrator or member (administrators); the link is mailed when the server sends mail, and returned to copy',
      security: cookieAuth,
      request: { params: IdParams, body: jsonBody(InviteSchema) },
      responses: { 201: jsonContent(CreatedInvitationSchema, 'Invited'), ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, config } = c.get('deps');
      const { id } = c.req.valid('param');
      const base = linkBase(c);
      const inv = await inviteToOrganisation({ db }, user, id, c.req.valid('json'), {
        linkFor: (token) => organisationInvitationLink(base, token),
        ttlDays: config.organisationInvitationTtlDays,
      });
      return c.json({ ...inv, expiresAt: inv.expiresAt.toISOString() }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/organisations/{id}/invitations',
      tags: ['organisations'],
      summary: 'Pending invitations of the organisation (administrators): not used, withdrawn or expired',
      security: cookieAuth,
      request: { params: IdParams },
      responses: { 200: jsonContent(z.array(PendingInvitationSchema), 'Pending invitations'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id } = c.req.valid('param');
      const rows = await listOrganisationInvitations({ db: c.get('deps').db }, user, id);
      return c.json(rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString() })), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/organisations/{id}/invitations/{invitationId}',
      tags: ['organisations'],
      summary: 'Withdraw a pending invitation (administrators): its link stops working',
      security: cookieAuth,
      request: { params: InvitationParams },
      responses: { 204: { description: 'Withdrawn' }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { id, invitationId } = c.req.valid('param');
      await withdrawOrganisationInvitation({ db: c.get('deps').db }, user, id, invitationId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/organisation-invitations/{token}',
      tags: ['organisations'],
      summary: 'Preview an invitation to an organisation (no sign-in needed: the token is the secret); 410 when used, withdrawn or expired',
      request: { params: TokenParams },
      responses: { 200: jsonContent(InvitationPreviewSchema, 'Which organisation, who invited'), ...problems(400, 410) },
    }),
    async (c) => {
      const p = await previewOrganisationInvitation({ db: c.get('deps').db }, c.req.valid('param').token);
      return c.json({ ...p, expiresAt: p.expiresAt.toISOString() }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/organisation-invitations/{token}/accept',
      tags: ['organisations'],
      summary: 'Join the organisation with the invited role, at once (single use); 409 already-member, 410 when used, withdrawn or expired',
      security: cookieAuth,
      request: { params: TokenParams },
      responses: { 200: jsonContent(z.object({ organisationId: z.uuid(), role: OrgRole }).openapi('OrganisationInvitationAccepted'), 'Joined'), ...problems(400, 401, 409, 410) },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json(await acceptOrganisationInvitation({ db: c.get('deps').db }, user, c.req.valid('param').token), 200);
    },
  );
