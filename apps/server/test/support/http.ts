import { randomBytes } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../src/http/openapi.ts';

/** A listening server's base URL, or an app for app.request(). */
export type Target = string | OpenAPIHono<AppEnv> | { app: OpenAPIHono<AppEnv> } | { url: string };

export interface RequestOptions {
  cookie?: string | null;
  body?: unknown;
  /** Defaults to the target's own origin (passes the CSRF check); null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
}

function resolve(target: Target): { base: string; app: OpenAPIHono<AppEnv> | null } {
  if (typeof target === 'string') return { base: target.replace(/\/+$/, ''), app: null };
  if ('url' in target && typeof target.url === 'string') return { base: target.url.replace(/\/+$/, ''), app: null };
  if ('request' in target && typeof target.request === 'function') return { base: 'http://localhost', app: target };
  return { base: 'http://localhost', app: (target as { app: OpenAPIHono<AppEnv> }).app };
}

/** One HTTP request against a server URL or an app; JSON body, session cookie and Origin handled. */
export async function api(target: Target, method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const { base, app } = resolve(target);
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  if (opts.cookie) headers.cookie = opts.cookie;
  const origin = opts.origin === undefined ? base : opts.origin;
  if (origin !== null && method !== 'GET' && method !== 'HEAD') headers.origin = origin;
  const init: RequestInit = {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  };
  return app ? app.request(path, init) : fetch(base + path, init);
}

/** `overens_session=<token>` from a response's Set-Cookie, or null. */
export function sessionCookie(res: Response): string | null {
  for (const c of res.headers.getSetCookie()) {
    const m = /^overens_session=([^;]*)/.exec(c);
    if (m && m[1]) return `overens_session=${m[1]}`;
  }
  return null;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@test.overens.se`;
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  cookie: string;
}

/** Registers a new user (unique e-mail unless given) and returns its session cookie. */
export async function registerUser(
  target: Target,
  input: { email?: string; password?: string; name?: string } = {},
): Promise<TestUser> {
  const email = input.email ?? uniqueEmail();
  const password = input.password ?? 'correct horse battery staple';
  const name = input.name ?? 'Test Person';
  const res = await api(target, 'POST', '/api/auth/register', { body: { email, password, name } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const cookie = sessionCookie(res);
  if (!cookie) throw new Error('register set no session cookie');
  const user = (await res.json()) as { id: string };
  return { id: user.id, email, name, password, cookie };
}

/** Logs in and returns the session cookie. */
export async function login(target: Target, email: string, password: string): Promise<string> {
  const res = await api(target, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = sessionCookie(res);
  if (!cookie) throw new Error('login set no session cookie');
  return cookie;
}

/** Valid organisation numbers (Luhn-correct) for tests. */
export const ORG_NUMBERS = {
  ideburen: '802002-4280',
  kommun: '212000-0142',
  region: '232100-0016',
  other: '556036-0793',
} as const;

let orgCounter = 0;

/**
 * A Luhn-valid organisation number not used before in this process (numbers are unique per organisation):
 * `prefix` sets the first digits (802 idéburen, 212 kommun, 232 region).
 */
export function uniqueOrgNumber(prefix = '802'): string {
  const rand = `${Date.now()}${++orgCounter}${randomBytes(3).readUIntBE(0, 3)}`.replace(/\D/g, '');
  const nine = (prefix + rand.slice(-(9 - prefix.length))).slice(0, 9);
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  const all = nine + String((10 - (sum % 10)) % 10);
  return `${all.slice(0, 6)}-${all.slice(6)}`;
}

const KIND_PREFIX = { ideburen: '802', kommun: '212', region: '232' } as const;

export async function createOrganisation(
  target: Target,
  cookie: string,
  input: Partial<{ name: string; kind: 'ideburen' | 'kommun' | 'region'; orgNumber: string; municipalityCode: string }> = {},
): Promise<{ id: string; name: string; kind: string; orgNumber: string }> {
  const kind = input.kind ?? 'ideburen';
  const body = {
    name: input.name ?? `Test ${kind} ${randomBytes(3).toString('hex')}`,
    kind,
    orgNumber: input.orgNumber ?? uniqueOrgNumber(KIND_PREFIX[kind]),
    ...(input.municipalityCode !== undefined
      ? { municipalityCode: input.municipalityCode }
      : kind === 'kommun'
        ? { municipalityCode: '0180' }
        : kind === 'region'
          ? { municipalityCode: '01' }
          : {}),
  };
  const res = await api(target, 'POST', '/api/organisations', { cookie, body });
  if (res.status !== 201) throw new Error(`create organisation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; name: string; kind: string; orgNumber: string };
}

export async function createAgreement(
  target: Target,
  cookie: string,
  input: { organisationId: string; title?: string; templateId?: string },
): Promise<{ id: string; title: string; parties: { id: string }[] }> {
  const res = await api(target, 'POST', '/api/agreements', {
    cookie,
    body: { title: input.title ?? 'Test agreement', organisationId: input.organisationId, ...(input.templateId ? { templateId: input.templateId } : {}) },
  });
  if (res.status !== 201) throw new Error(`create agreement failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; title: string; parties: { id: string }[] };
}

/** Creates an invitation and accepts it as `acceptor`; returns the invitation token. */
export async function inviteAndAccept(
  target: Target,
  inviterCookie: string,
  agreementId: string,
  acceptorCookie: string,
  invitation: { role: 'editor' | 'commenter' | 'viewer'; signatory?: boolean; newParty?: boolean },
  accept: { organisationId?: string } = {},
): Promise<string> {
  const res = await api(target, 'POST', `/api/agreements/${agreementId}/invitations`, { cookie: inviterCookie, body: invitation });
  if (res.status !== 201) throw new Error(`create invitation failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const acc = await api(target, 'POST', `/api/invitations/${token}/accept`, { cookie: acceptorCookie, body: accept });
  if (acc.status !== 200) throw new Error(`accept invitation failed: ${acc.status} ${await acc.text()}`);
  return token;
}
