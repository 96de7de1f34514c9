/**
 * Life after signing in the browser (issue 17): on a locked agreement (made complete and approved
 * through the API and the sync endpoint) the NGO, responsible for "Fler barn deltar regelbundet i
 * läxhjälpen", records a measurement with a decimal comma in the follow-up view; the kommun's window sees
 * it arrive through the event stream and confirms it; the NGO's window sees the confirmation live. The
 * goal's chart (an SVG with role="img") and its table show the numbers; the kommun gets no record form
 * for the NGO's goal; axe-core finds no violations on the follow-up view.
 * Then the agreements page: upcoming dates as the server lists them, the version chain, a calendar link
 * made, fetched and revoked (404 after); and "Ändra eller förläng": an amendment reopens the agreement,
 * the chain says "Tillägg 1 pågår", and its redline against version 1 is one click from the list.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateGoal } from '@overens/model';
import { agreeAllSections, fillComplete } from '../../apps/server/test/helpers/complete-agreement.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import { setupSharedAgreement, type SharedAgreement } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';
import { connectAs } from './support/ydoc.ts';

const GOAL = 'Fler barn deltar regelbundet i läxhjälpen';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every axe-core WCAG 2.0/2.1 A and AA violation, whatever its impact. */
async function a11yViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

function goalSection(page: Page): Locator {
  return page.getByTestId('goal-follow-up').filter({ has: page.getByRole('heading', { name: GOAL }) });
}

async function openFollowUp(page: Page, agreementId: string): Promise<void> {
  await page.goto(`${server.url}/#/agreements/${agreementId}/follow-up`);
  await goalSection(page).waitFor({ timeout: 60_000 });
}

describe('follow-up in the browser', () => {
  let s: SharedAgreement;

  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
    await s.ngo.api('PATCH', `/api/agreements/${s.agreementId}/members/${s.ngo.userId}`, { signatory: true });
    const node = await connectAs(server, s.ngo, s.agreementId);
    fillComplete(node.doc, s.ngo.orgId!, s.kommun.orgId!);
    agreeAllSections(node.doc, [
      { partyId: s.ngo.orgId!, userId: s.ngo.userId, userName: s.ngo.name },
      { partyId: s.kommun.orgId!, userId: s.kommun.userId, userName: s.kommun.name },
    ]);
    await node.flushed();
    node.close();
    const { currentHash } = await s.ngo.api<{ currentHash: string }>('GET', `/api/agreements/${s.agreementId}/approvals`);
    await s.ngo.api('POST', `/api/agreements/${s.agreementId}/approvals`, { hash: currentHash });
    await s.kommun.api('POST', `/api/agreements/${s.agreementId}/approvals`, { hash: currentHash });
  }, 240_000);
  afterAll(async () => {
    await s?.close();
  });

  it('the responsible party records a measurement, the other party sees it live and confirms it', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    await openFollowUp(a, s.agreementId);
    await openFollowUp(b, s.agreementId);

    // The kommun is not responsible for the NGO's goal: no record form, a sentence saying who records.
    const bGoal = goalSection(b);
    expect(await bGoal.getByRole('button', { name: `Registrera mätning för ${GOAL}` }).count()).toBe(0);
    expect(await bGoal.textContent()).toContain('Bara Föreningen Läxhjälpen registrerar mätningar för det här målet.');
    expect(await a11yViolations(b)).toEqual([]);

    // The NGO records 84,5 children with a decimal comma.
    const aGoal = goalSection(a);
    await aGoal.getByRole('button', { name: `Registrera mätning för ${GOAL}` }).click();
    const form = a.getByTestId(/^measurement-form-/);
    await form.getByLabel('Värde').fill('84,5');
    await form.getByLabel('Mätdatum').fill('2026-11-30');
    await form.getByLabel('Källa eller metod').fill('Närvarolistor hösten 2026');
    await form.getByLabel('Kommentar (valfritt)').fill('Två nya grupper startade i oktober.');
    await form.getByRole('button', { name: 'Spara mätningen' }).click();
    await expect.poll(() => form.textContent(), { timeout: 60_000 }).toContain('Mätningen är sparad.');
    await expect.poll(() => aGoal.getByTestId('measurement').count(), { timeout: 30_000 }).toBe(1);
    expect(await a11yViolations(a)).toEqual([]);

    // The kommun's window learns it from the event stream, without a reload.
    const bMeasurement = bGoal.getByTestId('measurement');
    await expect.poll(() => bMeasurement.count(), { timeout: 60_000 }).toBe(1);
    expect(await bMeasurement.textContent()).toContain('84,5');
    expect(await bMeasurement.textContent()).toContain('Närvarolistor hösten 2026');
    expect(await bMeasurement.textContent()).toContain(`Registrerad av ${s.ngo.name}`);
    // The recorder cannot confirm their own measurement.
    expect(await aGoal.getByRole('button', { name: /^Bekräfta mätningen/ }).count()).toBe(0);

    // Chart and table: the SVG is an image with a title and a description naming the numbers, and the
    // same numbers are in a table.
    const chart = bGoal.getByRole('img', { name: `Utveckling för ${GOAL}` });
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.locator('desc').textContent()).toContain('senast 84,5 (30 november 2026)');
    expect(await chart.locator('circle.goal-chart__point').count()).toBe(1);
    const table = bGoal.getByTestId('goal-table');
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('Utgångsvärde');
    expect(rows[0]).toContain('60');
    expect(rows[1]).toContain('30 november 2026');
    expect(rows[1]).toContain('84,5');
    expect(rows[2]).toContain('Målvärde');
    expect(rows[2]).toContain('150');
    await screenshot(b, 'follow-up-measurement-live', { fullPage: true });

    // The kommun confirms with a comment; both windows show "Bekräftad".
    await bMeasurement.getByRole('button', { name: 'Bekräfta mätningen 30 november 2026' }).click();
    await bMeasurement.getByLabel('Kommentar till bekräftelsen (valfritt)').fill('Stämmer med skolans uppgifter.');
    await bMeasurement.getByRole('button', { name: 'Bekräfta', exact: true }).click();
    await expect.poll(() => bMeasurement.getByTestId('measurement-confirmed').count(), { timeout: 60_000 }).toBe(1);
    expect(await bMeasurement.textContent()).toContain(`Bekräftad av ${s.kommun.name}`);
    await expect.poll(() => aGoal.getByTestId('measurement-confirmed').count(), { timeout: 60_000 }).toBe(1);
    expect(await aGoal.getByTestId('measurement').textContent()).toContain('Stämmer med skolans uppgifter.');

    expect(await a11yViolations(a)).toEqual([]);
    expect(await a11yViolations(b)).toEqual([]);
    await screenshot(a, 'follow-up-confirmed', { fullPage: true });

    // The report for a chosen date, as a PDF download (a POST: it is recorded in the audit trail).
    const report = a.getByTestId('follow-up-report');
    await report.getByLabel('Per datum').fill('2026-12-01');
    const [download] = await Promise.all([a.waitForEvent('download', { timeout: 120_000 }), report.getByRole('button', { name: 'Hämta rapporten' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect.poll(() => report.textContent(), { timeout: 30_000 }).toMatch(/Rapporten .+\.pdf är hämtad\./);
    const { entries } = await s.ngo.api<{ entries: Array<{ type: string }> }>('GET', `/api/agreements/${s.agreementId}/audit`);
    expect(entries.map((e) => e.type)).toContain('follow-up-report.exported');

    // In English: the same view with a decimal point, and still no axe violation.
    await b.getByRole('button', { name: 'English' }).click();
    await b.getByRole('heading', { name: /^Follow-up/, level: 1 }).waitFor({ timeout: 30_000 });
    expect(await bGoal.getByRole('img', { name: `Progress of ${GOAL}` }).locator('desc').textContent()).toContain('latest 84.5 (30 November 2026)');
    expect(await bMeasurement.textContent()).toContain(`Confirmed by ${s.kommun.name}`);
    // The header's language button is still hovered and focused from the click: measure the page at rest.
    await b.mouse.move(5, 700);
    await b.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await a11yViolations(b)).toEqual([]);
    await b.getByRole('button', { name: 'Svenska' }).click();
  }, 300_000);

  it('lists upcoming dates, makes and revokes a calendar link, and starts an amendment with the redline one click away', async () => {
    const a = s.ngo.page;
    await a.goto(`${server.url}/#/agreements`);
    const row = a.getByRole('row').filter({ has: a.getByRole('link', { name: 'IOP om läxhjälp i Gottsunda' }) });
    await row.getByTestId('version-chain').waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('version-chain').textContent()).toContain('Version 1 signerad');

    // "Kommande datum": what the server lists for the next 90 days (the fixture's dates depend on today).
    const upcoming = await s.ngo.api<Array<{ agreementTitle: string; date: string }>>('GET', '/api/me/upcoming?days=90');
    const section = a.getByTestId('upcoming');
    await section.waitFor({ timeout: 30_000 });
    if (upcoming.length === 0) expect(await section.textContent()).toContain('Inga datum de närmaste 90 dagarna.');
    else expect(await section.getByRole('listitem').count()).toBe(upcoming.length);

    // Calendar link for all agreements: shown once, serves iCal, and 404 once revoked.
    const calendar = a.getByTestId('calendar-subscriptions');
    await calendar.getByRole('button', { name: 'Skapa prenumerationslänk' }).click();
    const urlField = calendar.getByLabel('Prenumerationslänk');
    await urlField.waitFor({ timeout: 30_000 });
    const url = await urlField.inputValue();
    expect(url).toMatch(/\/calendar\/[^/]+\.ics$/);
    const feed = await s.ngo.context.request.get(url);
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toContain('text/calendar');
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    expect(await a11yViolations(a)).toEqual([]);
    await screenshot(a, 'follow-up-agreements-page', { fullPage: true });
    await calendar.getByRole('button', { name: /^Återkalla länken skapad / }).click();
    await expect.poll(() => calendar.textContent(), { timeout: 30_000 }).toContain('Länken är återkallad.');
    expect(await calendar.getByRole('button', { name: /^Återkalla länken skapad / }).count()).toBe(0);
    expect((await s.ngo.context.request.get(url)).status()).toBe(404);

    // "Ändra eller förläng" on the signed agreement: an amendment.
    await s.ngo.open(s.agreementId);
    const warning = a.getByTestId('agreed-edit-warning');
    if (await warning.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
      await warning.getByRole('button', { name: 'Avbryt' }).click();
    }
    await a.getByRole('button', { name: 'Ändra eller förläng' }).click();
    const dialog = a.getByTestId('revision-dialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.textContent()).toContain('Den signerade versionen 1');
    expect(await a11yViolations(a)).toEqual([]);
    await dialog.getByRole('button', { name: 'Börja Tillägg 1' }).click();
    const banner = a.getByTestId('revision-banner');
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toContain('Tillägg 1 pågår, grundat på slutlig version 1.');

    // Started by mistake: withdrawn while the text is unchanged, the signed version is in force again; then started anew.
    await banner.getByRole('button', { name: 'Dra tillbaka Tillägg 1' }).click();
    await banner.waitFor({ state: 'detached', timeout: 60_000 });
    await a.getByRole('button', { name: 'Ändra eller förläng' }).click();
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Börja Tillägg 1' }).click();
    await banner.waitFor({ timeout: 60_000 });

    // A change in the amendment, made through the sync endpoint as an editor.
    const node = await connectAs(server, s.ngo, s.agreementId);
    updateGoal(node.doc, node.adoc.goals().find((g) => g.goal === GOAL)!.id, { targetValue: '180 barn' });
    await node.flushed();
    node.close();

    // The list shows the chain and links to the redline against version 1.
    await a.goto(`${server.url}/#/agreements`);
    const chain = row.getByTestId('version-chain');
    await expect.poll(() => chain.textContent(), { timeout: 60_000 }).toContain('Tillägg 1 pågår');
    expect(await chain.textContent()).toContain('Version 1 signerad');
    await chain.getByRole('link', { name: 'Jämför med signerad' }).click();
    const redline = a.getByTestId('revision-redline');
    await redline.waitFor({ timeout: 60_000 });
    await expect.poll(() => redline.textContent(), { timeout: 60_000 }).toContain('180 barn');
    // A word-level redline of the goal row: the old target struck out, the new one inserted.
    expect(await redline.textContent()).toContain(`Ändrad rad ${GOAL}`);
    expect((await redline.locator('del').allTextContents()).join(' ')).toContain('150');
    expect((await redline.locator('ins').allTextContents()).join(' ')).toContain('180');
    await screenshot(a, 'follow-up-amendment-redline');

    // The follow-up view keeps following the signed version and says an amendment is open.
    await openFollowUp(a, s.agreementId);
    expect(await a.getByTestId('follow-up-revision').textContent()).toContain('Tillägg 1');
    expect(await goalSection(a).getByTestId('goal-table').textContent()).toContain('150');
  }, 300_000);
});
