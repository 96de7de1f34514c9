/**
 * Client for the approval, lock, export, import and audit routes (issue 6; shapes from
 * apps/server/src/routes/{approvals,export,import,audit}.ts). Problems arrive as problem+json; the
 * extensions the UI needs (`findings` of a refused approval, `messages` {sv,en} of a refused import)
 * are kept on `SigningProblem`, which the shared `ApiError` does not carry.
 */
import type { Finding, RichNode } from '@overens/model';
import { ApiError, http, NetworkError, type FieldError } from '../../api/client.ts';
import { saveResponseAsDownload } from '../../api/download.ts';

export interface Approval {
  id: string;
  userId: string | null;
  userName: string;
  partyId: string;
  partyName: string;
  hash: string;
  createdAt: string;
  voided: null | {
    at: string;
    reason: 'changed' | 'unlocked';
    by: { id: string; name: string } | null;
    change: null | {
      changedBy?: Array<{ id: string; name: string }>;
      changes?: Array<{ sv: string; en: string }>;
      reason?: string;
      replacedBy?: string;
    };
  };
}

export interface FinalVersion {
  id: string;
  number: number;
  hash: string;
  versionId: string;
  lockedAt: string;
  unlocked: null | { at: string; by: { id: string; name: string } | null; reason: string };
}

export interface ApprovalState {
  status: 'draft' | 'locked';
  finalVersion: FinalVersion | null;
  approvals: Approval[];
  voided: Approval[];
  waitingFor: Array<{ partyId: string; name: string }>;
  currentHash: string;
  /** What is still open (server's view): sections not agreed by every party, open suggestions and errors block approval. */
  open: {
    sectionsNotAgreed: Array<{ id: string; key: string | null; title: string; missing: Array<{ partyId: string; name: string }> }>;
    unresolvedThreads: Array<{ id: string; sectionId: string; sectionTitle: string | null; quote: string }>;
    /** Sections with suggestions nobody has accepted or rejected (issue #16): they block approval. */
    openSuggestions?: Array<{ sectionId: string; title: string; count: number }>;
    errors: Finding[];
    warnings: Finding[];
  };
  /** Per party: who signs (members with the signatory flag) and whether they approved the current text. */
  signatories: Array<{
    partyId: string;
    name: string;
    people: Array<{ userId: string; name: string; title: string; approved: boolean }>;
    /** Free-text firmatecknare, only while the party has no signatory member (shown as missing). */
    fallback: string[];
  }>;
}

export interface SavedVersion {
  id: string;
  name: string;
  kind: 'named' | 'auto' | 'restore';
  createdAt: string;
  createdBy: { id: string; name: string } | null;
}

export interface AuditEntry {
  id: number;
  type: string;
  at: string;
  actor: { id: string; name: string } | null;
  data: Record<string, unknown>;
}

export interface ProposedSection {
  heading: string;
  matchedKey: string | null;
  confidence: number;
  body: RichNode;
}

export interface ImportProposal {
  fileName: string | null;
  title: string | null;
  sections: ProposedSection[];
  missingKeys: string[];
  warnings: Array<{ code: string; message: { sv: string; en: string } }>;
}

/** A problem+json answer with the extensions this feature reads. */
export class SigningProblem extends ApiError {
  readonly type: string;
  readonly findings: Finding[];
  readonly messages: { sv: string; en: string } | null;
  readonly errors: FieldError[];
  constructor(status: number, body: Record<string, unknown>) {
    const errors = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
    super(status, String(body.title ?? status), typeof body.detail === 'string' ? body.detail : undefined, errors);
    this.type = String(body.type ?? '');
    this.code = typeof body.code === 'string' ? body.code : this.type.startsWith('/problems/') ? this.type.slice('/problems/'.length) : '';
    this.errors = errors;
    this.findings = Array.isArray(body.findings) ? (body.findings as Finding[]) : [];
    const m = body.messages as { sv?: unknown; en?: unknown } | undefined;
    this.messages = m && typeof m.sv === 'string' && typeof m.en === 'string' ? { sv: m.sv, en: m.en } : null;
  }
}

async function problemOf(res: Response): Promise<SigningProblem> {
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    body = { title: res.statusText };
  }
  return new SigningProblem(res.status, body);
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { credentials: 'same-origin', ...init });
  } catch (e) {
    throw new NetworkError(e);
  }
}

async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await send(path, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

const base = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;

export const signingApi = {
  state: (id: string) => http.get<ApprovalState>(`${base(id)}/approvals`),
  /** `hash`: the checksum the person saw in the confirmation (the server refuses another: 409 content-changed). */
  approve: (id: string, hash: string) =>
    json<{ approval: Approval; lockedAs: FinalVersion | null }>(`${base(id)}/approvals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hash }),
    }),
  unlock: (id: string, reason: string) =>
    json<{ status: 'draft' }>(`${base(id)}/unlock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason }),
    }),
  finalVersions: async (id: string) => (await http.get<{ finalVersions: FinalVersion[] }>(`${base(id)}/final-versions`)).finalVersions,
  versions: async (id: string) => (await http.get<{ versions: SavedVersion[] }>(`${base(id)}/versions`)).versions,
  audit: async (id: string) => (await http.get<{ entries: AuditEntry[] }>(`${base(id)}/audit`)).entries,
  proposeImport: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return json<ImportProposal>(`${base(id)}/import/proposal`, { method: 'POST', body: form });
  },
  applyImport: (id: string, body: { fileName?: string; sections: Array<{ heading: string; key: string | null; title?: string; body: RichNode }> }) =>
    json<{ filled: number; added: number }>(`${base(id)}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
};

export interface ExportRequest {
  format: 'pdf' | 'docx';
  mode: 'draft' | 'signing';
  /** 'current', a saved version id or a final version id. */
  version: string;
  /** Drafts only: open suggestions marked as in Word (default) or left out (the text as it stands). */
  suggestions?: 'marked' | 'clean';
}


/**
 * Fetches an export and hands it to the browser as a download. A refusal (409 for a signing-ready PDF
 * that is not allowed) is thrown as a SigningProblem so the UI can say why, instead of navigating away.
 */
export async function downloadExport(agreementId: string, req: ExportRequest): Promise<string> {
  const q = new URLSearchParams({ format: req.format, mode: req.mode, version: req.version });
  if (req.mode === 'draft' && req.suggestions) q.set('suggestions', req.suggestions);
  const res = await send(`${base(agreementId)}/export?${q.toString()}`, { method: 'POST', headers: { accept: 'application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/problem+json' } });
  if (!res.ok) throw await problemOf(res);
  return saveResponseAsDownload(res, `overenskommelse.${req.format}`);
}

export const shortHash = (hash: string | null | undefined) => (hash ?? '').slice(0, 12);
