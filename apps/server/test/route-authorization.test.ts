/**
 * Every API route has an authorization step: the route table is walked and each handler must ask the
 * policy (a function named authorize*) or call a command (commands authorize inside their
 * transaction: a template command on the caller's role in the template's organisation). Routes that need no agreement authorization
 * are listed below with the reason. A new route without either fails here.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import * as agreementCommands from '../src/commands/agreements.ts';
import * as approvals from '../src/commands/approvals.ts';
import * as comments from '../src/commands/comments.ts';
import * as followUp from '../src/commands/follow-up.ts';
import * as revisions from '../src/commands/revisions.ts';
import * as importCommands from '../src/commands/import.ts';
import * as invitations from '../src/commands/invitations.ts';
import * as members from '../src/commands/members.ts';
import * as organisationCommands from '../src/commands/organisations.ts';
import * as parties from '../src/commands/parties.ts';
import * as signedCopy from '../src/commands/signed-copy.ts';
import * as suggestions from '../src/commands/suggestions.ts';
import * as templates from '../src/commands/templates.ts';
import * as versions from '../src/commands/versions.ts';
import type { AppEnv } from '../src/http/openapi.ts';
import { mountRoutes } from '../src/routes/index.ts';

/** Not about one agreement: public, or scoped to the signed-in user's own account/organisations. */
const NO_AGREEMENT_POLICY: Record<string, string> = {
  'GET /api/health': 'public probe',
  'GET /api/health/live': 'public probe',
  'POST /api/auth/register': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'own session',
  'GET /api/me': 'own account',
  'GET /api/reference/municipalities': 'public reference data',
  'GET /api/reference/regions': 'public reference data',
  'GET /api/config': "public: the server's features (mail on or off)",
  'GET /api/organisations': "the user's own organisations",
  'POST /api/organisations': 'creates the user’s own organisation',
  'GET /api/templates': 'built-in and own organisations’ templates',
  'GET /api/templates/:id': 'built-in and own organisations’ templates',
  'GET /api/agreements': "the user's own memberships",
  'GET /api/invitations/:token': 'the token is the secret',
  'POST /api/invitations/:token/accept': 'the token is the secret (acceptInvitation command)',
  'GET /api/organisations/join-requests': "the user's own requests to join",
  'GET /api/organisation-invitations/:token': 'the token is the secret (previewOrganisationInvitation)',
  'POST /api/organisation-invitations/:token/accept': 'the token is the secret (acceptOrganisationInvitation command)',
  'GET /api/admin/status': "whether the user is an operator (policies/organisations isOperator)",
  'GET /api/email-verification': "the user's own address",
  'POST /api/email-verification': "sends a link to the user's own address",
  'POST /api/email-verification/confirm': 'the token is the secret',
  'GET /api/calendar/feeds': "the user's own calendar subscriptions",
  'POST /api/calendar/feeds': "the user's own subscription (createCalendarFeed: agreement.read for one agreement)",
  'DELETE /api/calendar/feeds/:id': "the user's own subscription",
  'GET /api/me/upcoming': "the user's own agreements",
};

const commandNames = [agreementCommands, approvals, comments, followUp, revisions, importCommands, invitations, members, organisationCommands, parties, signedCopy, suggestions, templates, versions].flatMap((m) => Object.keys(m).filter((k) => typeof (m as Record<string, unknown>)[k] === 'function'));
const AUTHORIZES = new RegExp(`\\b(authorize\\w*|${commandNames.join('|')})\\b`);

describe('route table', () => {
  const app = new OpenAPIHono<AppEnv>();
  mountRoutes(app);
  const routes = new Map<string, string[]>();
  for (const r of app.routes) {
    if (!r.path.startsWith('/api/')) continue;
    const key = `${r.method} ${r.path}`;
    routes.set(key, [...(routes.get(key) ?? []), r.handler.toString()]);
  }

  it('has API routes to check', () => {
    expect(routes.size).toBeGreaterThan(30);
  });

  it('every agreement route asks the policy or runs a command', () => {
    const missing = [...routes]
      .filter(([key]) => !(key in NO_AGREEMENT_POLICY))
      .filter(([, sources]) => !sources.some((s) => AUTHORIZES.test(s)))
      .map(([key]) => key);
    expect(missing, 'routes without an authorization step: call authorizeOn(db, id, user.id, <action>) or a command').toEqual([]);
  });

  it('every route outside the policy is one the list above names (and still exists)', () => {
    const unknown = Object.keys(NO_AGREEMENT_POLICY).filter((k) => !routes.has(k) && k !== 'GET /api/health/live');
    expect(unknown).toEqual([]);
  });
});
