/**
 * The iCal document of a calendar subscription (ical-generator): one all-day event per key date, in
 * Swedish with an English line, linking to the agreement's follow-up view. UIDs are stable (agreement,
 * kind, goal, date), so a subscribed calendar updates events instead of duplicating them.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';
import { addDays } from '@overens/model';
import type { AgreementKeyDate } from '../queries/follow-up.ts';

const SV: Record<AgreementKeyDate['kind'], string> = {
  'follow-up': 'Uppföljning',
  'goal-deadline': 'Måldatum',
  'period-end': 'Avtalsperioden slutar',
  notice: 'Sista dag att säga upp',
  renegotiation: 'Omförhandling senast',
};
const EN: Record<AgreementKeyDate['kind'], string> = {
  'follow-up': 'Follow-up',
  'goal-deadline': 'Goal deadline',
  'period-end': 'Agreement period ends',
  notice: 'Last day to give notice',
  renegotiation: 'Renegotiate by',
};

export function keyDateSummary(d: AgreementKeyDate, locale: 'sv' | 'en' = 'sv'): string {
  const what = (locale === 'sv' ? SV : EN)[d.kind];
  return d.goalTitle ? `${what}: ${d.goalTitle} – ${d.agreementTitle}` : `${what} – ${d.agreementTitle}`;
}

export function followUpLink(base: string, agreementId: string): string {
  return `${base}/#/agreements/${agreementId}/follow-up`;
}

export function renderCalendar(dates: AgreementKeyDate[], opts: { name: string; base: string; host: string }): string {
  const cal = ical({ name: opts.name, prodId: { company: 'Överens', product: 'Överens', language: 'SV' }, method: ICalCalendarMethod.PUBLISH, ttl: 60 * 60 });
  for (const d of dates) {
    const url = followUpLink(opts.base, d.agreementId);
    cal.createEvent({
      id: `${d.agreementId}-${d.kind}-${d.goalId ?? 'agreement'}-${d.date}@${opts.host}`,
      start: d.date,
      end: addDays(d.date, 1),
      allDay: true,
      summary: keyDateSummary(d),
      description: `${keyDateSummary(d, 'en')}\n${url}`,
      url,
    });
  }
  return cal.toString();
}
