/**
 * Organisations with an owner and a verification state, through the UI only (issue 14 item 1): a kommun
 * user registers Malmö stad; a second user registers the same number, is told "finns redan — begär att gå
 * med" in the form and asks to join from there; the administrator accepts on the organisations page; the
 * operator (OVERENS_ADMIN_EMAILS) verifies Malmö stad on the admin page and "ej verifierad" goes away.
 * Real server, real Chromium; axe (WCAG 2.1 A/AA) reports no violations on any of these screens.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot } from './support/browser.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';

let server: E2EServer;
let browser: Browser;
const stamp = Date.now().toString(36);
const operatorEmail = `olga.${stamp}@drift.example`;
const violations: Record<string, unknown[]> = {};

async function check(page: Page, name: string) {
  await screenshot(page, `organisations-${name}`, { fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const v = result.violations.map((x) => ({ id: x.id, impact: x.impact, targets: x.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  if (v.length) violations[name] = v;
}

async function register(ctx: BrowserContext, name: string, email: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(server.url + '/#/register');
  await page.getByLabel('Namn', { exact: true }).fill(name);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill('ett långt lösenord 2026');
  await page.getByRole('button', { name: 'Skapa konto' }).click();
  await page.getByRole('heading', { name: 'Mina överenskommelser' }).waitFor();
  return page;
}

async function registerMalmo(page: Page) {
  await page.goto(server.url + '/#/organisations');
  await page.getByRole('heading', { name: 'Organisationer', level: 1 }).waitFor();
  await page.getByLabel('Kommun', { exact: true }).check();
  const combo = page.getByRole('combobox', { name: 'Kommun' });
  await combo.focus();
  await page.keyboard.type('Malm');
  await page.getByRole('option', { name: /^Malmö/ }).first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByLabel('Organisationens namn').fill('Malmö stad');
  await page.getByLabel('Organisationsnummer').fill('212000-1124');
  await page.getByText('Giltigt organisationsnummer.').waitFor();
  await page.getByRole('button', { name: 'Registrera organisation' }).click();
}

beforeAll(async () => {
  server = await startE2EServer({ OVERENS_ADMIN_EMAILS: operatorEmail, OVERENS_REQUIRE_VERIFIED_PUBLIC_PARTIES: '1' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('a second registration of Malmö stad becomes a join request the administrator accepts; the operator verifies it', async () => {
  // The first user registers Malmö stad and is its administrator; it is not verified yet.
  const ctxA = await newContext(browser, server.url);
  const a = await register(ctxA, 'Maja Malmö', `maja.${stamp}@exempel.se`);
  await registerMalmo(a);
  await a.getByTestId('organisation-created').waitFor();
  const card = a.getByTestId('organisation').filter({ hasText: 'Malmö stad' });
  await expect.poll(() => card.textContent()).toContain('ej verifierad');
  expect(await card.textContent()).toContain('Administratör');
  await check(a, '01-registered');

  // A second user registers the same number: refused in the form, which offers to request to join.
  const ctxB = await newContext(browser, server.url);
  const b = await register(ctxB, 'Nils Nilsson', `nils.${stamp}@exempel.se`);
  await registerMalmo(b);
  const exists = b.getByTestId('organisation-exists');
  await exists.waitFor();
  expect(await exists.textContent()).toContain('Malmö stad (212000-1124) finns redan — begär att gå med.');
  await check(b, '02-exists');
  await b.getByRole('button', { name: 'Begär att gå med i Malmö stad' }).click();
  await exists.getByText('Din begäran att gå med i Malmö stad är skickad.').waitFor();
  await b.getByRole('heading', { name: 'Väntande begäranden' }).waitFor();
  await check(b, '03-request-sent');

  // The administrator sees the request and accepts it.
  await a.reload();
  await card.getByText('1 väntande begäran').waitFor();
  await card.getByRole('button', { name: 'Hantera Malmö stad' }).click();
  const request = a.getByTestId('join-request').filter({ hasText: 'Nils Nilsson' });
  await request.waitFor();
  await check(a, '04-requests');
  await request.getByRole('button', { name: 'Godkänn Nils Nilsson' }).click();
  await a.getByText('Nils Nilsson är nu medlem.').waitFor();
  await expect.poll(() => a.getByTestId('join-request').count()).toBe(0);
  await check(a, '05-accepted');

  // Nils is a member now.
  await b.reload();
  const bCard = b.getByTestId('organisation').filter({ hasText: 'Malmö stad' });
  await bCard.waitFor();
  expect(await bCard.textContent()).toContain('Medlem');
  // Nils is no operator: the admin page tells him so.
  await b.goto(server.url + '/#/admin');
  await b.getByText('Sidan är bara för operatörer av den här installationen.').waitFor();

  // The operator verifies Malmö stad on the admin page.
  const ctxO = await newContext(browser, server.url);
  const o = await register(ctxO, 'Olga Operatör', operatorEmail);
  await o.goto(server.url + '/#/organisations');
  await o.getByRole('link', { name: 'Administration (operatör)' }).click();
  await o.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
  const row = o.getByTestId('admin-organisations').getByRole('row').filter({ hasText: '212000-1124' });
  await row.waitFor();
  const rowText = (await row.textContent()) ?? '';
  expect(rowText).toContain('Malmö stad');
  expect(rowText).toContain('Kommun');
  expect(rowText).toContain('Maja Malmö');
  expect(rowText).toContain('Nils Nilsson');
  expect(rowText).toContain('ej verifierad');
  await check(o, '06-admin');
  await row.getByRole('button', { name: 'Verifiera Malmö stad' }).click();
  await o.getByText('Malmö stad är verifierad.').waitFor();
  await expect.poll(() => row.textContent()).not.toContain('ej verifierad');
  await check(o, '07-admin-verified');

  await a.reload();
  await expect.poll(() => card.textContent()).not.toContain('ej verifierad');
  expect(await card.textContent()).toContain('verifierad');

  // The administrator invites a colleague by e-mail; without SMTP the page shows the link to copy.
  await card.getByRole('button', { name: 'Hantera Malmö stad' }).click();
  const inviteForm = a.getByTestId('org-invite-form');
  await inviteForm.getByLabel('E-postadress').fill(`karin.${stamp}@malmo.example`);
  await inviteForm.getByRole('button', { name: 'Bjud in' }).click();
  const linkBox = a.getByTestId('org-invite-link');
  await linkBox.waitFor();
  const inviteLink = await linkBox.getByLabel('Inbjudningslänk').inputValue();
  expect(inviteLink).toMatch(/#\/organisation-invitations\//);
  await a.getByTestId('org-invitation').filter({ hasText: `karin.${stamp}@malmo.example` }).waitFor();
  await check(a, '08-invited');

  // The invited person opens it logged out: who invites to which organisation; registers and joins at once.
  const ctxK = await newContext(browser, server.url);
  const k = await ctxK.newPage();
  await k.goto(inviteLink);
  await k.getByTestId('org-invite-intro').getByText('Maja Malmö bjuder in dig att gå med i Malmö stad som medlem.').waitFor();
  await check(k, '09-invitation-logged-out');
  await k.getByRole('link', { name: 'Skapa konto' }).click();
  await k.getByLabel('Namn', { exact: true }).fill('Karin Kollega');
  await k.getByLabel('E-postadress').fill(`karin.${stamp}@malmo.example`);
  await k.getByLabel('Lösenord').fill('ett långt lösenord 2026');
  await k.getByRole('button', { name: 'Skapa konto' }).click();
  await k.getByRole('button', { name: 'Gå med i Malmö stad' }).click();
  await k.getByText('Du är nu medlem i Malmö stad.').waitFor();
  await check(k, '10-invitation-joined');
  await a.reload();
  await card.getByRole('button', { name: 'Hantera Malmö stad' }).click();
  await a.getByText('Karin Kollega').waitFor();
  expect(await a.getByTestId('org-invitation').count()).toBe(0);

  expect(violations, JSON.stringify(violations, null, 2)).toEqual({});
  await Promise.all([ctxA.close(), ctxB.close(), ctxO.close(), ctxK.close()]);
}, 240_000);
