import { QueryClient } from '@tanstack/react-query';

/**
 * The app's one query cache (provided by the pages that read server state through it: the agreement
 * page today, so the sign-in page ships without the query library). Server state is fresh until an event says otherwise (the agreement
 * page's event stream invalidates keys), so no refetch on focus or on a timer.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
  },
});
