import { QueryClient } from '@tanstack/react-query';

/**
 * The app's one query cache. Server state is fresh until an event says otherwise (the agreement
 * page's event stream invalidates keys), so no refetch on focus or on a timer.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
  },
});
