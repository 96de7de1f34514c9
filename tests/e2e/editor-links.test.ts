/**
 * The link dialog of the section editor ("Länk"), by keyboard against the real server: Ctrl+K opens it
 * with focus in the address field, a javascript: address is refused with an inline error (and no link is
 * made), a bare domain becomes https://, Enter applies and focus returns to the editor; in a link the
 * dialog offers "Ta bort länk"; Escape closes and returns focus; with nothing selected an optional text
 * is inserted as the link; the toolbar button opens the same dialog; the other party sees the links;
 * the English texts; axe finds no serious or critical problems with the dialog open.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousA11yViolations } from './support/browser.ts';
import { sectionEditor, setupSharedAgreement, typeInSection, waitForSections, type SharedAgreement } from './support/scenario.ts';
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

/** Whether the focused element is the section's contenteditable. */
const editorFocused = (page: Page, key: string) =>
  page.evaluate((k) => document.activeElement?.getAttribute('data-section-editor') !== null && !!document.activeElement?.closest(`section[data-section-key="${k}"]`), key);

/** The links in a section: href and text (without the other users' caret labels). */
const links = (page: Page, key: string) =>
  sectionEditor(page, key).evaluate((el) =>
    [...el.querySelectorAll('a')].map((a) => {
      const clone = a.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
      return { href: a.getAttribute('href'), text: clone.textContent };
    }),
  );

describe('link dialog in the section editor', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
    await s.ngo.open();
    await s.kommun.open();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('Ctrl+K on a selection: javascript: is refused inline, kommun.se becomes https://kommun.se, focus returns to the editor', async () => {
    const page = s.ngo.page;
    await typeInSection(page, 'background', 'Läs mer här');
    // Select "här" with the keyboard.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Länk' });
    await dialog.waitFor({ state: 'visible' });
    const address = dialog.getByRole('textbox', { name: 'Adress' });
    await expect.poll(() => address.evaluate((el) => el === document.activeElement)).toBe(true);
    // With a selection there is no text field, and not in a link: no "Ta bort länk".
    expect(await dialog.getByRole('textbox', { name: 'Text som visas (valfritt)' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Ta bort länk' }).count()).toBe(0);

    await page.keyboard.type('javascript:alert(document.cookie)');
    await page.keyboard.press('Enter');
    const alert = dialog.getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toBe('Den här sortens länk är inte tillåten. Använd en webbadress (http:// eller https://) eller en e-postlänk (mailto:).');
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    expect(await address.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await dialog.isVisible()).toBe(true);
    expect(await links(page, 'background')).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'link-dialog-refused');

    await address.fill('kommun.se');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => links(page, 'background')).toEqual([{ href: 'https://kommun.se', text: 'här' }]);
    await expect.poll(() => editorFocused(page, 'background')).toBe(true);
    // The other party sees the link.
    await expect.poll(() => links(s.kommun.page, 'background'), { timeout: 20_000 }).toEqual([{ href: 'https://kommun.se', text: 'här' }]);
  }, 180_000);

  it('in a link: the address is prefilled, Escape closes and returns focus, "Ta bort länk" removes it', async () => {
    const page = s.ngo.page;
    // Caret inside the link ("hä|r"): the selection "här" is still there; End, then one step left.
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Länk' });
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getByRole('textbox', { name: 'Adress' }).inputValue()).toBe('https://kommun.se');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => editorFocused(page, 'background')).toBe(true);
    expect(await links(page, 'background')).toEqual([{ href: 'https://kommun.se', text: 'här' }]);

    await page.keyboard.press('Control+k');
    await dialog.waitFor({ state: 'visible' });
    // By keyboard: Tab from the address to "Spara länk", then to "Ta bort länk".
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ta bort länk');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => links(page, 'background')).toEqual([]);
    await expect.poll(() => editorFocused(page, 'background')).toBe(true);
  }, 120_000);

  it('with nothing selected, the optional text becomes the link; typing after it is plain text; Tab stays in the dialog', async () => {
    const page = s.ngo.page;
    await page.keyboard.press('End');
    await page.keyboard.type(' Kontakt: ');
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Länk' });
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.type('anna@kommun.se');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Anna Andersson');
    // Focus is kept inside the dialog: Tab around every control and back to the address.
    const inside = () => page.evaluate(() => !!document.activeElement?.closest('dialog'));
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    await dialog.getByRole('textbox', { name: 'Text som visas (valfritt)' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => links(page, 'background')).toEqual([{ href: 'mailto:anna@kommun.se', text: 'Anna Andersson' }]);
    await page.keyboard.type(' tack');
    await expect.poll(() => sectionEditor(page, 'background').textContent()).toContain('Anna Andersson tack');
    expect(await links(page, 'background')).toEqual([{ href: 'mailto:anna@kommun.se', text: 'Anna Andersson' }]);
  }, 120_000);

  it('the toolbar button opens the same dialog; an empty address is refused; English texts', async () => {
    const page = s.ngo.page;
    const button = page.locator('section[data-section-key="background"]').getByRole('button', { name: 'Länk', exact: true });
    expect(await button.getAttribute('aria-haspopup')).toBe('dialog');
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Länk' });
    await dialog.waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('Skriv en adress, till exempel kommun.se.');
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.evaluate(() => localStorage.setItem('overens.locale', 'en'));
    await page.reload();
    await waitForSections(page, 'ngo (en)');
    await sectionEditor(page, 'background').click();
    await page.keyboard.press('Control+k');
    const en = page.getByRole('dialog', { name: 'Link' });
    await en.waitFor({ state: 'visible' });
    await en.getByRole('textbox', { name: 'Address' }).fill('data:text/html,<script>alert(1)</script>');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => en.getByRole('alert').textContent())
      .toBe('This kind of link is not allowed. Use a web address (http:// or https://) or an e-mail link (mailto:).');
    await en.getByRole('textbox', { name: 'Address' }).fill('kommun');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => en.getByRole('alert').textContent())
      .toBe('This does not look like a web or e-mail address. Enter for example kommun.se or https://www.kommun.se.');
    await en.getByRole('button', { name: 'Close' }).click();
    await en.waitFor({ state: 'detached' });
    await page.evaluate(() => localStorage.setItem('overens.locale', 'sv'));
  }, 120_000);
});
