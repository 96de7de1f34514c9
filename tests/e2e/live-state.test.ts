/**
 * Server state on the agreement page (issue 15, item 2): one EventSource per page, and the approval
 * panel's hash computed in the browser from the Y.Doc, so typing causes no approval-state requests
 * (counted at the server through /metrics). The browser's hash equals the server's canonical hash.
 * Typing in one browser makes no requests at all from the other (no polling of any kind, issue 15 item 7):
 * every request the server answered meanwhile came from the typing browser, the open audit list's
 * GET …/audit included. The audit list refetches when the server announces a new entry (`audit.appended`).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { sectionText, setupSharedAgreement, typeInSection, type SharedAgreement } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';

let server: E2EServer;
let browser: Browser;
let shared: SharedAgreement;

/** GET /api/agreements/:id/approvals answered by the server so far (all statuses). */
async function approvalStateRequests(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('overens_http_requests_total{') && line.includes('method="GET"') && line.includes('route="/api/agreements/:id/approvals"'))
      n += Number(line.split(' ').pop());
  }
  return n;
}

/** GET /api/agreements/:id/audit answered by the server so far. */
async function auditRequests(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('overens_http_requests_total{') && line.includes('method="GET"') && line.includes('route="/api/agreements/:id/audit"'))
      n += Number(line.split(' ').pop());
  }
  return n;
}

/** Every HTTP request the server answered so far (all routes but /metrics itself). */
async function allRequests(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('overens_http_requests_total{') && !line.includes('route="/metrics"')) n += Number(line.split(' ').pop());
  }
  return n;
}

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchBrowser();
  shared = await setupSharedAgreement(server, browser);
  // Count EventSource instances per page (the init script runs before the app's own scripts).
  for (const a of [shared.ngo, shared.kommun]) {
    await a.context.addInitScript(() => {
      const Native = window.EventSource;
      (window as unknown as { __eventSources: string[] }).__eventSources = [];
      window.EventSource = class extends Native {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          (window as unknown as { __eventSources: string[] }).__eventSources.push(String(url));
        }
      };
    });
  }
});

afterAll(async () => {
  await shared?.close();
  await browser?.close();
  await server?.close();
});

it('opens exactly one EventSource per agreement page', async () => {
  await shared.ngo.open(shared.agreementId);
  await shared.kommun.open(shared.agreementId);
  // Visit the tabs whose features listen to events, so lazily mounted parts have subscribed too.
  for (const name of ['Kommentarer', 'Versioner', 'Signering']) await shared.kommun.page.getByRole('tab', { name }).click();
  await shared.kommun.page.getByTestId('signing-panel').waitFor();
  for (const a of [shared.ngo, shared.kommun]) {
    const sources = await a.page.evaluate(() => (window as unknown as { __eventSources: string[] }).__eventSources);
    expect(sources).toHaveLength(1);
    expect(sources[0]).toContain(`/api/agreements/${shared.agreementId}/events`);
  }
});

it('typing for 10 s in one browser causes no approval-state requests; the panel hash is the server hash', async () => {
  const { ngo, kommun } = shared;
  await kommun.page.getByRole('tab', { name: 'Signering' }).click();
  await kommun.page.getByTestId('signing-panel').waitFor();
  // Both browsers show the audit list (it ends the signing tab): neither may poll it.
  await ngo.page.getByRole('tab', { name: 'Signering' }).click();
  await kommun.page.getByTestId('audit-list').waitFor();
  await ngo.page.getByTestId('audit-list').waitFor();
  // Settle first: the tab's own first requests are not what this test is about.
  await new Promise((r) => setTimeout(r, 2000));
  const requestsFrom = { ngo: [] as string[], kommun: [] as string[] };
  const onNgo = (r: { url(): string }) => requestsFrom.ngo.push(r.url());
  const onKommun = (r: { url(): string }) => requestsFrom.kommun.push(r.url());
  ngo.page.on('request', onNgo);
  kommun.page.on('request', onKommun);
  const before = await approvalStateRequests();
  const auditBefore = await auditRequests();
  const allBefore = await allRequests();
  const text = ' Vi ses varje vecka i Gottsundas bibliotek och följer upp tillsammans.';
  // ~10 s of typing: 70 characters, 140 ms apart.
  await typeInSection(ngo.page, 'background', text, { delay: 140 });
  await expect.poll(() => sectionText(kommun.page, 'background'), { timeout: 30_000 }).toContain('följer upp tillsammans.');
  // The server's hash of the same content, asked for once by the test itself (after the count).
  // Long enough for any "a moment after typing pauses" refresh to have fired.
  await new Promise((r) => setTimeout(r, 3000));
  const after = await approvalStateRequests();
  const auditAfter = await auditRequests();
  const allAfter = await allRequests();
  ngo.page.off('request', onNgo);
  kommun.page.off('request', onKommun);
  expect(after - before).toBe(0);
  expect(auditAfter - auditBefore).toBe(0);
  // The receiving browser asked nothing (no approval state, audit trail, validation or any other polling) …
  expect(requestsFrom.kommun).toEqual([]);
  // … and the server agrees: everything it answered meanwhile was the typing browser's own (its
  // "saved" confirmations), counted at the server.
  expect(allAfter - allBefore).toBeLessThanOrEqual(
    requestsFrom.ngo.filter((u) => u.includes('/api/')).length + requestsFrom.kommun.filter((u) => u.includes('/api/')).length,
  );
  const server = await kommun.api<{ currentHash: string }>('GET', `/api/agreements/${shared.agreementId}/approvals`);
  await expect
    .poll(() => kommun.page.getByTestId('signing-panel').locator('.signing__hashline code.hash').getAttribute('title'), { timeout: 15_000 })
    .toBe(server.currentHash);
});

it('a new audit entry reaches the other browser’s open audit list through the event stream (audit.appended), not by polling', async () => {
  const { ngo, kommun } = shared;
  await kommun.page.getByRole('tab', { name: 'Signering' }).click();
  const list = kommun.page.getByTestId('audit-list');
  await list.waitFor();
  expect(await list.locator('li[data-type="version.saved"]').count()).toBe(0);
  const auditGets: string[] = [];
  const onKommun = (r: { url(): string }) => {
    if (new URL(r.url()).pathname.endsWith('/audit')) auditGets.push(r.url());
  };
  kommun.page.on('request', onKommun);
  // A named version: its audit entry is announced by `audit.appended` (written with the entry).
  await ngo.api('POST', `/api/agreements/${shared.agreementId}/versions`, { name: 'Inför mötet' });
  await list.locator('li[data-type="version.saved"]').first().waitFor({ timeout: 30_000 });
  kommun.page.off('request', onKommun);
  expect(auditGets.length).toBeGreaterThanOrEqual(1);
});
