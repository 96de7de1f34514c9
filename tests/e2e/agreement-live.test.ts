/**
 * The agreement's own metadata is live for everyone who has it open: when the NGO editor renames the
 * agreement, the kommun editor's page (another browser context) shows the new heading and tab title and hears
 * a polite announcement without a reload; when it is archived and restored, the kommun page shows the
 * archived banner and the "Återställ från arkivet" button the way the archiving user's page does.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousA11yViolations } from './support/browser.ts';
import { setupSharedAgreement, type SharedAgreement } from './support/scenario.ts';
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

describe('rename and archive are live for the other party', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser, { ngoName: 'Nadia Ideell', kommunName: 'Klas Kommun' });
    await s.ngo.open();
    await s.kommun.open();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the other party’s open page shows a new title and the archived state without a reload', async () => {
    const k = s.kommun.page;
    await k.locator('#agreement-title').waitFor();
    // The kommun page's event stream is connected before anything changes.
    await expect.poll(() => k.getByRole('button', { name: 'Arkivera', exact: true }).count(), { timeout: 30_000 }).toBe(1);
    // A marker that disappears if the page reloads: the updates below must come without one.
    await k.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const page = s.ngo.page;
    await page.getByRole('button', { name: 'Byt namn', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Byt namn på överenskommelsen' });
    await dialog.getByLabel('Namn på överenskommelsen').fill('IOP om läxhjälp i Gottsunda 2028');
    await dialog.getByRole('button', { name: 'Spara' }).click();

    await expect.poll(() => k.locator('#agreement-title').textContent(), { timeout: 20_000 }).toBe('IOP om läxhjälp i Gottsunda 2028');
    await expect.poll(() => k.title()).toContain('IOP om läxhjälp i Gottsunda 2028');
    // Announced politely (a status region), not only changed under the user's eyes.
    await expect
      .poll(() => k.getByRole('status').filter({ hasText: 'bytt namn' }).first().textContent(), { timeout: 20_000 })
      .toBe('Överenskommelsen har bytt namn till IOP om läxhjälp i Gottsunda 2028.');

    // Archive: the kommun page gets the banner and the restore button, as the archiving user's page does.
    await page.getByRole('button', { name: 'Arkivera', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Återställ från arkivet' }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => k.getByRole('button', { name: 'Återställ från arkivet' }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => k.getByRole('note').filter({ hasText: 'Överenskommelsen är arkiverad.' }).count()).toBe(1);
    await expect.poll(() => k.getByRole('status').filter({ hasText: 'Överenskommelsen är arkiverad.' }).count()).toBe(1);

    // Restore: both go back.
    await page.getByRole('button', { name: 'Återställ från arkivet' }).click();
    await expect.poll(() => k.getByRole('button', { name: 'Arkivera', exact: true }).count(), { timeout: 20_000 }).toBe(1);
    expect(await k.getByRole('note').filter({ hasText: 'Överenskommelsen är arkiverad.' }).count()).toBe(0);

    expect(await k.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await seriousA11yViolations(k)).toEqual([]);
  }, 180_000);
});
