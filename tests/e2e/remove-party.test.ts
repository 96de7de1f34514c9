/**
 * Removing our party through the UI (issue 12 item 7), two parties on one agreement against the real
 * server: the kommun's last editor opens Deltagare → "Ta bort vår part …", reads what goes, confirms,
 * and lands on the agreement list; the server no longer counts the kommun as a party or its editor as a
 * member; a member of another party is not offered the button; axe finds no serious or critical
 * problems in the dialog.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousA11yViolations } from './support/browser.ts';
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

describe('remove our party', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the kommun removes itself from the agreement after reading what goes', async () => {
    const detail = await s.ngo.api<{ parties: Array<{ id: string; name: string }> }>('GET', `/api/agreements/${s.agreementId}`);
    const kommunParty = detail.parties.find((p) => p.id === s.kommun.orgId)!;

    const page = s.kommun.page;
    await s.kommun.open(s.agreementId);
    await page.getByRole('button', { name: 'Deltagare', exact: true }).click();
    const members = page.getByRole('dialog', { name: 'Deltagare' });
    await members.waitFor({ state: 'visible' });
    await members.getByRole('button', { name: 'Ta bort vår part …' }).click();

    const dialog = page.getByRole('dialog', { name: `Ta bort ${kommunParty.name} ur överenskommelsen` });
    await dialog.waitFor({ state: 'visible' });
    await expect.poll(() => dialog.textContent()).toContain('innan någon har godkänt');
    // Focus starts on Avbryt (the safe choice).
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Avbryt');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'remove-party-dialog');

    await dialog.getByRole('button', { name: `Ta bort ${kommunParty.name}` }).click();
    // Back on the agreement list: the kommun's editor is no longer a member.
    await expect.poll(() => page.url(), { timeout: 20_000 }).toMatch(/#\/(agreements)?$/);
    expect((await s.kommun.call('GET', `/api/agreements/${s.agreementId}`)).status).toBe(404);
    const after = await s.ngo.api<{ parties: Array<{ id: string }>; members: Array<{ userId: string }> }>('GET', `/api/agreements/${s.agreementId}`);
    expect(after.parties.map((p) => p.id)).not.toContain(kommunParty.id);
    expect(after.members.map((m) => m.userId)).not.toContain(s.kommun.userId);

    // The NGO is now the only party: the policy still offers it, the server refuses with a reason.
    const ngoPage = s.ngo.page;
    await s.ngo.open(s.agreementId);
    await ngoPage.getByRole('button', { name: 'Deltagare', exact: true }).click();
    await ngoPage.getByRole('dialog', { name: 'Deltagare' }).getByRole('button', { name: 'Ta bort vår part …' }).click();
    const ngoDialog = ngoPage.getByRole('dialog', { name: /^Ta bort .* ur överenskommelsen$/ });
    await ngoDialog.waitFor({ state: 'visible' });
    await ngoDialog.getByRole('button', { name: /^Ta bort / }).click();
    await expect.poll(() => ngoDialog.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('enda part');
  }, 180_000);
});
