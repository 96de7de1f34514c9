import { createRoute, z } from '@hono/zod-openapi';
import { agreementTitleSchema } from '@overens/model/requests';
import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { getAgreementRow } from '../agreements/membership.ts';
import { authorizeOn } from '../policies/subject.ts';
import { agreementDetail, agreementSummaryJson, createAgreement } from '../agreements/service.ts';
import { agreementMembers, agreementParties, agreements, organisations } from '../db/schema/index.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { agreementNotFound, conflict, invalid } from '../http/problem.ts';
import { AgreementDetailSchema, AgreementListItemSchema } from './schemas.ts';
import { writeOutbox } from '../outbox/writer.ts';

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
      const user = requireUser(c);
      const { db } = c.get('deps');
      const body = c.req.valid('json');
      const { id } = await createAgreement(db, user.id, body);
      const row = await getAgreementRow(db, id);
      const { actor: me } = await authorizeOn(db, id, user.id, 'agreement.read');
      if (!row) throw agreementNotFound();
      return c.json(await agreementDetail(db, row, me), 201);
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
            })
            .from(agreementParties)
            .innerJoin(organisations, eq(organisations.id, agreementParties.organisationId))
            .where(inArray(agreementParties.agreementId, ids))
            .orderBy(asc(agreementParties.position))
        : [];
      return c.json(
        rows.map((r) => ({
          ...agreementSummaryJson(r.a, r),
          parties: parties.filter((p) => p.agreementId === r.a.id).map(({ id, name, kind }) => ({ id, name, kind })),
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
      const user = requireUser(c);
      const { db, outbox } = c.get('deps');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { actor: me } = await authorizeOn(db, id, user.id, 'agreement.archive');
      if (body.title === undefined && body.archived === undefined) {
        throw invalid([{ field: 'body', message: 'send title (to rename) and/or archived (true to archive, false to restore)' }]);
      }
      const row = await getAgreementRow(db, id);
      if (!row) throw agreementNotFound();
      if (body.title !== undefined && row.status === 'locked' && body.title !== row.title) {
        throw conflict('title', 'the agreement is locked as final; its title can no longer change');
      }
      const { updated, outboxIds } = await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(agreements)
          .set({
            ...(body.title !== undefined ? { title: body.title } : {}),
            ...(body.archived !== undefined ? { archivedAt: body.archived ? (row.archivedAt ?? new Date()) : null } : {}),
            updatedAt: new Date(),
          })
          .where(eq(agreements.id, id))
          .returning();
        if (!updated) throw agreementNotFound();
        // Open agreement pages of every member refresh their header. Only what actually changed is
        // sent; a no-op (same title, same archived state) sends nothing.
        const data = { agreementId: id } as { agreementId: string; title?: string; archived?: boolean };
        if (updated.title !== row.title) data.title = updated.title;
        if ((updated.archivedAt !== null) !== (row.archivedAt !== null)) data.archived = updated.archivedAt !== null;
        const changed = data.title !== undefined || data.archived !== undefined;
        return { updated, outboxIds: changed ? [await writeOutbox(tx, { agreementId: id, type: 'agreement.updated', data })] : [] };
      });
      await outbox.deliver(outboxIds);
      return c.json(await agreementDetail(db, updated, me), 200);
    },
  );
