import { createRoute, z } from '@hono/zod-openapi';
import { commentOnMeasurement, confirmMeasurement, exportFollowUpReport, recordMeasurement } from '../commands/follow-up.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam, type AppContext } from '../http/openapi.ts';
import { authorizeOn } from '../policies/subject.ts';
import { followUpFor } from '../queries/follow-up.ts';
import { isIsoDate } from '@overens/model';

// From 1900 on: PostgreSQL has no year 0 (a '0000-…' measurement date reached the insert and came
// back as a generic "value cannot be stored" without the field), and follow-up has no earlier dates.
const isoDate = (field: string) =>
  z
    .string({ error: `${field} is required: a date as YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .refine((v) => isIsoDate(v) && v >= '1900-01-01', 'must be a real calendar date from 1900 on');

const PersonSchema = z.object({ userId: z.string().nullable(), name: z.string(), partyId: z.string() });

export const MeasurementSchema = z
  .object({
    id: z.uuid(),
    goalId: z.string(),
    value: z.number(),
    measuredOn: z.string(),
    source: z.string(),
    comment: z.string(),
    recordedBy: PersonSchema,
    recordedAt: z.string(),
    finalVersionNumber: z.number().int(),
    confirmations: z.array(PersonSchema.extend({ at: z.string(), comment: z.string() })),
    comments: z.array(PersonSchema.extend({ id: z.string(), at: z.string(), text: z.string() })),
  })
  .openapi('Measurement');

const KeyDateKind = z.enum(['follow-up', 'goal-deadline', 'period-end', 'notice', 'renegotiation']);

export const FollowUpSchema = z
  .object({
    agreementId: z.uuid(),
    signedVersion: z.object({ number: z.number().int(), hash: z.string(), lockedAt: z.string(), label: z.string() }).nullable(),
    asOf: z.string(),
    period: z.object({ start: z.string().nullable(), end: z.string().nullable(), noticeMonths: z.number().nullable(), renegotiationBy: z.string().nullable() }),
    goals: z.array(
      z.object({
        goalId: z.string(),
        goal: z.string(),
        indicator: z.string(),
        baseline: z.object({ value: z.string(), date: z.string().nullable(), source: z.string() }),
        baselineNumber: z.number().nullable(),
        target: z.string(),
        targetNumber: z.number().nullable(),
        deadline: z.string().nullable(),
        followUpMethod: z.string().nullable(),
        responsiblePartyId: z.string().nullable(),
        responsiblePartyName: z.string().nullable(),
        followUpDates: z.array(z.string()),
        status: z.enum(['reached', 'on-track', 'behind', 'no-data']).openapi({ description: 'By the rule in packages/model/src/follow-up/README.md' }),
        measurements: z.array(MeasurementSchema),
      }),
    ),
    keyDates: z.array(z.object({ kind: KeyDateKind, date: z.string(), goalId: z.string().optional() })),
    findings: z.array(
      z.object({
        code: z.enum(['measurement-after-deadline', 'follow-up-missed', 'notice-passed']),
        severity: z.enum(['warning', 'error']),
        goalId: z.string().optional(),
        date: z.string(),
      }),
    ),
    can: z.object({
      record: z.array(z.string()).openapi({ description: 'Goal ids you may record measurements for' }),
      confirm: z.boolean().openapi({ description: "You may confirm other parties' measurements" }),
      comment: z.boolean(),
    }),
  })
  .openapi('FollowUp');

const RecordSchema = z
  .object({
    goalId: z.string({ error: 'goalId is required: the id of the goal measured' }).min(1).max(200),
    value: z.number({ error: 'value is required: the measured value as a number' }).finite(),
    measuredOn: isoDate('measuredOn'),
    source: z.string({ error: 'source is required: where the value comes from, or how it was measured' }).trim().min(1, 'must not be empty: say where the value comes from').max(500),
    comment: z.string().max(4000, 'must be at most 4000 characters').optional(),
  })
  .openapi('RecordMeasurementRequest');

const ConfirmSchema = z.object({ comment: z.string().max(4000, 'must be at most 4000 characters').optional() }).openapi('ConfirmMeasurementRequest');
const CommentSchema = z
  .object({ text: z.string({ error: 'text is required: your comment' }).trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters') })
  .openapi('MeasurementCommentRequest');

const params = z.object({ id: uuidParam('id', 'an agreement') });
const CONTENT_TYPES = { pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;
const measurementParams = z.object({ id: uuidParam('id', 'an agreement'), mid: uuidParam('mid', 'a measurement') });

const deps = (c: AppContext) => {
  const d = c.get('deps');
  return { db: d.db, outbox: d.outbox };
};

export const followUpRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/agreements/{id}/follow-up',
      tags: ['follow-up'],
      summary:
        'Follow-up of the latest signed final version: goals with baseline, target, follow-up dates, status and measurements; key dates; findings; what you may do. 409 not-signed without a signed final version',
      security: cookieAuth,
      request: { params, query: z.object({ asOf: isoDate('asOf').optional().openapi({ description: 'Compute status and findings for this date (default: today, Europe/Stockholm)' }) }) },
      responses: { 200: jsonContent(FollowUpSchema, 'The follow-up'), ...problems(400, 401, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { asOf } = c.req.valid('query');
      const user = requireUser(c);
      const { actor, agreement } = await authorizeOn(c.get('deps').db, id, user.id, 'followUp.read');
      return c.json(await followUpFor(c.get('deps').db, agreement, actor, asOf), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/follow-up/measurements',
      tags: ['follow-up'],
      summary: "Record a measurement of a signed goal (editors of the goal's responsible party; 403 not-responsible-party otherwise)",
      security: cookieAuth,
      request: { params, body: jsonBody(RecordSchema) },
      responses: { 201: jsonContent(MeasurementSchema, 'Recorded'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await recordMeasurement(deps(c), requireUser(c), id, c.req.valid('json')), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/follow-up/measurements/{mid}/confirmations',
      tags: ['follow-up'],
      summary: "Confirm another party's measurement (editors of a party other than the recorder's; 409 already-confirmed when your party has)",
      security: cookieAuth,
      request: { params: measurementParams, body: jsonBody(ConfirmSchema) },
      responses: { 201: jsonContent(MeasurementSchema, 'Confirmed'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, mid } = c.req.valid('param');
      return c.json(await confirmMeasurement(deps(c), requireUser(c), id, mid, c.req.valid('json').comment ?? ''), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/follow-up/measurements/{mid}/comments',
      tags: ['follow-up'],
      summary: 'Comment on a measurement (editors and commenters of any party)',
      security: cookieAuth,
      request: { params: measurementParams, body: jsonBody(CommentSchema) },
      responses: { 201: jsonContent(MeasurementSchema, 'Commented'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, mid } = c.req.valid('param');
      return c.json(await commentOnMeasurement(deps(c), requireUser(c), id, mid, c.req.valid('json').text), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/agreements/{id}/follow-up/report',
      tags: ['follow-up'],
      summary:
        '"Uppföljning av överenskommelse" for a date as PDF (tagged) or DOCX, in the agreement export\'s style: goals, baselines, measurements so far, targets, status, the parties\' comments, findings and key dates. POST because it is recorded in the audit trail (follow-up-report.exported)',
      security: cookieAuth,
      request: {
        params,
        body: jsonBody(
          z
            .object({
              format: z.enum(['pdf', 'docx'], { error: 'format must be pdf or docx' }),
              asOf: isoDate('asOf'),
              locale: z.enum(['sv', 'en'], { error: 'locale must be sv or en' }).optional(),
            })
            .openapi('FollowUpReportRequest'),
        ),
      },
      responses: {
        200: {
          description: 'The report',
          content: { [CONTENT_TYPES.pdf]: { schema: z.string().openapi({ format: 'binary' }) }, [CONTENT_TYPES.docx]: { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...problems(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const request = c.req.valid('json');
      const { body, sha256, fileName } = await exportFollowUpReport(deps(c), requireUser(c), id, request);
      return c.body(new Uint8Array(body), 200, {
        'content-type': CONTENT_TYPES[request.format],
        'content-disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        'x-content-sha256': sha256,
        'cache-control': 'private, no-store',
      });
    },
  );
