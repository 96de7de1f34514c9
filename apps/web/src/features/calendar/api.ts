/**
 * Calendar subscriptions (issue 17): private iCal feed URLs per agreement or for all of the user's
 * signed agreements. The URL carries a random token that the server stores hashed, so it is shown once,
 * when it is made; revoking makes the URL answer 404.
 */
import { http } from '../../api/client.ts';

export interface CalendarFeed {
  id: string;
  agreementId: string | null;
  createdAt: string;
}

export interface CreatedCalendarFeed {
  id: string;
  agreementId: string | null;
  url: string;
}

export const calendarApi = {
  list: () => http.get<CalendarFeed[]>('/api/calendar/feeds'),
  create: (agreementId: string | null) => http.post<CreatedCalendarFeed>('/api/calendar/feeds', agreementId ? { agreementId } : {}),
  revoke: (id: string) => http.del<void>(`/api/calendar/feeds/${encodeURIComponent(id)}`),
};
