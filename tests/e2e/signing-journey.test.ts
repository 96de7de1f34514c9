/**
 * The whole signing journey with two parties, each in its own browser context, through the UI (issue 14
 * items 2 and 3): the NGO user registers, registers the organisation, creates the agreement and says she
 * signs for it (with her title); invites the kommun as a new party with the signatory flag; the kommun user
 * opens the link, registers, registers the kommun, gives his title and joins. The text is filled by the
 * shared fillComplete helper through a sync client (typing fifteen sections, the goal table and the
 * checklist is not what this test is about); both parties mark every section agreed in the UI; each
 * signatory approves through the confirmation dialog (full checksum, what is open, the lock note, the last
 * one said explicitly); the agreement locks as final version 1 in both windows and the signing-ready PDF is
 * downloaded through the UI and prints both signatories with their titles (pdftotext). axe: no serious
 * or critical violations on the dialog.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fillComplete } from '../../apps/server/test/helpers/complete-agreement.ts';
import { launchBrowser, newContext, screenshot, seriousA11yViolations } from './support/browser.ts';
import { orgNumber, sectionEditor, waitForSections, type Actor } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';
import { connectAs } from './support/ydoc.ts';

let server: E2EServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

async function register(page: Page, name: string, email: string): Promise<void> {
  await page.getByRole('link', { name: 'Skapa konto' }).click();
  await page.getByLabel('Namn', { exact: true }).fill(name);
  await page.getByLabel('E-postadress').fill(email);
  await page.getByLabel('Lösenord').fill('ett långt lösenord 2026');
  await page.getByRole('button', { name: 'Skapa konto' }).click();
}

/** Every "Vi är överens" not yet pressed, pressed (one at a time: each press re-renders the list). */
async function agreeToEverySection(page: Page): Promise<void> {
  const open = page.locator('button[aria-pressed="false"]', { hasText: 'Vi är överens' });
  await expect.poll(() => page.locator('button', { hasText: 'Vi är överens' }).count(), { timeout: 30_000 }).toBeGreaterThan(5);
  while ((await open.count()) > 0) {
    await open.first().scrollIntoViewIfNeeded();
    await open.first().click();
  }
}

async function approveThroughDialog(page: Page, last: boolean): Promise<void> {
  await page.getByRole('tab', { name: /Signering/ }).click();
  await page.getByRole('button', { name: 'Godkänn för underskrift …' }).click();
  const dialog = page.getByRole('dialog', { name: 'Godkänn för underskrift' });
  await dialog.waitFor();
  // The full checksum, and nothing open any more.
  await expect.poll(() => dialog.getByTestId('approve-hash').textContent(), { timeout: 30_000 }).toMatch(/^[0-9a-f]{64}$/);
  await dialog.getByTestId('approve-nothing-open').or(dialog.getByTestId('approve-open-warnings')).first().waitFor();
  expect(await dialog.getByTestId('approve-open-sections').count()).toBe(0);
  const note = (await dialog.getByTestId('approve-lock-note').textContent()) ?? '';
  expect(note).toContain('slutlig version 1');
  if (last) expect(note).toContain('Ditt godkännande är det sista');
  else expect(note).toContain('När alla firmatecknare har godkänt');
  // Keyboard stays inside the modal dialog.
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
  }
  const problems = await seriousA11yViolations(page);
  expect(problems, JSON.stringify(problems, null, 1)).toEqual([]);
  await screenshot(page, last ? 'journey-approve-last' : 'journey-approve-first');
  await dialog.getByRole('button', { name: last ? 'Godkänn och lås som slutlig version 1' : 'Godkänn för underskrift', exact: true }).click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
}

it('two parties go from registration to a locked, signing-ready final version through the UI', async () => {
  const stamp = Date.now().toString(36);
  const ctxA = await newContext(browser, server.url);
  const ctxB = await newContext(browser, server.url);
  contexts.push(ctxA, ctxB);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();

  // The NGO user registers and registers her organisation.
  await a.goto(server.url + '/');
  await a.getByRole('heading', { name: 'Logga in' }).waitFor();
  await register(a, 'Nora Ideell', `nora.${stamp}@exempel.se`);
  await a.getByRole('heading', { name: 'Mina överenskommelser' }).waitFor();
  await a.getByRole('link', { name: 'Ny överenskommelse' }).click();
  await a.getByRole('link', { name: 'Registrera organisation' }).click();
  await a.getByLabel('Organisationens namn').fill('Föreningen Läxhjälpen');
  await a.getByLabel('Organisationsnummer').fill(orgNumber('802'));
  await a.getByRole('button', { name: 'Registrera organisation' }).click();

  // "Ny överenskommelse" asks whether she signs for the organisation: yes, as Ordförande.
  await a.getByRole('heading', { name: 'Ny överenskommelse' }).waitFor();
  await a.getByLabel('Överenskommelsens namn').fill('IOP om läxhjälp 2027');
  await a.getByRole('button', { name: 'Skapa överenskommelse' }).click();
  await a.getByRole('alert').filter({ hasText: 'Svara om du skriver under för organisationen.' }).waitFor();
  await a.getByLabel('Ja, jag är firmatecknare för Föreningen Läxhjälpen').check();
  await a.getByLabel('Din titel (befattning)').fill('Ordförande');
  await screenshot(a, 'journey-new-agreement');
  expect(await seriousA11yViolations(a)).toEqual([]);
  await a.getByRole('button', { name: 'Skapa överenskommelse' }).click();
  await waitForSections(a, 'Nora Ideell');
  const agreementId = /#\/agreements\/([0-9a-f-]{36})/.exec(a.url())![1]!;

  // She invites the kommun as a new party, editor and signatory.
  await a.getByRole('button', { name: 'Bjud in', exact: true }).click();
  const invite = a.getByRole('dialog', { name: 'Bjud in', exact: true });
  await invite.getByLabel('En ny part (en annan organisation)').check();
  await invite.getByLabel(/^Redaktör/).check();
  await invite.getByLabel(/Firmatecknare/).check();
  await invite.getByRole('button', { name: 'Skapa inbjudningslänk' }).click();
  const link = await invite.getByLabel('Inbjudningslänk').inputValue();
  await a.keyboard.press('Escape');

  // The kommun user opens the link, registers, gives his title, registers the kommun and joins.
  await b.goto(link);
  await b.getByText('Logga in eller skapa ett konto för att ta emot inbjudan.').waitFor();
  await register(b, 'Kalle Kommun', `kalle.${stamp}@exempel.se`);
  await b.getByText(/Du är inbjuden till överenskommelsen/).waitFor();
  await b.getByLabel('Din titel (befattning)').fill('Förvaltningsdirektör');
  await b.getByLabel('Kommun', { exact: true }).check();
  const combo = b.getByRole('combobox', { name: 'Kommun' });
  await combo.focus();
  await b.keyboard.type('Upps');
  await b.getByRole('option', { name: /Uppsala/ }).first().waitFor();
  await b.keyboard.press('ArrowDown');
  await b.keyboard.press('Enter');
  await b.getByLabel('Organisationsnummer').fill(orgNumber('212'));
  await b.getByText('Giltigt organisationsnummer.').waitFor();
  await b.getByRole('button', { name: 'Gå med i överenskommelsen' }).last().click();
  await waitForSections(b, 'Kalle Kommun');

  // Both signatories are people, with their titles, in both windows.
  for (const p of [a, b]) {
    await p.getByRole('tab', { name: /Signering/ }).click();
    await expect
      .poll(() => p.getByTestId('signing-panel').getByTestId('party-signatories').allTextContents(), { timeout: 30_000 })
      .toEqual(['Firmatecknare: Nora Ideell, Ordförande', 'Firmatecknare: Kalle Kommun, Förvaltningsdirektör']);
  }

  // The text (the shared fill helper through a sync client; the parties' ids from the page's API).
  const detail = await ctxA.request.get(`${server.url}/api/agreements/${agreementId}`);
  const parties = ((await detail.json()) as { parties: Array<{ id: string; kind: string }> }).parties;
  const ngoId = parties.find((x) => x.kind === 'ideburen')!.id;
  const kommunId = parties.find((x) => x.kind === 'kommun')!.id;
  const node = await connectAs(server, { context: ctxA } as unknown as Actor, agreementId);
  fillComplete(node.doc, ngoId, kommunId);
  await node.flushed();
  node.close();

  // Approving before the sections are agreed: the dialog lists what is open and does not let her approve.
  await a.getByRole('button', { name: 'Godkänn för underskrift …' }).click();
  const early = a.getByRole('dialog', { name: 'Godkänn för underskrift' });
  await early.getByTestId('approve-open-sections').waitFor({ timeout: 30_000 });
  expect(await early.getByTestId('approve-open-sections').textContent()).toContain('Bakgrund');
  await early.getByTestId('approve-blocked').waitFor();
  expect(await early.getByRole('button', { name: 'Godkänn för underskrift', exact: true }).isDisabled()).toBe(true);
  await screenshot(a, 'journey-approve-blocked');
  expect(await seriousA11yViolations(a)).toEqual([]);
  await a.keyboard.press('Escape');
  await early.waitFor({ state: 'detached' });

  // Both parties mark every section agreed, in the UI.
  await agreeToEverySection(a);
  await agreeToEverySection(b);
  for (const p of [a, b]) await expect.poll(() => p.locator('button[aria-pressed="true"]', { hasText: 'Vi är överens' }).count(), { timeout: 30_000 }).toBeGreaterThan(5);

  // The NGO signatory approves through the dialog, then the kommun signatory (the last approval).
  await approveThroughDialog(a, false);
  await a.getByTestId('you-approved').waitFor({ timeout: 30_000 });
  await expect.poll(() => b.getByTestId('signing-panel').locator('li.approval[data-approved="true"]').count(), { timeout: 30_000 }).toBe(1);
  await approveThroughDialog(b, true);

  // Locked as final version 1 in both windows; the editors are read-only.
  for (const p of [a, b]) {
    await p.getByTestId('final-banner').waitFor({ timeout: 30_000 });
    expect(await p.getByTestId('final-banner').textContent()).toContain('Slutlig version 1');
    await expect.poll(() => sectionEditor(p, 'background').getAttribute('contenteditable'), { timeout: 30_000 }).toBe('false');
  }

  // The signing-ready PDF, through the UI: both signatories with their titles in the signature block.
  const button = b.getByTestId('download-signing-pdf');
  await button.waitFor();
  const [download] = await Promise.all([b.waitForEvent('download', { timeout: 60_000 }), button.click()]);
  expect(download.suggestedFilename()).toMatch(/slutlig-version-1\.pdf$/);
  const file = await download.path();
  expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const block = text.slice(text.lastIndexOf('Ort och datum') - 400);
  for (const s of ['Nora Ideell', 'Ordförande', 'Kalle Kommun', 'Förvaltningsdirektör']) expect(block).toContain(s);
  expect(text).not.toContain('Lena Berg');
  await screenshot(b, 'journey-locked');
}, 600_000);
