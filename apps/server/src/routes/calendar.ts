import { createRoute, z } from '@hono/zod-openapi';
import { createCalendarFeed, listCalendarFeeds, resolveCalendarFeed, revokeCalendarFeed } from '../commands/calendar.ts';
import { renderCalendar } from '../calendar/ical.ts';
import { cookieAuth, createRouter, jsonBody, jsonContent, problems, requireUser, uuidParam } from '../http/openapi.ts';
import { ApiError } from '../http/problem.ts';
import { keyDatesOfMember, todayInStockholm } from '../queries/follow-up.ts';
import { addDays } from '@overens/model';
import { publicBase } from './invitations.ts';

const FeedSchema = z.object({ id: z.uuid(), agreementId: z.uuid().nullable(), createdAt: z.string() }).openapi('CalendarFeed');
const CreatedFeedSchema = z
  .object({ id: z.uuid(), agreementId: z.uuid().nullable(), createdAt: z.string(), url: z.string().openapi({ description: 'The private subscription URL, shown only now' }) })
  .openapi('CalendarFeedCreated');
const CreateFeedSchema = z
  .object({ agreementId: z.uuid({ error: 'agreementId must be the id (UUID) of an agreement you are a member of' }).optional().openapi({ description: 'Omitted: all your signed agreements' }) })
  .openapi('CreateCalendarFeedRequest');

const UpcomingSchema = z
  .object({
    agreementId: z.uuid(),
    agreementTitle: z.string(),
    date: z.string(),
    kind: z.enum(['follow-up', 'goal-deadline', 'period-end', 'notice', 'renegotiation']),
    goalId: z.string().optional(),
    goalTitle: z.string().optional(),
  })
  .openapi('UpcomingDate');

const notFound = () => new ApiError(404, 'not-found', 'Not Found', 'No calendar with this address exists, or it was revoked.', undefined, undefined, { code: 'not-found' });

export const calendarRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/calendar/feeds',
      tags: ['calendar'],
      summary: 'Your calendar subscriptions that are not revoked (their URLs are shown only when created)',
      security: cookieAuth,
      responses: { 200: jsonContent(z.array(FeedSchema), 'Subscriptions'), ...problems(401) },
    }),
    async (c) => c.json(await listCalendarFeeds(c.get('deps').db, requireUser(c).id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/calendar/feeds',
      tags: ['calendar'],
      summary: 'Create a private iCal subscription URL: of one agreement (a member), or of all your signed agreements. 409 too-many-calendar-feeds at 50 live ones',
      security: cookieAuth,
      request: { body: jsonBody(CreateFeedSchema) },
      responses: { 201: jsonContent(CreatedFeedSchema, 'Created; the URL is shown once'), ...problems(400, 401, 404, 409) },
    }),
    async (c) => {
      const { agreementId } = c.req.valid('json');
      const feed = await createCalendarFeed(c.get('deps'), requireUser(c), agreementId ?? null);
      return c.json({ id: feed.id, agreementId: feed.agreementId, createdAt: feed.createdAt, url: `${publicBase(c)}/calendar/${feed.token}.ics` }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/calendar/feeds/{id}',
      tags: ['calendar'],
      summary: 'Revoke a subscription: its URL answers 404 from now on',
      security: cookieAuth,
      request: { params: z.object({ id: uuidParam('id', 'a calendar subscription') }) },
      responses: { 204: { description: 'Revoked' }, ...problems(401, 404) },
    }),
    async (c) => {
      await revokeCalendarFeed(c.get('deps'), requireUser(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/me/upcoming',
      tags: ['calendar'],
      summary: 'Key dates of your signed agreements from today (Europe/Stockholm) for the next `days` days, sorted by date',
      security: cookieAuth,
      request: { query: z.object({ days: z.coerce.number().int().min(1, 'must be at least 1').max(3660, 'must be at most 3660').default(90) }) },
      responses: { 200: jsonContent(z.array(UpcomingSchema), 'Upcoming dates'), ...problems(400, 401) },
    }),
    async (c) => {
      const { days } = c.req.valid('query');
      const today = todayInStockholm();
      const until = addDays(today, days);
      const dates = await keyDatesOfMember(c.get('deps').db, requireUser(c).id, null);
      return c.json(
        dates
          .filter((d) => d.date >= today && d.date <= until)
          .map(({ signedVersion: _v, ...d }) => d),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/calendar/{file}',
      tags: ['calendar'],
      summary: 'The iCal feed of a subscription (`<token>.ics`; no session: the token is the secret). 404 problem when unknown or revoked',
      request: { params: z.object({ file: z.string().openapi({ param: { name: 'file', in: 'path' }, example: 'AbC…xyz.ics' }) }) },
      responses: { 200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } }, ...problems(404) },
    }),
    async (c) => {
      const { file } = c.req.valid('param');
      const d = c.get('deps');
      const m = /^(.+)\.ics$/.exec(file);
      const feed = m ? await resolveCalendarFeed(d.db, m[1]!) : null;
      if (!feed) throw notFound();
      const dates = await keyDatesOfMember(d.db, feed.userId, feed.agreementId);
      const base = publicBase(c);
      const name = feed.agreementId ? `Överens – ${dates[0]?.agreementTitle ?? 'överenskommelse'}` : 'Överens – mina överenskommelser';
      const body = renderCalendar(dates, { name, base, host: new URL(base).host });
      return c.body(body, 200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-store', 'content-disposition': 'inline; filename="overens.ics"' });
    },
  );
