/**
 * The app under its Content-Security-Policy, in real Chromium against the real server: the header is
 * on the HTML shell, the assets and the API; a user signs in through the form, opens a shared
 * agreement, types while the other party types too (remote carets, the comment and link UI), and the
 * page reports no CSP violation (securitypolicyviolation events, recorded from before the first
 * script runs, and console errors that mention the policy).
 */
import type { BrowserContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser.ts';
import { sectionText, setupSharedAgreement, typeInSection, waitForSections, type SharedAgreement } from './support/scenario.ts';
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

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  source: string;
}

/** Records CSP violations and policy-related console errors of every page in the context. */
async function watchViolations(context: BrowserContext): Promise<{ violations(page: Page): Promise<Violation[]>; console: string[] }> {
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: unknown[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}` });
    });
  });
  const consoleErrors: string[] = [];
  const listen = (page: Page) =>
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Content-Security-Policy/i.test(m.text())) consoleErrors.push(m.text());
    });
  context.pages().forEach(listen);
  context.on('page', listen);
  return {
    violations: (page) => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp),
    console: consoleErrors,
  };
}

describe('Content-Security-Policy', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is sent on the shell, the assets and the API, strict', async () => {
    const shell = await fetch(server.url + '/');
    const csp = shell.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives['default-src']).toBe("'self'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(directives['form-action']).toBe("'self'");
    expect(directives['frame-ancestors']).toBe("'none'");
    const host = new URL(server.url).host;
    expect(directives['connect-src']).toBe(`'self' ws://${host} wss://${host}`);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(directives['script-src']).not.toMatch(/unsafe-inline/);
    expect(shell.headers.get('x-content-type-options')).toBe('nosniff');
    expect(shell.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(shell.headers.get('x-frame-options')).toBe('DENY');
    // No inline script in the shell (a strict script-src would refuse it).
    const html = await shell.text();
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
    const asset = /\/assets\/[^"']+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    expect((await fetch(server.url + asset)).headers.get('content-security-policy')).toBe(csp);
    expect((await fetch(server.url + '/sw.js')).headers.get('content-security-policy')).toBe(csp);
    const api = await fetch(server.url + '/api/me');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-security-policy')).toBe(csp);
  });

  it('signing in, opening an agreement and typing together report no violation', async () => {
    // Nora signs in through the form in a fresh context (no cookie from the API set-up).
    const context = await newContext(browser, server.url);
    const watch = await watchViolations(context);
    const kommunWatch = await watchViolations(s.kommun.context);
    try {
      const page = await context.newPage();
      await page.goto(server.url + '/');
      await page.getByRole('heading', { name: 'Logga in' }).waitFor();
      await page.getByLabel('E-postadress').fill(s.ngo.email);
      await page.getByLabel('Lösenord').fill(s.ngo.password);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.getByRole('heading', { name: 'Mina överenskommelser' }).waitFor();
      await page.goto(`${server.url}/#/agreements/${s.agreementId}`);
      await waitForSections(page, 'Nora');
      await s.kommun.open();

      await typeInSection(page, 'background', 'Läxhjälp två kvällar i veckan.');
      await typeInSection(s.kommun.page, 'purpose', 'Fler elever klarar godkänt.');
      await expect.poll(() => sectionText(s.kommun.page, 'background'), { timeout: 20_000 }).toContain('Läxhjälp två kvällar i veckan.');
      await expect.poll(() => sectionText(page, 'purpose'), { timeout: 20_000 }).toContain('Fler elever klarar godkänt.');
      // The other party's caret is drawn in Nora's editor (a decoration with an inline colour).
      await page.locator('.collaboration-carets__caret').first().waitFor({ state: 'attached', timeout: 20_000 });

      // Select a word and open the comment composer and the link dialog (both add styled UI).
      for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.press('Control+k');
      const dialog = page.getByRole('dialog', { name: 'Länk' });
      await dialog.waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      // The page reloads from the service worker's cache just as well.
      await page.reload();
      await waitForSections(page, 'Nora');

      expect(await watch.violations(page)).toEqual([]);
      expect(await kommunWatch.violations(s.kommun.page)).toEqual([]);
      expect([...watch.console, ...kommunWatch.console]).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
