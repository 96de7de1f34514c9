/**
 * Follow-up after signing (issue 17) over HTTP against a real server and database: the responsible
 * party records a measurement of a signed goal, the other party sees it arrive on its event stream and
 * confirms it (once per party); the other party may not record for a goal it is not responsible for
 * (403 not-responsible-party); comments; status and key dates come from the signed version, not the
 * draft; a draft has no follow-up (409 not-signed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpPayload, MeasurementPayload } from '@overens/contracts';
import { client, openEventStream, setUpTwoParties } from './helpers/agreement-fixture.ts';
import { drivers, startServerOn, type TestServer } from './helpers/drivers.ts';
import { setUpSignedAgreement, type SignedAgreement } from './helpers/signed-agreement.ts';
import { readZip } from './helpers/zip.ts';
import { pdfInfo, pdfText } from '../../../packages/export/src/testing/poppler.ts';

describe.each(drivers)('follow-up (%s)', (driver) => {
  let server: TestServer;
  let p: SignedAgreement;
  let api: ReturnType<typeof client>;
  const path = (s: string) => `/api/agreements/${p.agreementId}${s}`;

  beforeAll(async () => {
    server = await startServerOn(driver);
    api = client(server.url);
    p = await setUpSignedAgreement(server);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('answers 409 not-signed for a draft', async () => {
    const draft = await setUpTwoParties(server.url);
    const r = await api.call<{ code: string }>('GET', `/api/agreements/${draft.agreementId}/follow-up`, draft.ngo);
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('not-signed');
  });

  it('shows the signed goals, key dates and what each party may do', async () => {
    const f = await api.expectOk<FollowUpPayload>('GET', path('/follow-up?asOf=2026-07-15'), p.ngo);
    expect(f.signedVersion).toMatchObject({ number: 1, hash: p.finalVersion.hash, label: 'Slutlig version 1' });
    expect(f.goals).toHaveLength(3);
    expect(f.goals[0]).toMatchObject({ baseline: { value: '62 %', date: '2025-06-30' }, baselineNumber: 62, target: '75 %', targetNumber: 75, status: 'no-data', responsiblePartyName: 'Exempel kommun' });
    const ngoGoals = p.goals.filter((g) => g.responsiblePartyId === p.ngoOrgId).map((g) => g.id);
    expect(f.can).toEqual({ record: ngoGoals, confirm: true, comment: true });
    const kinds = f.keyDates.map((d) => d.kind);
    expect(kinds.filter((k) => k === 'follow-up')).toHaveLength(p.goals.reduce((n, g) => n + g.followUpDates.length, 0));
    expect(f.keyDates).toContainEqual({ kind: 'notice', date: '2028-06-30' });
    expect(f.keyDates).toContainEqual({ kind: 'renegotiation', date: '2028-03-31' });
    expect(f.keyDates).toContainEqual({ kind: 'period-end', date: '2028-12-31' });
    const viewer = await api.expectOk<FollowUpPayload>('GET', path('/follow-up'), p.ngoViewer);
    expect(viewer.can).toEqual({ record: [], confirm: false, comment: false });
  });

  it('the responsible party records, the other party sees it live and confirms once', async () => {
    const ngoGoal = p.goals.find((g) => g.responsiblePartyId === p.ngoOrgId)!;
    const stream = await openEventStream(server.url, p.agreementId, p.kommun);
    let m: MeasurementPayload;
    try {
      const r = await api.call<MeasurementPayload>('POST', path('/follow-up/measurements'), p.ngo, {
        goalId: ngoGoal.id,
        value: 95,
        measuredOn: '2026-06-30',
        source: 'Närvarolistor juni',
        comment: 'Vårterminen',
      });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      m = r.json;
      expect(m).toMatchObject({ goalId: ngoGoal.id, value: 95, measuredOn: '2026-06-30', source: 'Närvarolistor juni', recordedBy: { userId: p.ngo.userId, partyId: p.ngoOrgId }, confirmations: [] });
      const event = await stream.waitFor((e) => e.event === 'measurement.recorded');
      expect(event.data).toMatchObject({ measurement: { id: m.id, value: 95 } });
    } finally {
      stream.close();
    }

    // The recorder's own party cannot confirm its own measurement.
    const own = await api.call<{ code: string }>('POST', path(`/follow-up/measurements/${m.id}/confirmations`), p.ngo, {});
    expect(own.status).toBe(403);
    expect(own.json.code).toBe('own-measurement');

    const ngoStream = await openEventStream(server.url, p.agreementId, p.ngo);
    try {
      const c = await api.call<MeasurementPayload>('POST', path(`/follow-up/measurements/${m.id}/confirmations`), p.kommun, { comment: 'Stämmer med våra uppgifter' });
      expect(c.status, JSON.stringify(c.json)).toBe(201);
      expect(c.json.confirmations).toEqual([expect.objectContaining({ userId: p.kommun.userId, partyId: p.kommunOrgId, comment: 'Stämmer med våra uppgifter' })]);
      await ngoStream.waitFor((e) => e.event === 'measurement.confirmed' && (e.data as { measurement: MeasurementPayload }).measurement.id === m.id);
    } finally {
      ngoStream.close();
    }
    const again = await api.call<{ code: string }>('POST', path(`/follow-up/measurements/${m.id}/confirmations`), p.kommun, {});
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('already-confirmed');

    const comment = await api.call<MeasurementPayload>('POST', path(`/follow-up/measurements/${m.id}/comments`), p.ngoCommenter, { text: 'Höstterminen mäts i december.' });
    expect(comment.status).toBe(201);
    expect(comment.json.comments).toEqual([expect.objectContaining({ text: 'Höstterminen mäts i december.', partyId: p.ngoOrgId })]);
    expect((await api.call('POST', path(`/follow-up/measurements/${m.id}/comments`), p.ngoViewer, { text: 'x' })).status).toBe(403);

    const f = await api.expectOk<FollowUpPayload>('GET', path('/follow-up?asOf=2026-07-15'), p.kommun);
    const goal = f.goals.find((g) => g.goalId === ngoGoal.id)!;
    expect(goal.measurements.map((x) => x.id)).toEqual([m.id]);
    // 60 → 150 children from 2025-12-31 to 2027-12-31; 95 half a year in is ahead of the line (~82).
    expect(goal.status).toBe('on-track');

    const audit = await api.expectOk<{ entries: Array<{ type: string }> } | Array<{ type: string }>>('GET', path('/audit'), p.kommun);
    const types = (Array.isArray(audit) ? audit : audit.entries).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['measurement.recorded', 'measurement.confirmed', 'measurement.commented']));
  });

  it("refuses a measurement for a goal the party is not responsible for (403 not-responsible-party)", async () => {
    const kommunGoal = p.goals.find((g) => g.responsiblePartyId === p.kommunOrgId)!;
    const r = await api.call<{ code: string; detail: string }>('POST', path('/follow-up/measurements'), p.ngo, { goalId: kommunGoal.id, value: 70, measuredOn: '2026-08-31', source: 'Betygsstatistik' });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('not-responsible-party');
    // A commenter of the responsible party is not an editor.
    const ngoGoal = p.goals.find((g) => g.responsiblePartyId === p.ngoOrgId)!;
    expect((await api.call('POST', path('/follow-up/measurements'), p.ngoCommenter, { goalId: ngoGoal.id, value: 1, measuredOn: '2026-06-30', source: 'x' })).status).toBe(403);
    // Unknown goal, bad date, future date.
    expect((await api.call<{ code: string }>('POST', path('/follow-up/measurements'), p.ngo, { goalId: 'nope', value: 1, measuredOn: '2026-06-30', source: 'x' })).json.code).toBe('goal-not-found');
    expect((await api.call('POST', path('/follow-up/measurements'), p.ngo, { goalId: ngoGoal.id, value: 1, measuredOn: '2026-02-30', source: 'x' })).status).toBe(400);
    // PostgreSQL has no year 0: the field is named, not a generic "value cannot be stored" from the insert.
    const yearZero = await api.call<{ type: string; errors: Array<{ field: string }> }>('POST', path('/follow-up/measurements'), p.ngo, { goalId: ngoGoal.id, value: 1, measuredOn: '0000-01-01', source: 'x' });
    expect(yearZero.json.type).toBe('/problems/validation');
    expect(yearZero.json.errors.map((e) => e.field)).toEqual(['measuredOn']);
    expect((await api.call<{ code: string }>('POST', path('/follow-up/measurements'), p.ngo, { goalId: ngoGoal.id, value: 1, measuredOn: '2999-01-01', source: 'x' })).json.code).toBe('measured-in-future');
    const stranger = await api.register('Sara Utomstående');
    expect((await api.call('GET', path('/follow-up'), stranger)).status).toBe(404);
  });

  it('exports the follow-up report: every goal with baseline, measurements and target, tagged PDF and DOCX, audited', async () => {
    const f = await api.expectOk<FollowUpPayload>('GET', path('/follow-up'), p.kommun);
    const res = await fetch(server.url + path('/follow-up/report'), {
      method: 'POST',
      headers: { cookie: p.kommun.cookie, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'pdf', asOf: '2026-07-15' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('uppfoljning-iop-om-laxhjalp-2026-07-15.pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdfInfo(pdf)['Tagged']).toBe('yes');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Uppföljning av överenskommelse');
    expect(text).toContain('IOP om läxhjälp');
    for (const g of f.goals) {
      expect(text).toContain(g.goal);
      expect(text).toContain(g.baseline.value);
      expect(text).toContain(g.target);
    }
    // The NGO's measurement, who recorded and who confirmed it, and the status by the rule.
    expect(text).toContain('2026-06-30');
    expect(text).toContain('Närvarolistor juni');
    expect(text).toContain('Kalle Kommun (Exempel kommun)');
    expect(text).toContain('Höstterminen mäts i december.');
    expect(text).toContain('Enligt plan');
    expect(text).toContain(p.finalVersion.hash);

    const docx = await fetch(server.url + path('/follow-up/report'), {
      method: 'POST',
      headers: { cookie: p.ngo.cookie, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'docx', asOf: '2026-07-15', locale: 'en' }),
    });
    expect(docx.status).toBe(200);
    const xml = readZip(new Uint8Array(await docx.arrayBuffer())).get('word/document.xml')!;
    expect(xml).toContain('Follow-up of the agreement');
    for (const g of f.goals) expect(xml).toContain(g.goal);
    expect(xml).toContain('Närvarolistor juni');

    const audit = await api.expectOk<{ entries: Array<{ type: string; data: Record<string, unknown> }> } | Array<{ type: string; data: Record<string, unknown> }>>('GET', path('/audit'), p.ngo);
    const exported = (Array.isArray(audit) ? audit : audit.entries).filter((e) => e.type === 'follow-up-report.exported');
    expect(exported.map((e) => e.data.format).sort()).toEqual(['docx', 'pdf']);
    expect(exported[0]!.data).toMatchObject({ asOf: '2026-07-15', finalVersionNumber: 1, versionHash: p.finalVersion.hash });
  });
});
