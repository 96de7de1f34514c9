/**
 * Typed fetch client for the Överens HTTP API (contract: issue 2 and the team plan).
 * Errors arrive as problem+json and are thrown as `ApiError`, whose `fieldErrors` map a field name
 * to a message a person can act on; forms show them next to the field.
 */

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: Record<string, string>;
  constructor(status: number, title: string, detail?: string, errors: FieldError[] = []) {
    super(detail ?? title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = {};
    for (const e of errors) {
      // zod paths may arrive as "body.email" or "email"; keep the last segment as the field name.
      const key = e.field.split('.').pop() ?? e.field;
      if (!(key in this.fieldErrors)) this.fieldErrors[key] = e.message;
    }
  }
  /** Readable one-line message: the detail when there is one, otherwise the title. */
  get readable(): string {
    return this.detail || this.title;
  }
}

/** Thrown when the network is down (fetch rejected): distinct from an error answer. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new NetworkError(e);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const p = (data ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
    throw new ApiError(res.status, p.title ?? res.statusText, p.detail, Array.isArray(p.errors) ? p.errors : []);
  }
  return data as T;
}

export const http = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/* ----- Types (the parts of the contract the web app reads) ----- */

export interface Me {
  id: string;
  email: string;
  name: string;
}

export type OrgKind = 'ideburen' | 'kommun' | 'region';

export interface Organisation {
  id: string;
  name: string;
  kind: OrgKind;
  orgNumber: string;
  municipalityCode: string | null;
  role?: 'admin' | 'member';
}

export type MemberRole = 'editor' | 'commenter' | 'viewer';

export interface AgreementSummary {
  id: string;
  title: string;
  status: 'draft' | 'locked';
  archived?: boolean;
  role?: MemberRole;
  updatedAt?: string;
  createdAt?: string;
  parties?: { id: string; name: string; kind: OrgKind }[];
}

export interface AgreementParty {
  id: string;
  name: string;
  kind: OrgKind;
  orgNumber?: string;
  municipalityCode?: string | null;
}

export interface AgreementMember {
  userId: string;
  name: string;
  email?: string;
  role: MemberRole;
  signatory: boolean;
  partyId: string;
}

export interface AgreementDetail {
  id: string;
  title: string;
  status: 'draft' | 'locked';
  archived: boolean;
  templateId: string | null;
  templateVersion: number | null;
  finalVersion: number | null;
  parties: AgreementParty[];
  members: AgreementMember[];
  /** The caller's membership. */
  role: MemberRole;
  signatory: boolean;
  partyId: string;
}

export interface TemplateInfo {
  id: string;
  name: string;
  version?: number;
  organisationId?: string | null;
  sections?: { key: string; title: string; required: boolean; guidance?: string }[];
}

export interface InvitationResult {
  token: string;
  url: string;
}

export interface InvitationPreview {
  agreementTitle: string;
  role: MemberRole;
  signatory: boolean;
  newParty: boolean;
  invitedBy?: string;
  partyName?: string;
  expiresAt?: string;
}

export interface Municipality {
  code: string;
  name: string;
  countyCode?: string;
}

export interface Region {
  code: string;
  name: string;
}

/* ----- Normalisers: accept the few shapes the server may reasonably answer with ----- */

type Loose = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

function listOf(data: unknown, ...keys: string[]): Loose[] {
  if (Array.isArray(data)) return data as Loose[];
  if (data && typeof data === 'object') {
    for (const k of keys) {
      const v = (data as Loose)[k];
      if (Array.isArray(v)) return v as Loose[];
    }
  }
  return [];
}

function normaliseDetail(raw: Loose): AgreementDetail {
  const me = (raw.me ?? raw.membership ?? raw.my ?? {}) as Loose;
  const parties = listOf(raw.parties).map((p) => ({
    id: str(p.id ?? p.organisationId),
    name: str(p.name),
    kind: str(p.kind) as OrgKind,
    orgNumber: str(p.orgNumber),
    municipalityCode: (p.municipalityCode as string | null | undefined) ?? null,
  }));
  const members = listOf(raw.members).map((m) => ({
    userId: str(m.userId ?? m.id),
    name: str(m.name ?? (m.user as Loose | undefined)?.name),
    email: str(m.email ?? (m.user as Loose | undefined)?.email),
    role: str(m.role) as MemberRole,
    signatory: Boolean(m.signatory),
    partyId: str(m.partyId ?? m.organisationId),
  }));
  return {
    id: str(raw.id),
    title: str(raw.title),
    status: raw.status === 'locked' ? 'locked' : 'draft',
    archived: Boolean(raw.archived ?? raw.archivedAt),
    templateId: (raw.templateId as string | null | undefined) ?? null,
    templateVersion: (raw.templateVersion as number | null | undefined) ?? null,
    finalVersion: (raw.finalVersion as number | null | undefined) ?? null,
    parties,
    members,
    role: (str(me.role ?? raw.role ?? raw.myRole) || 'viewer') as MemberRole,
    signatory: Boolean(me.signatory ?? raw.signatory ?? raw.mySignatory),
    partyId: str(me.partyId ?? raw.partyId ?? raw.myPartyId),
  };
}

/* ----- Routes ----- */

export const api = {
  me: () => http.get<Me>('/api/me'),
  register: (body: { email: string; password: string; name: string }) => http.post<Me>('/api/auth/register', body),
  login: (body: { email: string; password: string }) => http.post<Me>('/api/auth/login', body),
  logout: () => http.post<void>('/api/auth/logout'),

  organisations: async () => listOf(await http.get<unknown>('/api/organisations'), 'organisations', 'items') as unknown as Organisation[],
  createOrganisation: (body: { name: string; kind: OrgKind; orgNumber: string; municipalityCode?: string }) =>
    http.post<Organisation>('/api/organisations', body),

  agreements: async (archived?: 'true' | 'all') =>
    listOf(await http.get<unknown>(archived ? `/api/agreements?archived=${archived}` : '/api/agreements'), 'agreements', 'items') as unknown as AgreementSummary[],
  agreement: async (id: string) => normaliseDetail(await http.get<Loose>(`/api/agreements/${encodeURIComponent(id)}`)),
  createAgreement: (body: { title: string; organisationId: string; templateId?: string }) =>
    http.post<{ id: string }>('/api/agreements', body),
  updateAgreement: (id: string, body: { title?: string; archived?: boolean }) =>
    http.patch<unknown>(`/api/agreements/${encodeURIComponent(id)}`, body),

  createInvitation: (id: string, body: { role: MemberRole; signatory?: boolean; newParty?: boolean; expiresInDays?: number }) =>
    http.post<InvitationResult>(`/api/agreements/${encodeURIComponent(id)}/invitations`, body),
  invitation: async (token: string): Promise<InvitationPreview> => {
    const raw = await http.get<Loose>(`/api/invitations/${encodeURIComponent(token)}`);
    const agreement = (raw.agreement ?? {}) as Loose;
    return {
      agreementTitle: str(raw.agreementTitle ?? agreement.title ?? raw.title),
      role: (str(raw.role) || 'viewer') as MemberRole,
      signatory: Boolean(raw.signatory),
      newParty: Boolean(raw.newParty),
      invitedBy: str(raw.invitedBy ?? (raw.inviter as Loose | undefined)?.name) || undefined,
      partyName: str(raw.partyName ?? (raw.party as Loose | undefined)?.name) || undefined,
      expiresAt: str(raw.expiresAt) || undefined,
    };
  },
  acceptInvitation: (token: string, body: { organisationId?: string }) =>
    http.post<{ agreementId?: string; id?: string }>(`/api/invitations/${encodeURIComponent(token)}/accept`, body),

  templates: async () => listOf(await http.get<unknown>('/api/templates'), 'templates', 'items') as unknown as TemplateInfo[],

  municipalities: async (): Promise<Municipality[]> =>
    listOf(await http.get<unknown>('/api/reference/municipalities'), 'municipalities', 'items').map((m) => ({
      code: str(m.code ?? m.municipalityCode ?? m.municipality_code),
      name: str(m.name ?? m.municipalityName ?? m.municipality_name),
      countyCode: str(m.countyCode ?? m.county_code) || undefined,
    })),
  regions: async (): Promise<Region[]> =>
    listOf(await http.get<unknown>('/api/reference/regions'), 'regions', 'items').map((r) => ({
      code: str(r.code ?? r.countyCode ?? r.county_code),
      name: str(r.name ?? r.countyName ?? r.county_name),
    })),
};
