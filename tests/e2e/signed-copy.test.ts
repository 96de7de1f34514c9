/**
 * The signed copy in the browser: on a locked final version (prepared through the API and the sync
 * endpoint), the NGO signatory downloads nothing by hand but uploads the signing-ready PDF from our own
 * export through the real file input; both windows then show "Undertecknad" with who uploaded it and
 * "Stämmer med den slutliga versionen", the kommun's through the event stream; the section has no
 * serious axe violations.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeAllSections, fillComplete } from '../../apps/server/test/helpers/complete-agreement.ts';
import { launchBrowser, screenshot, seriousA11yViolations } from './support/browser.ts';
import { setupSharedAgreement, type SharedAgreement } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';
import { connectAs } from './support/ydoc.ts';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('signed copy in the browser', () => {
  let s: SharedAgreement;

  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
    const ngoOrg = s.ngo.orgId!;
    const kommunOrg = s.kommun.orgId!;
    await s.ngo.api('PATCH', `/api/agreements/${s.agreementId}/members/${s.ngo.userId}`, { signatory: true });
    const node = await connectAs(server, s.ngo, s.agreementId);
    fillComplete(node.doc, ngoOrg, kommunOrg);
    agreeAllSections(node.doc, [
      { partyId: ngoOrg, userId: s.ngo.userId, userName: s.ngo.name },
      { partyId: kommunOrg, userId: s.kommun.userId, userName: s.kommun.name },
    ]);
    await node.flushed();
    node.close();
    const { currentHash } = await s.ngo.api<{ currentHash: string }>('GET', `/api/agreements/${s.agreementId}/approvals`);
    await s.ngo.api('POST', `/api/agreements/${s.agreementId}/approvals`, { hash: currentHash });
    await s.kommun.api('POST', `/api/agreements/${s.agreementId}/approvals`, { hash: currentHash });
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it('uploads the signed PDF and both parties see "Undertecknad", matched', async () => {
    const res = await s.ngo.context.request.post(`${server.url}/api/agreements/${s.agreementId}/export?format=pdf`, { headers: { origin: server.url } });
    expect(res.status()).toBe(200);
    const pdf = await res.body();

    for (const actor of [s.ngo, s.kommun]) {
      await actor.open(s.agreementId);
      // Focus landing in an agreed section may open the "edit an agreed section?" warning: dismiss it.
      const warning = actor.page.getByTestId('agreed-edit-warning');
      if (await warning.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
        await warning.getByRole('button', { name: 'Avbryt' }).click();
        await warning.waitFor({ state: 'detached', timeout: 10_000 });
      }
      await actor.page.getByRole('tab', { name: /Signering/ }).click();
      await actor.page.getByTestId('signed-copy').waitFor({ timeout: 30_000 });
    }
    const a = s.ngo.page;
    const section = a.getByTestId('signed-copy');
    await section.getByLabel('Undertecknad PDF').setInputFiles({ name: 'undertecknad.pdf', mimeType: 'application/pdf', buffer: pdf });
    await section.getByRole('button', { name: 'Ladda upp' }).click();
    await expect.poll(() => a.getByTestId('signed-copy-status').textContent(), { timeout: 60_000 }).toContain('Den undertecknade kopian är sparad.');
    const latest = a.getByTestId('signed-copy-latest');
    await expect.poll(() => latest.textContent(), { timeout: 30_000 }).toContain('Undertecknad');
    expect(await latest.textContent()).toContain(`av ${s.ngo.name}`);
    expect(await a.getByTestId('signed-copy-match').textContent()).toContain('Stämmer med den slutliga versionen');
    await screenshot(a, 'signed-copy-uploaded');

    // The other party's window learns it from the event stream.
    const b = s.kommun.page;
    await expect.poll(() => b.getByTestId('signed-copy').textContent(), { timeout: 30_000 }).toContain('Undertecknad');
    expect(await b.getByRole('link', { name: 'Hämta undertecknad kopia' }).getAttribute('href')).toMatch(/\/signed-copies\/[0-9a-f-]+\/file$/);

    expect(await seriousA11yViolations(a)).toEqual([]);
    expect(await seriousA11yViolations(b)).toEqual([]);
  }, 180_000);

  it('refuses a file that is not a PDF with a clear message', async () => {
    const a = s.ngo.page;
    const section = a.getByTestId('signed-copy');
    await section.getByLabel('Undertecknad PDF').setInputFiles({ name: 'avtal.pdf', mimeType: 'application/pdf', buffer: Buffer.from('det här är ingen PDF') });
    await section.getByRole('button', { name: 'Ladda upp' }).click();
    await expect.poll(() => a.getByTestId('signed-copy-problem').textContent(), { timeout: 30_000 }).toContain('inte en PDF');
    expect(await seriousA11yViolations(a)).toEqual([]);
  }, 120_000);
});
