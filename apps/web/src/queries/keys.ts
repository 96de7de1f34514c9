/**
 * TanStack Query keys of an agreement's server state. The page's event stream invalidates these
 * (src/shell/events.tsx), so a list is fetched again only when the server says it changed.
 */
export const agreementKeys = {
  all: (id: string) => ['agreement', id] as const,
  /** GET /api/agreements/:id: title, parties, members, my role, policies (queries/agreement.ts). */
  detail: (id: string) => ['agreement', id, 'detail'] as const,
  approvals: (id: string) => ['agreement', id, 'approvals'] as const,
  audit: (id: string) => ['agreement', id, 'audit'] as const,
  versions: (id: string) => ['agreement', id, 'versions'] as const,
  finalVersions: (id: string) => ['agreement', id, 'final-versions'] as const,
  comments: (id: string) => ['agreement', id, 'comments'] as const,
  members: (id: string) => ['agreement', id, 'members'] as const,
};

type Part = 'detail' | 'approvals' | 'audit' | 'versions' | 'finalVersions' | 'comments' | 'members';

/** Which server state an event of the stream makes stale ('ready': everything, events may be missed). */
export function staleParts(type: string): Part[] | 'all' {
  if (type === 'ready') return 'all';
  if (type.startsWith('comment.')) return ['comments'];
  if (type.startsWith('member.')) return ['members', 'detail'];
  if (type.startsWith('approval.')) return ['approvals'];
  if (type === 'version.saved') return ['versions'];
  if (type === 'agreement.locked' || type === 'agreement.unlocked') return ['detail', 'approvals', 'versions', 'finalVersions'];
  if (type === 'agreement.updated') return ['detail'];
  // The one signal that the audit trail grew (written with the entry): every entry, imports included.
  if (type === 'audit.appended') return ['audit'];
  return [];
}
