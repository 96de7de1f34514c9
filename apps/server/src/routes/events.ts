/**
 * GET /api/agreements/:id/events — Server-Sent Events for the non-Yjs live data of one agreement
 * (comments, versions, approvals, sync status …), filtered per user ON THE SERVER: an event with a
 * `partyId` audience (e.g. an internal comment) is only ever written to streams of members of that
 * party. Membership is re-checked while the stream is open, so a removed member stops receiving.
 *
 * Anyone in the server can publish to it through `deps.events.publish({ type, agreementId, partyId?, data })`.
 * Each message: `event: <type>`, `data: <JSON of data>`. The first message is `ready` (subscribed).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { getMembership, requireMembership, type Membership } from '../agreements/membership.ts';
import type { AgreementEvent } from '../events/bus.ts';
import { cookieAuth, createRouter, problems, requireUser, uuidParam } from '../http/openapi.ts';

/** Keep-alive comment interval (proxies close idle connections). */
const HEARTBEAT_MS = 20_000;
/** Membership is re-read at most this often while events flow (and on every heartbeat). */
const MEMBERSHIP_TTL_MS = 2_000;

/** Whether `event` may be delivered to a member (the one filtering rule). */
export function deliverableTo(event: AgreementEvent, member: Pick<Membership, 'partyId'>): boolean {
  return event.partyId === undefined || event.partyId === null || event.partyId === member.partyId;
}

export const eventRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/agreements/{id}/events',
    tags: ['events'],
    summary: 'Live events of an agreement (text/event-stream), filtered for you',
    security: cookieAuth,
    request: { params: z.object({ id: uuidParam('id', 'an agreement') }) },
    responses: {
      200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...problems(401, 404),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const user = requireUser(c);
    const { db, events, logger } = c.get('deps');
    let member: Membership | null = await requireMembership(db, id, user.id);
    let checkedAt = Date.now();

    c.header('cache-control', 'no-cache, no-transform');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      const queue: AgreementEvent[] = [];
      let wake: (() => void) | null = null;
      let closed = false;
      const close = () => {
        closed = true;
        wake?.();
      };
      stream.onAbort(close);
      const unsubscribe = events.subscribe(id, (event) => {
        queue.push(event);
        wake?.();
      });
      const heartbeat = setInterval(() => {
        checkedAt = 0; // force a membership check with the heartbeat
        queue.push({ type: ':heartbeat', agreementId: id, data: null });
        wake?.();
      }, HEARTBEAT_MS);
      heartbeat.unref?.();

      const refreshMembership = async () => {
        if (Date.now() - checkedAt < MEMBERSHIP_TTL_MS) return;
        member = await getMembership(db, id, user.id);
        checkedAt = Date.now();
      };

      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ agreementId: id, partyId: member!.partyId, role: member!.role }) });
        while (!closed) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
            continue;
          }
          const event = queue.shift()!;
          await refreshMembership();
          if (!member) {
            await stream.writeSSE({ event: 'access-revoked', data: '{}' });
            break;
          }
          if (event.type === ':heartbeat') {
            await stream.write(': ping\n\n');
            continue;
          }
          if (!deliverableTo(event, member)) continue;
          await stream.writeSSE({ event: event.type, data: JSON.stringify(event.data ?? null) });
        }
      } catch (err) {
        if (!closed) logger.debug?.({ err, agreementId: id }, 'event stream ended');
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  },
);
