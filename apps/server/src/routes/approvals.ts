import { createRoute, z } from '@hono/zod-openapi';
import { authorizeOn } from '../policies/subject.ts';
import { approvalState, approve, listFinalVersions, unlock } from '../approvals/service.ts';
import { publicBase } from './invitations.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';

const Loose = z.record(z.string(), z.unknown());
const ApprovalSchema = z
  .object({
    id: z.string(),
    userId: z.string().nullable(),
    userName: z.string(),
    partyId: z.string(),
    partyName: z.string(),
    hash: z.string(),
    createdAt: z.string(),
    voided: z
      .object({
        at: z.string(),
        reason: z.enum(['changed', 'unlocked']),
        by: z.object({ id: z.string(), name: z.string() }).nullable(),
        change: Loose.nullable(),
      })
      .nullable(),
  })
  .openapi('Approval');
const FinalVersionSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    hash: z.string(),
    versionId: z.string(),
    lockedAt: z.string(),
    unlocked: z.object({ at: z.string(), by: z.object({ id: z.string(), name: z.string() }).nullable(), reason: z.string() }).nullable(),
  })
  .openapi('FinalVersion');
const StateSchema = z
  .object({
    status: z.enum(['draft', 'locked']),
    finalVersion: FinalVersionSchema.nullable(),
    approvals: z.array(ApprovalSchema),
    voided: z.array(ApprovalSchema),
    waitingFor: z.array(z.object({ partyId: z.string(), name: z.string() })),
    currentHash: z.string(),
    open: z
      .object({
        sectionsNotAgreed: z.array(
          z.object({ id: z.string(), key: z.string().nullable(), title: z.string(), missing: z.array(z.object({ partyId: z.string(), name: z.string() })) }),
        ),
        openSuggestions: z
          .array(z.object({ sectionId: z.string(), title: z.string(), count: z.number().int() }))
          .openapi({ description: 'Sections with suggestions not yet accepted or rejected (block approval)' }),
        unresolvedThreads: z.array(z.object({ id: z.string(), sectionId: z.string(), sectionTitle: z.string().nullable(), quote: z.string() })),
        errors: z.array(Loose),
        warnings: z.array(Loose),
      })
      .openapi('ApprovalOpenItems', { description: 'What is still open: sections not agreed by every party, open suggestions and validation errors block approval' }),
    signatories: z.array(
      z.object({
        partyId: z.string(),
        name: z.string(),
        people: z.array(z.object({ userId: z.string(), name: z.string(), title: z.string(), approved: z.boolean() })),
        fallback: z.array(z.string()).openapi({ description: 'Free-text firmatecknare, only while the party has no signatory member (shown as missing)' }),
      }),
    ),
  })
  .openapi('ApprovalState');

const ApproveRequestSchema = z
  .object({
    hash: z
      .string({ error: 'hash is required: the checksum (SHA-256, hex) of the text you read and approve, as GET …/approvals shows it' })
      .regex(/^[0-9a-f]{64}$/, 'must be the 64-digit SHA-256 checksum (hex) the approval state shows'),
  })
  .strict()
  .openapi('ApproveRequest');

const params = z.object({ id: uuidParam('id', 'an agreement') });

export const approvalRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/approvals',
      tags: ['approvals'],
      summary: 'Approvals for signing (active and recently voided), lock status and the current content hash',
      security: cookieAuth,
      request: { params },
      responses: { 200: jsonContent(StateSchema, 'Approval state'), ...problems(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      await authorizeOn(d.db, id, requireUser(c).id, 'agreement.read');
      return c.json(await approvalState(d, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/approvals',
      tags: ['approvals'],
      summary:
        'Approve the text you saw (its hash) for signing (members with the signatory flag); 409 content-changed when the text changed since, 409 approval-blocked while a section is not agreed by every party, has open suggestions, or validation has errors; locks it when every party has approved',
      security: cookieAuth,
      request: { params, body: jsonBody(ApproveRequestSchema) },
      responses: {
        201: jsonContent(z.object({ approval: ApprovalSchema, lockedAs: FinalVersionSchema.nullable() }), 'Approved'),
        ...problems(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      const user = requireUser(c);
      const { actor: m } = await authorizeOn(d.db, id, user.id, 'approval.give');
      const result = await approve(
        d,
        id,
        { id: user.id, name: user.name, signatory: m.signatory, partyId: m.partyId },
        { seenHash: c.req.valid('json').hash, link: `${publicBase(c)}/#/agreements/${id}` },
      );
      return c.json(result, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/unlock',
      tags: ['approvals'],
      summary: 'Reopen a locked final version for editing (editors of any party, with a reason); voids the approvals',
      security: cookieAuth,
      request: {
        params,
        body: jsonBody(
          z
            .object({
              reason: z
                .string({ error: 'reason is required: say why the final version is reopened' })
                .trim()
                .min(1, 'must not be empty: say why the final version is reopened')
                .max(2000, 'must be at most 2000 characters'),
            })
            .openapi('UnlockRequest'),
        ),
      },
      responses: { 200: jsonContent(z.object({ status: z.literal('draft') }), 'Unlocked'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      const user = requireUser(c);
      await authorizeOn(d.db, id, user.id, 'agreement.unlock');
      await unlock(d, id, { id: user.id, name: user.name }, c.req.valid('json').reason);
      return c.json({ status: 'draft' as const }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/final-versions',
      tags: ['approvals'],
      summary: 'Final versions (locked for signing), newest first, including reopened ones',
      security: cookieAuth,
      request: { params },
      responses: { 200: jsonContent(z.object({ finalVersions: z.array(FinalVersionSchema) }), 'Final versions'), ...problems(401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = c.get('deps');
      await authorizeOn(d.db, id, requireUser(c).id, 'agreement.read');
      return c.json({ finalVersions: await listFinalVersions(d.db, id) }, 200);
    },
  );
