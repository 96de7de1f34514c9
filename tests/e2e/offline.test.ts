/**
 * Offline: the server stops while two parties have the agreement open. The page keeps its content and
 * shows that it is offline; edits made meanwhile are kept (IndexedDB) and reach the other party and the
 * database once the server is back.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { sectionText, setupSharedAgreement, typeInSection, type SharedAgreement } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';
import { connectAs } from './support/ydoc.ts';

let server: E2EServer;
let browser: Browser;
let s: SharedAgreement;

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
  s = await setupSharedAgreement(server, browser);
  await s.ngo.open();
  await s.kommun.open();
});

afterAll(async () => {
  await s?.close();
  await browser?.close();
  await server?.close();
});

it('keeps the page while the server is down and syncs the edits made meanwhile when it returns', async () => {
  const a = s.ngo.page;
  const b = s.kommun.page;
  await typeInSection(a, 'background', 'Skrivet före avbrottet.');
  await expect.poll(() => sectionText(b, 'background'), { timeout: 20_000 }).toContain('Skrivet före avbrottet.');
  await expect.poll(() => a.locator('[data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
  // The offline app shell (service worker) is installed before the outage.
  await expect
    .poll(() => b.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'), { timeout: 30_000 })
    .toBe('activated');

  await server.stop();

  // Both pages keep their content and say they are offline.
  await expect.poll(() => a.locator('[data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('offline');
  await expect.poll(() => b.locator('[data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('offline');
  expect(await sectionText(a, 'background')).toContain('Skrivet före avbrottet.');
  expect(await sectionText(b, 'background')).toContain('Skrivet före avbrottet.');

  // A reload while the server is down still opens the agreement with its last content (shell from the
  // service worker, document from IndexedDB).
  await b.reload();
  await b.locator('[data-section-editor]').first().waitFor({ state: 'visible', timeout: 30_000 });
  await expect.poll(() => sectionText(b, 'background'), { timeout: 20_000 }).toContain('Skrivet före avbrottet.');
  expect(await b.locator('[data-status]').getAttribute('data-status')).toBe('offline');
  await screenshot(b, 'agreement-offline-reloaded');

  // Edits while offline, by both parties in different sections.
  await typeInSection(a, 'background', ' Skrivet under avbrottet av föreningen.');
  await typeInSection(b, 'purpose', 'Kommunen skrev detta offline.');
  await expect.poll(() => a.locator('[data-status]').innerText()).toMatch(/Frånkopplad/);
  await screenshot(a, 'agreement-offline');

  await server.start();

  // Reconnected (backoff ≤ 5 s): each sees the other's offline edit, and the status returns to saved.
  await expect.poll(() => sectionText(b, 'background'), { timeout: 60_000 }).toContain('Skrivet under avbrottet av föreningen.');
  await expect.poll(() => sectionText(a, 'purpose'), { timeout: 60_000 }).toContain('Kommunen skrev detta offline.');
  await expect.poll(() => a.locator('[data-status]').getAttribute('data-status'), { timeout: 60_000 }).toBe('saved');

  // And it is on the server: a fresh client sees both edits.
  const fresh = await connectAs(server, s.kommun, s.agreementId);
  const sections = fresh.adoc.sections();
  const bg = JSON.stringify(fresh.adoc.sectionRichBody(sections.find((x) => x.key === 'background')!.id));
  const purpose = JSON.stringify(fresh.adoc.sectionRichBody(sections.find((x) => x.key === 'purpose')!.id));
  fresh.close();
  expect(bg).toContain('Skrivet under avbrottet av föreningen.');
  expect(purpose).toContain('Kommunen skrev detta offline.');
}, 300_000);
