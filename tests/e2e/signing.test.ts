/**
 * Approval for signing, lock as final version, signing-ready PDF, unlock, audit trail and Word import,
 * in two real browser windows (an NGO signatory and a kommun signatory) against the real server:
 * - approval is refused while validation has errors, and the refusal lists them as clickable findings;
 * - an edit by the other party voids the first approval, visibly (who changed what) in the approver's window;
 * - both approve → both windows show "Slutlig version 1" and the editors are read-only (the server refuses updates);
 * - the signing-ready PDF is downloaded through the UI and is a PDF;
 * - unlock needs a reason (dialog), reopens editing for both, and lands in the audit trail; a stale tab's
 *   signing-PDF request is refused (409) and says why;
 * - a Word file is imported through the proposed mapping (changed by the user); a bad file gets a clear error;
 * - axe-core: no serious or critical violations on the signing tab (draft and locked) and the dialogs.
 */
import fs from 'node:fs';
import { readZip } from '../../apps/server/test/helpers/zip.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setSectionBody } from '@overens/model';
import { launchBrowser, screenshot, seriousA11yViolations } from './support/browser.ts';
import { sectionEditor, setupSharedAgreement, typeInSection, type SharedAgreement } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';
import { connectAs } from './support/ydoc.ts';
import { agreeAllSections, fillComplete } from '../../apps/server/test/helpers/complete-agreement.ts';

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


async function openTab(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

const panel = (page: Page) => page.getByTestId('signing-panel');
const partyRow = (page: Page, orgId: string) => panel(page).locator(`li.approval[data-party="${orgId}"]`);
const banner = (page: Page) => page.getByTestId('final-banner');
const APPROVE = 'Godkänn för underskrift …';

/** "Godkänn för underskrift …" → the confirmation dialog → confirm (the last approval's button says it locks). */
async function approveVia(page: Page): Promise<void> {
  await page.getByRole('button', { name: APPROVE }).click();
  const dialog = page.getByRole('dialog', { name: 'Godkänn för underskrift' });
  await dialog.getByTestId('approve-hash').waitFor({ timeout: 30_000 });
  const confirm = dialog.getByRole('button', { name: /^(Godkänn för underskrift|Godkänn och lås som slutlig version \d+)$/ });
  await expect.poll(() => confirm.isEnabled(), { timeout: 30_000 }).toBe(true);
  await confirm.click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
}

describe('approval, lock and signing export in the browser', () => {
  let s: SharedAgreement;
  let ngoOrg: string;
  let kommunOrg: string;

  /**
   * Both parties agree to every section (as a sync client). The server's agreed-section guard withdraws
   * the marks of a section whose text was edited just before (it checks a moment after the edit), so
   * this agrees again until the server reports no section left to agree.
   */
  async function agreeEverySection(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const node = await connectAs(server, s.ngo, s.agreementId);
      agreeAllSections(node.doc, [
        { partyId: ngoOrg, userId: s.ngo.userId, userName: s.ngo.name },
        { partyId: kommunOrg, userId: s.kommun.userId, userName: s.kommun.name },
      ]);
      await node.flushed();
      node.close();
      // Give the guard its interval (2 s) to look at the edits before asking.
      await new Promise((r) => setTimeout(r, 2500));
      const state = await s.ngo.api<{ open: { sectionsNotAgreed: unknown[] } }>('GET', `/api/agreements/${s.agreementId}/approvals`);
      if (state.open.sectionsNotAgreed.length === 0) return;
    }
    throw new Error('the sections did not stay agreed');
  }

  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
    ngoOrg = s.ngo.orgId!;
    kommunOrg = s.kommun.orgId!;
    // The creator drafts; making her the NGO's signatory is an explicit step (the kommun user was invited as one).
    await s.ngo.api('PATCH', `/api/agreements/${s.agreementId}/members/${s.ngo.userId}`, { signatory: true });
    await s.ngo.open();
    await s.kommun.open();
    await openTab(s.ngo.page, /Signering/);
    await openTab(s.kommun.page, /Signering/);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses approval while validation has errors and lists them as findings that lead to the place', async () => {
    const a = s.ngo.page;
    await panel(a).waitFor();
    // The hash is shown (12 hex digits) and both parties wait for approval.
    await expect.poll(() => panel(a).locator('.hash').first().textContent()).toMatch(/^[0-9a-f]{12}$/);
    await expect.poll(() => panel(a).locator('li.approval[data-approved="false"]').count()).toBe(2);

    await a.getByRole('button', { name: APPROVE }).click();
    const refusal = a.getByTestId('approve-open-errors');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await a.getByTestId('approve-blocked').textContent()).toContain('Du kan inte godkänna ännu');
    const findings = refusal.locator('.link-button');
    expect(await findings.count()).toBeGreaterThan(0);
    const problemsInDialog = await seriousA11yViolations(a);
    expect(problemsInDialog, JSON.stringify(problemsInDialog, null, 1)).toEqual([]);
    // A finding moves focus out of the panel, to the place in the agreement it is about.
    await findings.first().click();
    await expect
      .poll(() => a.evaluate(() => Boolean(document.activeElement && !document.activeElement.closest('.side-panel') && document.activeElement !== document.body)))
      .toBe(true);
    // Nothing was approved.
    expect(await panel(a).locator('li.approval[data-approved="true"]').count()).toBe(0);

    await screenshot(a, 'signing-refused');
    const problems = await seriousA11yViolations(a);
    expect(problems, JSON.stringify(problems, null, 1)).toEqual([]);
  });

  it('an edit by the other party voids the first approval, visibly in the approver’s window; both approving locks final version 1', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    const node = await connectAs(server, s.ngo, s.agreementId);
    fillComplete(node.doc, ngoOrg, kommunOrg);
    await node.flushed();
    node.close();
    await agreeEverySection();
    // Validation is clean in both windows (the approve button has no error note any more).
    for (const p of [a, b]) {
      await expect.poll(() => p.locator('.signing__warn').count(), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => p.locator('.tabs__tab', { hasText: 'Validering' }).locator('.badge--error').count(), { timeout: 30_000 }).toBe(0);
    }

    // The NGO signatory approves; the kommun window sees it live.
    await approveVia(a);
    await a.getByTestId('you-approved').waitFor({ timeout: 30_000 });
    await expect.poll(() => partyRow(b, ngoOrg).getAttribute('data-approved'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => partyRow(b, ngoOrg).textContent()).toContain(s.ngo.name);
    await screenshot(b, 'signing-one-approved');

    // The kommun user changes one character before approving: the NGO approval is voided, and the NGO
    // window says who changed what.
    await typeInSection(b, 'background', '!');
    // Bakgrund is agreed by both: the editor asks first, and the kommun user goes on.
    const warning = b.getByTestId('agreed-edit-warning');
    await warning.waitFor({ timeout: 30_000 });
    await warning.getByRole('button', { name: 'Ändra ändå' }).click();
    await warning.waitFor({ state: 'detached', timeout: 30_000 });
    const voided = a.getByTestId('voided-approval').first();
    await voided.waitFor({ timeout: 30_000 });
    await expect.poll(() => voided.textContent(), { timeout: 30_000 }).toContain(s.kommun.name);
    expect(await voided.textContent()).toContain('ändrades');
    await expect.poll(() => partyRow(a, ngoOrg).getAttribute('data-approved'), { timeout: 30_000 }).toBe('false');
    await expect.poll(() => a.getByRole('button', { name: APPROVE }).count(), { timeout: 30_000 }).toBe(1);
    await screenshot(a, 'signing-voided');

    // The edit withdrew both parties' marks on Bakgrund: both agree to it again (in the UI).
    for (const p of [a, b]) {
      const agree = p.locator('section[data-section-key="background"] button[aria-pressed="false"]', { hasText: 'Vi är överens' });
      await agree.waitFor({ timeout: 30_000 });
      await agree.click();
    }
    // Both approve the text as it is now → locked as final version 1 in both windows.
    await approveVia(a);
    await a.getByTestId('you-approved').waitFor({ timeout: 30_000 });
    await expect.poll(() => partyRow(b, ngoOrg).getAttribute('data-approved'), { timeout: 30_000 }).toBe('true');
    await approveVia(b);
    for (const p of [a, b]) {
      await banner(p).waitFor({ timeout: 30_000 });
      expect(await banner(p).textContent()).toContain('Slutlig version 1');
      // The editors are read-only.
      await expect.poll(() => sectionEditor(p, 'background').getAttribute('contenteditable'), { timeout: 30_000 }).toBe('false');
      await expect.poll(() => panel(p).getByTestId('signing-state').textContent(), { timeout: 30_000 }).toContain('Slutlig version 1');
    }
    await screenshot(a, 'signing-locked-ngo');
    await b.evaluate(() => window.scrollTo(0, 0));
    await screenshot(b, 'signing-locked-kommun');

    // The server refuses updates: a change from a plain sync client never reaches a fresh client.
    const writer = await connectAs(server, s.kommun, s.agreementId);
    const bg = writer.adoc.sections().find((x) => x.key === 'background')!;
    writer.adoc.setSectionBody(bg.id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Ska inte gå igenom' }] }] });
    await new Promise((r) => setTimeout(r, 500));
    writer.close();
    const reader = await connectAs(server, s.ngo, s.agreementId);
    expect(JSON.stringify(reader.adoc.sectionRichBody(bg.id))).not.toContain('Ska inte gå igenom');
    reader.close();
    expect(await banner(a).textContent()).toContain('Slutlig version 1');
  });

  it('downloads the signing-ready PDF through the UI; axe finds nothing serious on the locked signing tab', async () => {
    const b = s.kommun.page;
    const button = b.getByTestId('download-signing-pdf');
    await button.waitFor();
    const [download] = await Promise.all([b.waitForEvent('download', { timeout: 60_000 }), button.click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(10_000);
    // The export is in the audit trail (at the end of the signing tab), live.
    await expect.poll(() => b.getByTestId('audit-list').textContent(), { timeout: 30_000 }).toContain('underskriftsversionen');
    expect(await b.getByTestId('audit-list').textContent()).toContain('låst som slutlig version 1');
    await b.getByTestId('audit-list').scrollIntoViewIfNeeded();
    await screenshot(b, 'signing-audit');
    expect(await seriousA11yViolations(b)).toEqual([]);
  });

  it('downloads the signing-ready DOCX through the UI: no draft mark anywhere, and no draft copy offered beside it', async () => {
    const b = s.kommun.page;
    const button = b.getByTestId('download-signing-docx');
    await button.waitFor();
    const [download] = await Promise.all([b.waitForEvent('download', { timeout: 60_000 }), button.click()]);
    expect(download.suggestedFilename()).toMatch(/slutlig-version-1\.docx$/);
    const parts = readZip(new Uint8Array(fs.readFileSync(await download.path())));
    const xml = [...parts.entries()].filter(([name]) => name.endsWith('.xml')).map(([, data]) => data).join('\n');
    expect(xml).toContain('Slutlig version 1');
    expect(xml).not.toMatch(/UTKAST|inte för underskrift/i);
    // The locked final version is offered signing-ready only: no "draft" PDF/DOCX pair for it.
    expect(await b.getByRole('button', { name: /DOCX.*slutlig version 1|slutlig version 1.*DOCX/i }).count()).toBe(0);
  });

  it('unlock needs a reason (labelled, focus-trapped dialog), voids the approvals and reopens editing for both', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    // A second kommun tab that misses the live events (its stream is cut) …
    const stale = await s.kommun.context.newPage();
    await stale.route('**/api/agreements/*/events', (route) => route.abort());
    await stale.goto(`${server.url}/#/agreements/${s.agreementId}`);
    await stale.locator('[data-section-editor]').first().waitFor({ timeout: 60_000 });
    await openTab(stale, /Signering/);
    await stale.getByTestId('download-signing-pdf').waitFor();
    // … and cannot reload the approval state either (the page itself may still learn of the unlock).
    await stale.route('**/api/agreements/*/approvals', (route) => route.abort());

    await a.getByRole('button', { name: 'Lås upp …' }).click();
    const dialog = a.getByRole('dialog', { name: 'Lås upp slutlig version 1' });
    await dialog.waitFor();
    const reason = dialog.getByLabel('Skäl (obligatoriskt)');
    await expect.poll(() => reason.evaluate((el) => el === document.activeElement)).toBe(true);
    // Tab cycles inside the modal dialog.
    for (let i = 0; i < 5; i++) {
      await a.keyboard.press('Tab');
      expect(await a.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    }
    await dialog.getByRole('button', { name: 'Lås upp', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Skriv varför');
    expect(await seriousA11yViolations(a)).toEqual([]);
    await screenshot(a, 'signing-unlock-dialog');
    await reason.fill('Nämnden vill ändra beloppet i avsnittet Ekonomi.');
    await dialog.getByRole('button', { name: 'Lås upp', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    for (const p of [a, b]) {
      await expect.poll(() => banner(p).count(), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => sectionEditor(p, 'background').getAttribute('contenteditable'), { timeout: 30_000 }).toBe('true');
      await expect.poll(() => panel(p).locator('li.approval[data-approved="true"]').count(), { timeout: 30_000 }).toBe(0);
    }
    await expect.poll(() => b.getByTestId('voided-list').textContent(), { timeout: 30_000 }).toContain('Nämnden vill ändra beloppet');
    // No signing PDF is offered any more in the live windows …
    expect(await b.getByTestId('download-signing-pdf').count()).toBe(0);
    // … and the stale tab that still offers it gets the server's refusal (409) as a readable message,
    // not a broken download.
    await stale.getByTestId('download-signing-pdf').click();
    const problem = stale.getByTestId('export-problem');
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.textContent()).toContain('Dokumentet kan inte skapas');
    expect(await problem.textContent()).toContain('gäller inte längre');
    await problem.scrollIntoViewIfNeeded();
    await screenshot(stale, 'signing-export-refused');
    await stale.close();
    await expect.poll(() => b.getByTestId('audit-list').textContent(), { timeout: 30_000 }).toContain('Låste upp slutlig version 1');
  });

  it('imports a Word file through the proposed mapping, which the user can change; a bad file gets a clear error', async () => {
    const a = s.ngo.page;
    // A DOCX of the current draft, as the export writes it.
    const res = await s.ngo.context.request.post(`${server.url}/api/agreements/${s.agreementId}/export?format=docx&mode=draft`, { headers: { origin: server.url } });
    expect(res.status()).toBe(200);
    const docx = await res.body();

    await a.getByRole('button', { name: 'Importera från Word …' }).click();
    const dialog = a.getByRole('dialog', { name: 'Importera från Word' });
    await dialog.waitFor();
    const fileInput = dialog.getByLabel('Word-fil (.docx)');
    await fileInput.setInputFiles({ name: 'anteckningar.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('det här är ingen Word-fil') });
    await dialog.getByRole('button', { name: 'Läs in filen' }).click();
    await expect.poll(() => dialog.getByTestId('import-error').textContent(), { timeout: 30_000 }).toContain('inte ett Word-dokument');

    await fileInput.setInputFiles({ name: 'overenskommelse.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx });
    await dialog.getByRole('button', { name: 'Läs in filen' }).click();
    const rows = dialog.locator('.import__table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(3);
    // Every heading of our own export maps onto a template section.
    const selects = dialog.locator('.import__table select');
    const values = await selects.evaluateAll((els) => (els as HTMLSelectElement[]).map((e) => e.value));
    expect(values.filter((v) => v === '__custom__')).toEqual([]);
    // The user sends the first heading to a new custom section instead.
    const firstHeading = (await rows.first().locator('.import__heading').textContent())!.trim();
    await selects.first().selectOption('__custom__');
    await screenshot(a, 'import-mapping');
    expect(await seriousA11yViolations(a)).toEqual([]);
    await dialog.getByRole('button', { name: 'Importera', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent(), { timeout: 30_000 }).toContain('Importen är klar');
    await dialog.getByRole('button', { name: 'Stäng' }).last().click();
    // A custom section with that heading now exists (in the outline, for both parties).
    for (const p of [a, s.kommun.page]) {
      await expect.poll(() => p.locator('.outline').textContent(), { timeout: 30_000 }).toContain(firstHeading);
    }
    // In both windows (the other learns of it through the document change).
    for (const p of [a, s.kommun.page]) {
      await expect.poll(() => p.getByTestId('audit-list').textContent(), { timeout: 30_000 }).toContain('overenskommelse.docx');
    }
  });

  it('speaks English after the language switch', async () => {
    const b = s.kommun.page;
    await b.getByRole('button', { name: 'English' }).click();
    await b.getByRole('tab', { name: /Signing/ }).click();
    await b.getByRole('heading', { name: 'Approvals', exact: true }).waitFor();
    await b.getByRole('button', { name: 'Approve for signing …' }).waitFor();
    expect(await b.getByTestId('audit-list').textContent()).toContain('Unlocked final version 1');
    await screenshot(b, 'signing-tab-en');
    expect(await seriousA11yViolations(b)).toEqual([]);
    await b.getByRole('button', { name: 'Svenska' }).click();
    await b.getByRole('tab', { name: /Signering/ }).waitFor();
  });
});
