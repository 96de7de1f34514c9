/**
 * Dates nobody misses (issue 17): a private iCal subscription of a signed agreement parses with an iCal
 * parser (node-ical) and has one all-day event per follow-up date, goal deadline, the period's end, the
 * notice date and the renegotiation date; a revoked URL answers 404 problem+json; a feed of all the
 * user's agreements and the "upcoming" list come from the same dates.
 */
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CALENDAR_FEEDS } from '../src/commands/calendar.ts';
import { client, setUpTwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { setUpSignedAgreement, type SignedAgreement } from './helpers/signed-agreement.ts';

interface Feed {
  id: string;
  agreementId: string | null;
  createdAt: string;
  url: string;
}

const dateOf = (d: unknown) => {
  const x = d as Date & { dateOnly?: boolean };
  // node-ical gives all-day dates as local midnight: read them back in local time.
  return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
};

describe.each(drivers)('calendar feed (%s)', (driver) => {
  let server: TestServer;
  let p: SignedAgreement;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpSignedAgreement(server);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('serves one event per key date of the agreement, and 404 once revoked', async () => {
    const created = await api.call<Feed>('POST', '/api/calendar/feeds', p.kommun, { agreementId: p.agreementId });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.url).toMatch(new RegExp(`^${server.url}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    const res = await fetch(created.json.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const parsed = ical.sync.parseICS(await res.text());
    const events = Object.values(parsed).filter((e) => e?.type === 'VEVENT') as Array<{ summary: string; start: Date; datetype?: string }>;

    const followUps = p.goals.flatMap((g) => g.followUpDates);
    expect(events.filter((e) => e.summary.startsWith('Uppföljning:'))).toHaveLength(followUps.length);
    expect(events.filter((e) => e.summary.startsWith('Uppföljning:')).map((e) => dateOf(e.start)).sort()).toEqual([...followUps].sort());
    expect(events.filter((e) => e.summary.startsWith('Måldatum:'))).toHaveLength(p.goals.length);
    // The fixture: period 2026-01-01 – 2028-12-31, six months' notice, renegotiation by 2028-03-31.
    const one = (prefix: string) => events.filter((e) => e.summary.startsWith(prefix)).map((e) => dateOf(e.start));
    expect(one('Sista dag att säga upp')).toEqual(['2028-06-30']);
    expect(one('Omförhandling senast')).toEqual(['2028-03-31']);
    expect(one('Avtalsperioden slutar')).toEqual(['2028-12-31']);
    expect(events).toHaveLength(followUps.length + p.goals.length + 3);
    expect(events.every((e) => e.datetype === 'date')).toBe(true);

    const list = await api.expectOk<Array<Omit<Feed, 'url'>>>('GET', '/api/calendar/feeds', p.kommun);
    expect(list).toEqual([{ id: created.json.id, agreementId: p.agreementId, createdAt: created.json.createdAt }]);
    // Another user cannot revoke it; the owner can.
    expect((await api.call('DELETE', `/api/calendar/feeds/${created.json.id}`, p.ngo)).status).toBe(404);
    expect((await api.call('DELETE', `/api/calendar/feeds/${created.json.id}`, p.kommun)).status).toBe(204);
    const gone = await fetch(created.json.url);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.expectOk('GET', '/api/calendar/feeds', p.kommun)).toEqual([]);
    expect((await fetch(`${server.url}/calendar/not-a-token.ics`)).status).toBe(404);
  });

  it('a feed of all agreements leaves drafts out; a non-member cannot subscribe to an agreement', async () => {
    const draft = await setUpTwoParties(server.url);
    expect((await api.call('POST', '/api/calendar/feeds', draft.ngo, { agreementId: p.agreementId })).status).toBe(404);
    const all = await api.expectOk<Feed>('POST', '/api/calendar/feeds', p.ngo, {});
    expect(all.agreementId).toBeNull();
    const events = Object.values(ical.sync.parseICS(await (await fetch(all.url)).text())).filter((e) => e?.type === 'VEVENT');
    expect(events).toHaveLength(p.goals.flatMap((g) => g.followUpDates).length + p.goals.length + 3);
    const draftFeed = await api.expectOk<Feed>('POST', '/api/calendar/feeds', draft.ngo, {});
    expect(Object.values(ical.sync.parseICS(await (await fetch(draftFeed.url)).text())).filter((e) => e?.type === 'VEVENT')).toHaveLength(0);
  });

  it('refuses a subscription beyond the limit until one is revoked', async () => {
    const user = await api.register('Kalle Kalender');
    const ids: string[] = [];
    for (let i = 0; i < MAX_CALENDAR_FEEDS; i++) ids.push((await api.expectOk<Feed>('POST', '/api/calendar/feeds', user, {})).id);
    const refused = await api.call<{ code: string; messages: { sv: string } }>('POST', '/api/calendar/feeds', user, {});
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('too-many-calendar-feeds');
    expect(refused.json.messages.sv).toContain('Återkalla');
    expect((await api.call('DELETE', `/api/calendar/feeds/${ids[0]}`, user)).status).toBe(204);
    expect((await api.call('POST', '/api/calendar/feeds', user, {})).status).toBe(201);
  });

  it('lists upcoming dates from today, sorted', async () => {
    const upcoming = await api.expectOk<Array<{ agreementId: string; agreementTitle: string; date: string; kind: string; goalTitle?: string }>>('GET', '/api/me/upcoming?days=3660', p.ngo);
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    expect(upcoming.length).toBeGreaterThan(0);
    expect(upcoming.every((u) => u.date >= today && u.agreementId === p.agreementId && u.agreementTitle === 'IOP om läxhjälp')).toBe(true);
    expect(upcoming.map((u) => u.date)).toEqual([...upcoming.map((u) => u.date)].sort());
    expect(upcoming.find((u) => u.kind === 'notice')).toMatchObject({ date: '2028-06-30' });
    expect(upcoming.filter((u) => u.kind === 'follow-up').every((u) => typeof u.goalTitle === 'string' && u.goalTitle.length > 0)).toBe(true);
    expect((await api.call('GET', '/api/me/upcoming?days=0', p.ngo)).status).toBe(400);
  });
});
