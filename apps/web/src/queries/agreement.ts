/**
 * The agreement's description (GET /api/agreements/:id: title, parties, members, my role, `policies`)
 * as TanStack Query state under `agreementKeys.detail`. The page's event stream invalidates it
 * (`agreement.*`, `member.*`); a reconnect (`ready`) refetches everything.
 *
 * Offline: the last answer is kept in localStorage (`overens.agreement.<id>`, removed on sign-out) and
 * shown while the first request is under way and when the server cannot be reached; the document itself
 * comes from IndexedDB (sync/connection.ts).
 */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, type AgreementDetail } from '../api/client.ts';
import { agreementKeys } from './keys.ts';

const offlineKey = (id: string) => `overens.agreement.${id}`;

/** The last known description of this agreement in this browser, if any. */
export function offlineDetail(id: string): AgreementDetail | undefined {
  try {
    const raw = localStorage.getItem(offlineKey(id));
    return raw ? (JSON.parse(raw) as AgreementDetail) : undefined;
  } catch {
    return undefined;
  }
}

async function fetchDetail(id: string, sent?: Promise<AgreementDetail>): Promise<AgreementDetail> {
  const d = await (sent ?? api.agreement(id));
  try {
    localStorage.setItem(offlineKey(id), JSON.stringify(d));
  } catch {
    /* storage full or disabled: the page still works online */
  }
  return d;
}

/** Not a member (any more), or no such agreement: never show an offline copy for these. */
export function isNoAccess(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404);
}

export const agreementDetailQuery = (id: string) => ({
  queryKey: agreementKeys.detail(id),
  queryFn: () => fetchDetail(id),
  retry: (failures: number, e: unknown) => !isNoAccess(e) && failures < 1,
});

/**
 * Starts the request before the page renders (on a direct load of an agreement URL), or adopts the one
 * main.tsx sent when the app's code started (`sent`).
 */
export function prefetchAgreementDetail(client: QueryClient, id: string, sent?: Promise<AgreementDetail>): void {
  void client.prefetchQuery({ ...agreementDetailQuery(id), queryFn: () => fetchDetail(id, sent) });
}

export interface AgreementDetailState {
  detail: AgreementDetail | undefined;
  error: 'not_found' | 'network' | null;
  reload: () => Promise<void>;
}

export function useAgreementDetail(id: string): AgreementDetailState {
  const q = useQuery({ ...agreementDetailQuery(id), placeholderData: () => offlineDetail(id) });
  const noAccess = q.isError && isNoAccess(q.error);
  // Unreachable server: open from the last known description (the document comes from IndexedDB).
  const detail = noAccess ? undefined : (q.data ?? (q.isError ? offlineDetail(id) : undefined));
  const error = noAccess ? 'not_found' : q.isError && !detail ? 'network' : null;
  return {
    detail,
    error,
    reload: async () => {
      await q.refetch();
    },
  };
}
