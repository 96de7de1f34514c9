/**
 * Members ("Deltagare"), rename and archive through the UI, two parties on one agreement against the
 * real server: an editor demotes a colleague of their own party to viewer and the colleague's editor
 * turns read-only at once; members of the other party are read-only in the dialog; removal needs a
 * confirm step; a rename shows for the other party after a reload; archived agreements are listed only
 * on request; axe finds no serious or critical problems in the dialog.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousA11yViolations } from './support/browser.ts';
import { sectionEditor, setupSharedAgreement, type Actor, type SharedAgreement } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('members, rename and archive', () => {
  let s: SharedAgreement;
  let erik: Actor;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
    erik = await s.addColleague('editor', 'Erik Redaktör');
    await s.ngo.open();
    await erik.open(s.agreementId);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('an editor demotes a colleague to viewer and the colleague’s editor becomes read-only', async () => {
    const erikEditor = sectionEditor(erik.page, 'background');
    await expect.poll(() => erikEditor.getAttribute('contenteditable'), { timeout: 20_000 }).toBe('true');

    const page = s.ngo.page;
    await page.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deltagare' });
    await dialog.waitFor({ state: 'visible' });
    // Both parties are listed, each member with e-mail and role.
    await expect.poll(() => dialog.getByRole('heading', { name: 'Uppsala kommun' }).count()).toBe(1);
    await expect.poll(() => dialog.locator(`tr[data-member="${s.kommun.email}"]`).textContent()).toContain('Redaktör');
    // Members of the other party cannot be changed from here.
    expect(await dialog.getByRole('combobox', { name: `Roll för ${s.kommun.name}` }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: `Ta bort ${s.kommun.name}` }).count()).toBe(0);

    const problems = await seriousA11yViolations(page);
    expect(problems).toEqual([]);

    await dialog.getByRole('combobox', { name: `Roll för ${erik.name}` }).selectOption('viewer');
    await expect.poll(() => dialog.getByRole('status').first().textContent(), { timeout: 20_000 }).toContain('Ändringen är sparad.');
    await expect.poll(() => dialog.getByRole('combobox', { name: `Roll för ${erik.name}` }).inputValue()).toBe('viewer');
    // The demoted colleague's editor turns read-only without a reload.
    await expect.poll(() => erikEditor.getAttribute('contenteditable'), { timeout: 30_000 }).toBe('false');
    // The server agrees.
    const members = await s.ngo.api<Array<{ userId: string; role: string }>>('GET', `/api/agreements/${s.agreementId}/members`);
    expect(members.find((m) => m.userId === erik.userId)?.role).toBe('viewer');
    await screenshot(page, 'members-dialog');
  }, 180_000);

  it('the other party sees the list read-only; removing a member needs a confirm step', async () => {
    const k = s.kommun.page;
    await s.kommun.open();
    await k.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const kd = k.getByRole('dialog', { name: 'Deltagare' });
    await kd.waitFor({ state: 'visible' });
    await expect.poll(() => kd.locator(`tr[data-member="${erik.email}"]`).textContent()).toContain('Läsare');
    expect(await kd.getByRole('combobox', { name: `Roll för ${erik.name}` }).count()).toBe(0);
    await kd.getByRole('button', { name: 'Stäng' }).click();

    const page = s.ngo.page;
    const dialog = page.getByRole('dialog', { name: 'Deltagare' });
    await dialog.getByRole('button', { name: `Ta bort ${erik.name}` }).click();
    // Nothing is removed before the confirmation.
    expect(await dialog.locator(`tr[data-member="${erik.email}"]`).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Ja, ta bort' }).click();
    await expect.poll(() => dialog.locator(`tr[data-member="${erik.email}"]`).count(), { timeout: 20_000 }).toBe(0);
    const members = await s.ngo.api<Array<{ userId: string }>>('GET', `/api/agreements/${s.agreementId}/members`);
    expect(members.some((m) => m.userId === erik.userId)).toBe(false);
    await dialog.getByRole('button', { name: 'Stäng' }).click();
  }, 120_000);

  it('attachments (Bilaga A, B) are added, edited and reordered live; the other party sees them', async () => {
    const page = s.ngo.page;
    const k = s.kommun.page;
    const add = page.getByRole('button', { name: 'Lägg till bilaga' });
    await add.scrollIntoViewIfNeeded();
    await add.click();
    await page.getByLabel('Rubrik för bilaga A').fill('Budget 2027');
    await page.getByLabel('Beskrivning av bilaga A').fill('Kostnader per månad');
    await add.click();
    await page.getByLabel('Rubrik för bilaga B').fill('Verksamhetsplan');
    const kItem = (letter: string) => k.locator(`[data-attachments] [data-attachment="${letter}"]`);
    await expect.poll(() => kItem('B').locator('input').inputValue(), { timeout: 20_000 }).toBe('Verksamhetsplan');
    await expect.poll(() => kItem('A').locator('textarea').inputValue()).toBe('Kostnader per månad');
    await page.getByRole('button', { name: 'Flytta bilaga B uppåt' }).click();
    await expect.poll(() => kItem('A').locator('input').inputValue(), { timeout: 20_000 }).toBe('Verksamhetsplan');
    await expect.poll(() => kItem('B').locator('input').inputValue()).toBe('Budget 2027');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.locator('[data-attachments]').scrollIntoViewIfNeeded();
    await screenshot(page, 'attachments');
    await page.getByRole('button', { name: 'Ta bort bilaga A' }).click();
    await page.getByRole('button', { name: 'Ja, ta bort' }).click();
    await expect.poll(() => k.locator('[data-attachments] [data-attachment]').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => kItem('A').locator('input').inputValue()).toBe('Budget 2027');
  }, 120_000);

  it('a rename shows for the other party after reload; archiving hides the agreement from the list unless asked for', async () => {
    const page = s.ngo.page;
    await page.getByRole('button', { name: 'Byt namn', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Byt namn på överenskommelsen' });
    const input = dialog.getByLabel('Namn på överenskommelsen');
    await input.fill('IOP om läxhjälp i Gottsunda 2027');
    await dialog.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.locator('#agreement-title').textContent(), { timeout: 20_000 }).toBe('IOP om läxhjälp i Gottsunda 2027');

    await s.kommun.open();
    await s.kommun.page.reload();
    await expect.poll(() => s.kommun.page.locator('#agreement-title').textContent(), { timeout: 30_000 }).toBe('IOP om läxhjälp i Gottsunda 2027');

    await page.getByRole('button', { name: 'Arkivera', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Återställ från arkivet' }).count(), { timeout: 20_000 }).toBe(1);
    await page.goto(`${server.url}/#/agreements`);
    await page.getByRole('checkbox', { name: 'Visa arkiverade' }).waitFor();
    expect(await page.getByRole('link', { name: 'IOP om läxhjälp i Gottsunda 2027' }).count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Visa arkiverade' }).check();
    await expect.poll(() => page.getByRole('link', { name: 'IOP om läxhjälp i Gottsunda 2027' }).count(), { timeout: 20_000 }).toBe(1);
  }, 180_000);
  it('the last editor cannot demote themselves: the 409 is shown as a readable message', async () => {
    // The kommun user steps down to commenter (allowed: the NGO user is still an editor).
    const k = s.kommun.page;
    await s.kommun.open();
    await k.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const kd = k.getByRole('dialog', { name: 'Deltagare' });
    await kd.getByRole('combobox', { name: `Roll för ${s.kommun.name}` }).selectOption('commenter');
    await expect.poll(() => kd.locator(`tr[data-member="${s.kommun.email}"]`).textContent(), { timeout: 20_000 }).toContain('Kommentator');
    // Now the NGO user is the only editor and tries to become a viewer.
    const page = s.ngo.page;
    await s.ngo.open();
    await page.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deltagare' });
    await dialog.getByRole('combobox', { name: `Roll för ${s.ngo.name}` }).selectOption('viewer');
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), { timeout: 20_000 })
      .toBe('Varje part måste ha minst en redaktör. Gör någon annan i din part till redaktör först, eller ta bort hela er part (Ta bort vår part …).');
    const members = await s.ngo.api<Array<{ userId: string; role: string }>>('GET', `/api/agreements/${s.agreementId}/members`);
    expect(members.find((m) => m.userId === s.ngo.userId)?.role).toBe('editor');
  }, 120_000);
});

describe('members dialog follows changes made by others, live', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser, { ngoName: 'Nadia Ideell', kommunName: 'Klas Kommun' });
    await s.ngo.open();
    await s.kommun.open();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the other party’s open dialog shows a new member, their role change and their removal without a reload', async () => {
    const k = s.kommun.page;
    await k.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const kd = k.getByRole('dialog', { name: 'Deltagare' });
    await kd.waitFor({ state: 'visible' });
    await expect.poll(() => kd.locator(`tr[data-member="${s.ngo.email}"]`).count()).toBe(1);
    // A marker that disappears if the page reloads: the updates below must come without one.
    await k.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    // An NGO colleague accepts an invitation (in their own browser context).
    const olle = await s.addColleague('commenter', 'Olle Ny');
    const row = kd.locator(`tr[data-member="${olle.email}"]`);
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Kommentator');

    // The NGO editor makes them a viewer through their own members dialog.
    const page = s.ngo.page;
    await page.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deltagare' });
    // The NGO's dialog was opened after the invitation; it lists Olle as well.
    await dialog.getByRole('combobox', { name: `Roll för ${olle.name}` }).selectOption('viewer');
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Läsare');

    // ...and removes them: the row goes away in the other party's dialog.
    await dialog.getByRole('button', { name: `Ta bort ${olle.name}` }).click();
    await dialog.getByRole('button', { name: 'Ja, ta bort' }).click();
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(0);
    await dialog.getByRole('button', { name: 'Stäng' }).click();

    expect(await k.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await kd.isVisible()).toBe(true);
    expect(await seriousA11yViolations(k)).toEqual([]);
  }, 180_000);

  it('the NGO’s open dialog shows a colleague who joins while it is open', async () => {
    const page = s.ngo.page;
    await page.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deltagare' });
    await dialog.waitFor({ state: 'visible' });
    const vera = await s.addColleague('viewer', 'Vera Senare');
    // Their row appears with the controls an editor of the same party gets.
    await expect.poll(() => dialog.getByRole('combobox', { name: `Roll för ${vera.name}` }).count(), { timeout: 20_000 }).toBe(1);
    expect(await dialog.getByRole('combobox', { name: `Roll för ${vera.name}` }).inputValue()).toBe('viewer');
  }, 120_000);
});
