/**
 * GET /api/agreements/:id/events — Server-Sent Events for the non-Yjs live data of one agreement
 * (comments, versions, approvals, sync status …), filtered per user ON THE SERVER: an event with a
 * `partyId` audience (e.g. an internal comment) is only ever written to streams of members of that
 * party (the policy's `event.receive`). Membership is read again before each batch of events is written,
 * so nothing published after a removal commits reaches the removed member; a `member.*` event about
 * the streaming user ends (or re-scopes) the stream at once.
 *
 * Anyone in the server can publish to it through `deps.events.publish({ type, agreementId, partyId?, data })`.
 * Each message: `event: <type>`, `data: <JSON of data>`. The first message is `ready` (subscribed).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { can, type Actor, type AgreementState } from '../policies/index.ts';
import { authorizeOn, loadSubject } from '../policies/subject.ts';
import type { AgreementEvent } from '../events/bus.ts';
import { cookieAuth, createRouter, problems, requireUser, uuidParam } from '../http/openapi.ts';

/** Keep-alive comment interval (proxies close idle connections); membership is re-checked with it too. */
const HEARTBEAT_MS = 20_000;

/** Whether `event` may be delivered to a member (the policy's `event.receive`). */
export function deliverableTo(event: AgreementEvent, member: Pick<Actor, 'partyId'> & Partial<Actor>, agreement: AgreementState = { status: 'draft' }): boolean {
  // event.receive looks at the party only; a bare { partyId } is enough to ask.
  const actor: Actor = { userId: '', role: 'viewer', signatory: false, ...member };
  return can(actor, 'event.receive', agreement, { partyId: event.partyId ?? null });
}

/** A member event about this user: check membership before anything else is delivered. */
const concernsMe = (event: AgreementEvent, userId: string) =>
  event.type.startsWith('member.') && (event.data as { userId?: unknown } | null)?.userId === userId;

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
    const first = await authorizeOn(db, id, user.id, 'agreement.read');
    let member: Actor | null = first.actor;
    let agreement: AgreementState | null = first.agreement;

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
        queue.push({ type: ':heartbeat', agreementId: id, data: null });
        wake?.();
      }, HEARTBEAT_MS);
      heartbeat.unref?.();

      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ agreementId: id, partyId: first.actor.partyId, role: first.actor.role }) });
        while (!closed) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
            continue;
          }
          // Membership is read after these events were published: an event published after a removal
          // committed is never delivered to the removed member (one query per batch, not per event).
          const batch = queue.splice(0, queue.length);
          ({ actor: member, agreement } = await loadSubject(db, id, user.id));
          if (!member || !agreement) {
            await stream.writeSSE({ event: 'access-revoked', data: '{}' });
            break;
          }
          for (const event of batch) {
            if (event.type === ':heartbeat') {
              await stream.write(': ping\n\n');
              continue;
            }
            if (!deliverableTo(event, member, agreement)) continue;
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event.data ?? null) });
            // Our own membership changed: the next batch (possibly empty) re-reads it before going on.
            if (concernsMe(event, user.id)) {
              queue.unshift(...batch.slice(batch.indexOf(event) + 1));
              break;
            }
          }
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
