/**
 * A first-time NGO user and a first-time kommun user get in through the UI only: register, register the
 * organisation (organisation number checked as typed, kommun picked from the combobox by keyboard), create an
 * agreement from the template, invite the other party with a link, accept it. axe-core runs on every page
 * (no serious or critical violations) and each screen is saved to tests/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, seriousA11yViolations, type AxeProblem } from './support/browser.ts';
import { orgNumber, waitForSections } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';

let server: E2EServer;
let browser: Browser;
const violations: Record<string, AxeProblem[]> = {};

async function check(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  await screenshot(page, name, opts);
  const v = await seriousA11yViolations(page);
  if (v.length) violations[name] = v;
}

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('a new NGO user and a new kommun user get from registration to a shared agreement, accessibly', async () => {
  const ctxA = await newContext(browser, server.url);
  const a = await ctxA.newPage();
  const stamp = Date.now().toString(36);

  // Sign-in page first.
  await a.goto(server.url + '/');
  await a.getByRole('heading', { name: 'Logga in' }).waitFor();
  await check(a, '01-sign-in');
  // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
  await a.keyboard.press('Tab');
  expect(await a.evaluate(() => document.activeElement?.className)).toBe('skip-link');
  await a.keyboard.press('Enter');
  expect(await a.evaluate(() => document.activeElement?.id)).toBe('main');

  // Register: empty form shows an error summary linked to the fields.
  await a.getByRole('link', { name: 'Skapa konto' }).click();
  await a.getByRole('heading', { name: 'Skapa konto' }).waitFor();
  await a.getByRole('button', { name: 'Skapa konto' }).click();
  await a.getByRole('alert').filter({ hasText: 'Det finns ett problem' }).waitFor();
  expect(await a.getByText('Ange ditt namn').count()).toBeGreaterThan(0);
  await check(a, '02-register-errors');
  await a.getByLabel('Namn', { exact: true }).fill('Nora Ideell');
  await a.getByLabel('E-postadress').fill(`nora.${stamp}@exempel.se`);
  await a.getByLabel('Lösenord').fill('ett långt lösenord 2026');
  await a.getByRole('button', { name: 'Skapa konto' }).click();
  await a.getByRole('heading', { name: 'Mina överenskommelser' }).waitFor();
  await check(a, '03-agreements-empty');

  // New agreement → first register the organisation.
  await a.getByRole('link', { name: 'Ny överenskommelse' }).click();
  await a.getByRole('link', { name: 'Registrera organisation' }).click();
  await a.getByRole('heading', { name: 'Organisationer' }).waitFor();
  await a.getByLabel('Organisationens namn').fill('Föreningen Läxhjälpen');
  const number = a.getByLabel('Organisationsnummer');
  await number.fill('802000-1235');
  await number.blur();
  await a.getByText('Organisationsnumret stämmer inte', { exact: false }).first().waitFor();
  await check(a, '04-organisation-invalid-number');
  await number.fill(orgNumber('802'));
  await a.getByText('Giltigt organisationsnummer.').waitFor();
  await a.getByRole('button', { name: 'Registrera organisation' }).click();

  // Back on "new agreement" with the organisation chosen.
  await a.getByRole('heading', { name: 'Ny överenskommelse' }).waitFor();
  await a.getByLabel('Överenskommelsens namn').fill('IOP om läxhjälp i Gottsunda 2026–2029');
  // She drafts; someone else signs for the association (the signing journey test answers yes).
  await a.getByLabel('Nej, någon annan skriver under').check();
  await check(a, '05-new-agreement');
  await a.getByRole('button', { name: 'Skapa överenskommelse' }).click();
  await waitForSections(a, 'Nora Ideell');
  await a.getByRole('heading', { level: 1, name: 'IOP om läxhjälp i Gottsunda 2026–2029' }).waitFor();
  await expect.poll(() => a.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toMatch(/connected|saved/);
  await check(a, '06-agreement-new');

  // Invite the other party: a link to copy.
  await a.getByRole('button', { name: 'Bjud in', exact: true }).click();
  const dialog = a.getByRole('dialog', { name: 'Bjud in', exact: true });
  await dialog.waitFor();
  await dialog.getByLabel('En ny part (en annan organisation)').check();
  await dialog.getByLabel(/^Redaktör/).check();
  await dialog.getByLabel(/Firmatecknare/).check();
  await dialog.getByRole('button', { name: 'Skapa inbjudningslänk' }).click();
  const linkInput = dialog.getByLabel('Inbjudningslänk');
  await linkInput.waitFor();
  const link = await linkInput.inputValue();
  expect(link).toContain('/#/invitations/');
  await dialog.getByRole('button', { name: 'Kopiera länk' }).click();
  await dialog.getByText('Länken är kopierad.').waitFor();
  await check(a, '07-invite-dialog');
  await a.keyboard.press('Escape');
  await expect.poll(() => dialog.count()).toBe(0);

  // The kommun user opens the link, registers, registers the kommun with the keyboard and joins.
  const ctxB = await newContext(browser, server.url);
  const b = await ctxB.newPage();
  await b.goto(link);
  await b.getByText('Logga in eller skapa ett konto för att ta emot inbjudan.').waitFor();
  await check(b, '08-invitation-signed-out');
  await b.getByRole('link', { name: 'Skapa konto' }).click();
  await b.getByLabel('Namn', { exact: true }).fill('Kalle Kommun');
  await b.getByLabel('E-postadress').fill(`kalle.${stamp}@exempel.se`);
  await b.getByLabel('Lösenord').fill('ett långt lösenord 2026');
  await b.getByRole('button', { name: 'Skapa konto' }).click();
  await b.getByText(/Du är inbjuden till överenskommelsen/).waitFor();
  await b.getByLabel('Kommun', { exact: true }).check();
  const combo = b.getByRole('combobox', { name: 'Kommun' });
  await combo.focus();
  await b.keyboard.type('Upps');
  await b.getByRole('option', { name: /Uppsala/ }).first().waitFor();
  await check(b, '09-invitation-kommun-picker');
  await b.keyboard.press('ArrowDown');
  await b.keyboard.press('Enter');
  expect(await combo.inputValue()).toBe('Uppsala');
  expect(await b.getByLabel('Organisationens namn').inputValue()).toBe('Uppsala kommun');
  await b.getByLabel('Organisationsnummer').fill(orgNumber('212'));
  await b.getByText('Giltigt organisationsnummer.').waitFor();
  await b.getByRole('button', { name: 'Gå med i överenskommelsen' }).last().click();
  await waitForSections(b, 'Kalle Kommun');
  await b.getByRole('heading', { level: 1, name: 'IOP om läxhjälp i Gottsunda 2026–2029' }).waitFor();

  // Both parties are in the document's party list, live for the NGO user too.
  await expect.poll(() => b.locator('#parties .party-card').count(), { timeout: 20_000 }).toBe(2);
  await expect.poll(() => a.locator('.presence [data-user="Kalle Kommun"]').count(), { timeout: 20_000 }).toBe(1);
  await check(b, '10-agreement-kommun');
  await b.locator('#goals').scrollIntoViewIfNeeded();
  await check(b, '11-agreement-structured');

  // The list shows the agreement; English switch persists across a reload.
  await b.getByRole('link', { name: 'Mina överenskommelser' }).first().click();
  await b.getByRole('link', { name: 'IOP om läxhjälp i Gottsunda 2026–2029' }).waitFor();
  await check(b, '12-agreements-list');
  await b.getByRole('button', { name: 'English' }).click();
  await b.getByRole('heading', { name: 'My agreements' }).waitFor();
  await b.reload();
  await b.getByRole('heading', { name: 'My agreements' }).waitFor({ timeout: 60_000 });
  expect(await b.evaluate(() => document.documentElement.lang)).toBe('en');
  await check(b, '13-agreements-list-en');

  await ctxA.close();
  await ctxB.close();
  expect(violations, JSON.stringify(violations, null, 2)).toEqual({});
}, 300_000);
