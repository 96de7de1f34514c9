/**
 * The early start of a direct load of an agreement URL (main.tsx). This module's chunks (the query
 * cache) are few and small, so it runs well before the agreement page's own code has loaded: the
 * description query starts then, and the editor's code is fetched alongside the page's instead of
 * after it. (The document's cache and socket start from their own chunk, sync/connection.ts.)
 */
import type { AgreementDetail } from '../api/client.ts';
import { prefetchAgreementDetail } from '../queries/agreement.ts';
import { queryClient } from '../queries/client.ts';

/** `detail`: the description request main.tsx already sent (it is not sent twice). */
export function preloadAgreement(agreementId: string, detail: Promise<AgreementDetail>): void {
  prefetchAgreementDetail(queryClient, agreementId, detail);
  void import('./SectionEditor.tsx').catch(() => {
    /* loaded again (and its failure shown) when the page mounts the editor */
  });
}
