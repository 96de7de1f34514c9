import { createRoute, z } from '@hono/zod-openapi';
import { agreementTitleSchema } from '@overens/model/requests';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { authorizeOn } from '../policies/subject.ts';
import { agreementDetail, agreementSummaryJson } from '../agreements/service.ts';
import { finalVersionChains } from '../commands/revisions.ts';
import { createAgreement, updateAgreement } from '../commands/agreements.ts';
import { removeParty } from '../commands/parties.ts';
import { agreementMembers, agreementParties, agreements, organisations } from '../db/schema/index.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { AgreementDetailSchema, AgreementListItemSchema } from './schemas.ts';

// Shared with the web's forms (@overens/model/requests).
const title = agreementTitleSchema;

const CreateAgreementSchema = z
  .object({
    title,
    organisationId: z.uuid({
      error: 'must be the id of one of your organisations (GET /api/organisations); it becomes the first party',
    }),
    templateId: z
      .string({ error: 'must be a template id from GET /api/templates' })
      .min(1, 'must be a template id from GET /api/templates')
      .max(100, 'must be a template id from GET /api/templates')
      .optional(),
  })
  .openapi('CreateAgreementRequest');

const UpdateAgreementSchema = z
  .object({
    title: title.optional(),
    archived: z.boolean({ error: 'must be true (archive) or false (restore)' }).optional(),
  })
  .strict()
  .openapi('UpdateAgreementRequest');

const IdParams = z.object({ id: uuidParam('id', 'an agreement') });

export const agreementRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements',
      tags: ['agreements'],
      summary: 'Create an agreement; your organisation becomes the first party and you its editor',
      security: cookieAuth,
      request: { body: jsonBody(CreateAgreementSchema) },
      responses: { 201: jsonContent(AgreementDetailSchema, 'Created'), ...problems(400, 401, 403, 413, 415) },
    }),
    async (c) => {
      const { db } = c.get('deps');
      const { agreement, me } = await createAgreement({ db }, requireUser(c), c.req.valid('json'));
      return c.json(await agreementDetail(db, agreement, me), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements',
      tags: ['agreements'],
      summary: 'Agreements you are a member of (archived ones only with ?archived=true or all)',
      security: cookieAuth,
      request: {
        query: z.object({
          archived: z
            .enum(['false', 'true', 'all'], { error: 'must be false (default), true or all' })
            .optional(),
        }),
      },
      responses: { 200: jsonContent(z.array(AgreementListItemSchema), 'Your agreements, most recently changed first'), ...problems(400, 401) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db } = c.get('deps');
      const { archived = 'false' } = c.req.valid('query');
      const archivedFilter =
        archived === 'all' ? undefined : archived === 'true' ? isNotNull(agreements.archivedAt) : isNull(agreements.archivedAt);
      const rows = await db
        .select({ a: agreements, role: agreementMembers.role, signatory: agreementMembers.signatory, partyId: agreementMembers.partyId })
        .from(agreementMembers)
        .innerJoin(agreements, eq(agreements.id, agreementMembers.agreementId))
        .where(and(eq(agreementMembers.userId, user.id), archivedFilter))
        .orderBy(desc(agreements.updatedAt));
      const ids = rows.map((r) => r.a.id);
      const parties = ids.length
        ? await db
            .select({
              agreementId: agreementParties.agreementId,
              id: organisations.id,
              name: organisations.name,
              kind: organisations.kind,
              verified: sql<boolean>`${organisations.verifiedAt} is not null`,
            })
            .from(agreementParties)
            .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
            .where(inArray(agreementParties.agreementId, ids))
            .orderBy(asc(agreementParties.position))
        : [];
      const chains = await finalVersionChains(db, ids);
      return c.json(
        rows.map((r) => ({
          ...agreementSummaryJson(r.a, r, chains.get(r.a.id)),
          parties: parties.filter((p) => p.agreementId === r.a.id).map(({ id, name, kind, verified }) => ({ id, name, kind, verified })),
        })),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}',
      tags: ['agreements'],
      summary: 'One agreement: parties, members, your role/signatory/party, template, status',
      security: cookieAuth,
      request: { params: IdParams },
      responses: { 200: jsonContent(AgreementDetailSchema, 'The agreement'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      // Reads only: adding a party the document lacks is an outbox effect of the invitation's acceptance.
      const { actor, agreement } = await authorizeOn(db, id, user.id, 'agreement.read');
      return c.json(await agreementDetail(db, agreement, actor), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/agreements/{id}',
      tags: ['agreements'],
      summary: 'Rename and/or archive (archived: true) or restore (archived: false). Editors only.',
      security: cookieAuth,
      request: { params: IdParams, body: jsonBody(UpdateAgreementSchema) },
      responses: { 200: jsonContent(AgreementDetailSchema, 'Updated'), ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => {
      const d = c.get('deps');
      const { agreement, me } = await updateAgreement(d, requireUser(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(await agreementDetail(d.db, agreement, me), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/agreements/{id}/parties/{partyId}',
      tags: ['agreements'],
      summary:
        "Remove your own party from the agreement (its editors, draft): its members, its pending invitations and the party in the document go, audited. Refused once anyone has approved (409 party-removal-after-approval) and for the only party (409 last-party)",
      security: cookieAuth,
      request: { params: z.object({ id: uuidParam('id', 'an agreement'), partyId: uuidParam('partyId', 'a party (organisation)') }) },
      responses: {
        200: jsonContent(
          z
            .object({ partyId: z.uuid(), removedMembers: z.array(z.uuid()), withdrawnInvitations: z.number().int() })
            .openapi('PartyRemoved'),
          'Removed',
        ),
        ...problems(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id, partyId } = c.req.valid('param');
      return c.json(await removeParty(c.get('deps'), requireUser(c), id, partyId), 200);
    },
  );
