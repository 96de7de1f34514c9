import { uniqueOrgNumber } from '../support/http.ts';
/**
 * Two parties on one agreement, through the public HTTP API: an NGO editor (who creates it), a kommun
 * editor (who accepts a new-party invitation), plus colleagues of the NGO with the commenter and
 * viewer roles. Used by the comments, versions and events tests.
 */
export interface Session {
  cookie: string;
  userId: string;
  name: string;
}

export interface TwoParties {
  agreementId: string;
  ngoOrgId: string;
  kommunOrgId: string;
  ngo: Session;
  ngoCommenter: Session;
  ngoViewer: Session;
  kommun: Session;
}

let counter = 0;

export function client(baseUrl: string) {
  const origin = baseUrl;
  async function call<T = unknown>(method: string, path: string, session: Session | null, body?: unknown): Promise<{ status: number; json: T; headers: Headers }> {
    const headers: Record<string, string> = { origin };
    if (session) headers.cookie = session.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json: json as T, headers: res.headers };
  }
  async function expectOk<T>(method: string, path: string, session: Session | null, body?: unknown): Promise<T> {
    const r = await call<T>(method, path, session, body);
    if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }
  async function register(name: string): Promise<Session> {
    const email = `u${Date.now().toString(36)}${++counter}${Math.random().toString(36).slice(2, 6)}@exempel.se`;
    const res = await fetch(baseUrl + '/api/auth/register', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'ett långt lösenord 123', name }),
    });
    if (res.status !== 201) throw new Error(`register -> ${res.status} ${await res.text()}`);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0]!;
    const user = (await res.json()) as { id: string };
    return { cookie, userId: user.id, name };
  }
  return { call, expectOk, register };
}

export async function setUpTwoParties(baseUrl: string): Promise<TwoParties> {
  const api = client(baseUrl);
  const ngo = await api.register('Nora NGO');
  const kommun = await api.register('Kalle Kommun');
  const ngoCommenter = await api.register('Cecilia Kommentar');
  const ngoViewer = await api.register('Viktor Läsare');
  const ngoOrg = await api.expectOk<{ id: string }>('POST', '/api/organisations', ngo, { name: 'Föreningen Läxhjälpen', kind: 'ideburen', orgNumber: uniqueOrgNumber('802') });
  const kommunOrg = await api.expectOk<{ id: string }>('POST', '/api/organisations', kommun, { name: 'Exempel kommun', kind: 'kommun', orgNumber: uniqueOrgNumber('212'), municipalityCode: '0180' });
  const agreement = await api.expectOk<{ id: string }>('POST', '/api/agreements', ngo, { title: 'IOP om läxhjälp', organisationId: ngoOrg.id });
  const invite = async (body: Record<string, unknown>) =>
    (await api.expectOk<{ token: string }>('POST', `/api/agreements/${agreement.id}/invitations`, ngo, body)).token;
  const tKommun = await invite({ role: 'editor', newParty: true });
  await api.expectOk('POST', `/api/invitations/${tKommun}/accept`, kommun, { organisationId: kommunOrg.id });
  const tCommenter = await invite({ role: 'commenter' });
  await api.expectOk('POST', `/api/invitations/${tCommenter}/accept`, ngoCommenter, {});
  const tViewer = await invite({ role: 'viewer' });
  await api.expectOk('POST', `/api/invitations/${tViewer}/accept`, ngoViewer, {});
  return { agreementId: agreement.id, ngoOrgId: ngoOrg.id, kommunOrgId: kommunOrg.id, ngo, ngoCommenter, ngoViewer, kommun };
}

/** A Server-Sent Events reader over fetch: collects every event (name + parsed data) and raw text. */
export interface EventStream {
  events: Array<{ event: string; data: unknown }>;
  raw: string;
  status: number;
  /** Resolves (with Date.now()) when the server ended the stream. */
  ended: Promise<number>;
  /** Resolves when an event matching `pred` has arrived. */
  waitFor(pred: (e: { event: string; data: unknown }) => boolean, what?: string): Promise<{ event: string; data: unknown }>;
  close(): void;
}

export async function openEventStream(baseUrl: string, agreementId: string, session: Session): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/agreements/${agreementId}/events`, {
    headers: { cookie: session.cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const stream: EventStream = {
    events: [],
    raw: '',
    status: res.status,
    waitFor: () => Promise.reject(new Error('stream not open')),
    close: () => controller.abort(),
    ended: Promise.resolve(Date.now()),
  };
  if (res.status !== 200 || !res.body) return stream;
  const waiters: Array<{ pred: (e: { event: string; data: unknown }) => boolean; resolve: (e: { event: string; data: unknown }) => void }> = [];
  let buffer = '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  stream.ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        stream.raw += text;
        buffer += text;
        let idx;
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length === 0) continue;
          let parsed: unknown = data.join('\n');
          try {
            parsed = JSON.parse(parsed as string);
          } catch {
            /* keep text */
          }
          const e = { event, data: parsed };
          stream.events.push(e);
          for (const w of [...waiters]) {
            if (w.pred(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
          }
        }
      }
    } catch {
      /* aborted */
    }
    return Date.now();
  })();
  stream.waitFor = (pred) => {
    const found = stream.events.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => waiters.push({ pred, resolve }));
  };
  await stream.waitFor((e) => e.event === 'ready');
  return stream;
}
