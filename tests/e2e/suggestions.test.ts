/**
 * Suggestion mode (issue 16) in two real browsers against the real server: the kommun editor switches
 * to "Föreslå", deletes a word and inserts a sentence; the NGO editor sees both live, in the kommun's
 * colour with the kommun user's name (tooltip, card at the caret, screen-reader text), the outline
 * counts them, "Vi är överens" is disabled with the reason; the NGO accepts one and rejects the other
 * from the "Förslag" tab; both browsers converge on the same text and the decision is in the audit
 * trail. And: typing in a section both parties agreed offers "Föreslå ändringen i stället", which keeps
 * the agreement; Ctrl+Z there asks first too. A commenter suggests (and comments on a suggestion) but
 * cannot decide.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { sectionEditor, sectionText, setupSharedAgreement, typeInSection, type SharedAgreement } from './support/scenario.ts';
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

/** All axe violations (WCAG 2.1 A/AA), any impact. */
async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/** Select the first occurrence of `word` in a section's text through the DOM selection. */
async function selectWord(page: Page, sectionKey: string, word: string) {
  const editor = sectionEditor(page, sectionKey);
  await editor.click();
  await editor.evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n.textContent ?? '').indexOf(w);
      if (i < 0 || n.parentElement?.closest('.collaboration-carets__caret, .suggestion-sr')) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + w.length);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      break;
    }
    return new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  }, word);
  await page.waitForTimeout(50);
}

/** The section's text as the document holds it (no caret labels, no screen-reader labels of suggestions). */
async function plainText(page: Page, sectionKey: string): Promise<string> {
  return sectionEditor(page, sectionKey).evaluate((el) => {
    const clone = el.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.collaboration-carets__caret, .suggestion-sr').forEach((c) => c.remove());
    clone.querySelectorAll('p, li, th, td, h3, h4').forEach((b) => b.append(' '));
    return (clone.textContent ?? '').replace(/\u200B/g, '').replace(/\s+/g, ' ').trim();
  });
}

describe('suggestion mode between two parties', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser, { title: 'IOP om förslag', ngoName: 'Nora Ideell', kommunName: 'Kalle Kommun' });
    await s.ngo.open();
    await s.kommun.open();
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it('the kommun suggests a deletion and an insertion; the NGO sees them live, accepts one, rejects the other; both converge', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    await typeInSection(a, 'background', 'Föreningen erbjuder läxhjälp två kvällar i veckan.');
    await expect.poll(() => sectionText(b, 'background'), { timeout: 20_000 }).toContain('två kvällar i veckan.');

    // The kommun editor chooses "Föreslå" (a radio in the title bar, by keyboard as well).
    await b.getByRole('radio', { name: 'Föreslå' }).check();
    expect(await b.getByRole('radio', { name: 'Föreslå' }).isChecked()).toBe(true);

    // Delete "två " and add a sentence at the end: two suggestions.
    await selectWord(b, 'background', 'två ');
    await b.keyboard.press('Backspace');
    await typeInSection(b, 'background', ' Även på sommarlovet.');
    // Nothing left the text: the deleted word is still there, struck through; the new words underlined.
    const kommunEditor = sectionEditor(b, 'background');
    await expect.poll(() => kommunEditor.locator('del.suggestion').textContent(), { timeout: 20_000 }).toContain('två');
    await expect.poll(() => kommunEditor.locator('ins.suggestion').textContent()).toContain('Även på sommarlovet.');

    // The NGO sees both live, in the kommun's colour (the second party: #00703c) and with its name.
    const ngoEditor = sectionEditor(a, 'background');
    const del = ngoEditor.locator('del.suggestion');
    const ins = ngoEditor.locator('ins.suggestion');
    await expect.poll(() => del.textContent(), { timeout: 20_000 }).toContain('två');
    await expect.poll(() => ins.textContent(), { timeout: 20_000 }).toContain('Även på sommarlovet.');
    const colourOf = (loc: typeof del) => loc.evaluate((el) => getComputedStyle(el.querySelector('.suggestion-range') ?? el.closest('.suggestion-range') ?? el).color);
    expect(await colourOf(del)).toBe('rgb(0, 112, 60)');
    expect(await colourOf(ins)).toBe('rgb(0, 112, 60)');
    // Hover: the tooltip names who (and when); screen readers hear role and author before the text.
    const title = await ngoEditor.locator('.suggestion-range', { hasText: 'sommarlovet' }).first().getAttribute('title');
    expect(title).toContain('Förslag att infoga av Kalle Kommun, Uppsala kommun');
    const srTexts = await ngoEditor.locator('.suggestion-sr').allTextContents();
    expect(srTexts.join('|')).toContain('Förslag att ta bort av Kalle Kommun, Uppsala kommun');
    expect(srTexts.join('|')).toContain('Förslag att infoga av Kalle Kommun, Uppsala kommun');

    // Counted in the outline, and the NGO cannot mark the section agreed while they are open.
    const outline = a.getByRole('navigation', { name: /Innehåll|Avsnitt/ });
    await expect.poll(() => outline.getByText('2 öppna förslag').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const agree = a.getByRole('button', { name: 'Vi är överens – Bakgrund' });
    expect(await agree.isDisabled()).toBe(true);
    expect(await a.getByTestId(/^agree-blocked-/).first().textContent()).toContain('öppna förslag');

    // The "Förslag" tab lists them by section and party; keyboard: jump to one, the card under the
    // editor says whose it is.
    await a.getByRole('tab', { name: /Förslag/ }).click();
    const panel = a.locator('.suggestions-panel');
    await panel.getByRole('heading', { name: /Uppsala kommun: 2 förslag/ }).waitFor({ timeout: 20_000 });
    const jump = panel.getByRole('button', { name: /Förslag att ta bort/ });
    await jump.focus();
    await a.keyboard.press('Enter');
    await expect.poll(() => a.locator('.suggestion-card').textContent(), { timeout: 10_000 }).toContain('Förslag att ta bort av Kalle Kommun, Uppsala kommun');
    await screenshot(a, 'suggestions-ngo');
    // Suggestions in the text, the card and the tab: no axe violations at all.
    await a.getByRole('tab', { name: /Förslag/ }).click();
    expect(await axeViolations(a)).toEqual([]);

    // The draft export offers the suggestions marked (default) or a clean text; the choice goes to the server.
    await a.getByRole('tab', { name: /Signering/ }).click();
    const choice = a.getByTestId('export-suggestions');
    expect(await choice.getByRole('radio', { name: /Markerade/ }).isChecked()).toBe(true);
    await choice.getByRole('radio', { name: /Rent/ }).check();
    const exportRequest = a.waitForRequest((r) => r.url().includes('/export?'));
    await a.locator('.export__list .export__item').first().getByRole('button', { name: /PDF/ }).click();
    expect(new URL((await exportRequest).url()).searchParams.get('suggestions')).toBe('clean');
    await a.getByRole('tab', { name: /Förslag/ }).click();

    // Accept the deletion, reject the insertion.
    await panel.getByRole('button', { name: 'Godta förslaget: två' }).click();
    await expect.poll(() => ngoEditor.locator('del.suggestion').count(), { timeout: 20_000 }).toBe(0);
    await panel.getByRole('button', { name: 'Avvisa förslaget: Även på sommarlovet.' }).click();
    await expect.poll(() => ngoEditor.locator('ins.suggestion').count(), { timeout: 20_000 }).toBe(0);

    // Both browsers converge on the same text, without suggestions.
    const expected = 'Föreningen erbjuder läxhjälp kvällar i veckan.';
    await expect.poll(() => plainText(a, 'background'), { timeout: 20_000 }).toBe(expected);
    await expect.poll(() => plainText(b, 'background'), { timeout: 20_000 }).toBe(expected);
    expect(await kommunEditor.locator('.suggestion').count()).toBe(0);
    await expect.poll(() => a.getByText('Inga öppna förslag.').count()).toBe(1);
    expect(await agree.isDisabled()).toBe(false);

    // The decisions are in the audit trail: who suggested, who decided, the text.
    const audit = await s.ngo.api<{ entries: Array<Record<string, unknown>> }>('GET', `/api/agreements/${s.agreementId}/audit`);
    const trail = JSON.stringify(audit.entries);
    expect(trail).toMatch(/suggestion/);
    expect(trail).toContain('två');
    expect(trail).toContain('Även på sommarlovet.');
  }, 240_000);

  it('typing in a section both parties agreed offers to suggest instead, which keeps the agreement; Ctrl+Z asks too', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    // Back to editing for the kommun user.
    await b.getByRole('radio', { name: 'Redigera' }).check();
    await typeInSection(a, 'purpose', 'Syftet är att fler barn klarar skolan.');
    await expect.poll(() => sectionText(b, 'purpose'), { timeout: 20_000 }).toContain('klarar skolan.');
    for (const p of [a, b]) await p.getByRole('button', { name: 'Vi är överens – Syfte' }).click();
    for (const p of [a, b]) await p.locator('section[data-section-key="purpose"].doc-section--agreed').waitFor({ timeout: 20_000 });

    // Ctrl+Z in the agreed section: asked first (it used to undo straight away).
    await sectionEditor(b, 'purpose').click();
    await b.keyboard.press('Control+z');
    const dialog = b.getByRole('dialog', { name: 'Ändringar drar tillbaka överenskommelsen — föreslå ändringen i stället?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Typing: the same question; "Föreslå ändringen i stället" makes the held keystroke a suggestion.
    await typeInSection(b, 'purpose', ' Och läser mer.');
    await dialog.waitFor();
    expect(await axeViolations(b)).toEqual([]);
    await dialog.getByRole('button', { name: 'Föreslå ändringen i stället' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await b.getByRole('radio', { name: 'Föreslå' }).isChecked()).toBe(true);
    // Typing goes on as a suggestion without asking again.
    await b.keyboard.type('Och läser mer.');
    const ins = sectionEditor(a, 'purpose').locator('ins.suggestion');
    await expect.poll(() => ins.textContent(), { timeout: 20_000 }).toContain('Och läser mer.');
    // The agreement stands (the standing text did not change), for both.
    for (const p of [a, b]) expect(await p.locator('section[data-section-key="purpose"].doc-section--agreed').count()).toBe(1);
    expect(await b.getByTestId('agreed-edit-warning').count()).toBe(0);
  }, 180_000);

  it('a commenter may only suggest: their typing arrives as their suggestion, a new paragraph is refused in the editor, they cannot decide', async () => {
    const a = s.ngo.page;
    const c = await s.addColleague('commenter', 'Cilla Kommentar');
    await c.open(s.agreementId);
    const p = c.page;
    // Föreslå (chosen) and Visa; no Redigera.
    await p.getByRole('radio', { name: 'Föreslå' }).waitFor();
    expect(await p.getByRole('radio', { name: 'Föreslå' }).isChecked()).toBe(true);
    expect(await p.getByRole('radio', { name: 'Redigera' }).count()).toBe(0);
    expect(await p.getByRole('radio', { name: 'Visa' }).count()).toBe(1);

    await typeInSection(p, 'target_group', 'Barn i årskurs 4–6.');
    // Enter would split the paragraph: not a text suggestion, so the editor drops it and says why.
    await p.keyboard.press('Enter');
    await expect.poll(() => p.getByTestId('suggestion-status').textContent(), { timeout: 10_000 }).toContain('Det går inte att föreslå nya stycken');
    await p.keyboard.type(' Och deras föräldrar.');

    // The NGO editor sees the commenter's suggestion, in the NGO's colour, under the commenter's name.
    const ins = sectionEditor(a, 'target_group').locator('ins.suggestion');
    await expect.poll(() => ins.allTextContents().then((t) => t.join('')), { timeout: 20_000 }).toContain('Barn i årskurs 4–6. Och deras föräldrar.');
    const title = await sectionEditor(a, 'target_group').locator('.suggestion-range').first().getAttribute('title');
    expect(title).toContain('Förslag att infoga av Cilla Kommentar, Föreningen Läxhjälpen');
    expect(await ins.first().evaluate((el) => getComputedStyle(el.querySelector('.suggestion-range') ?? el.closest('.suggestion-range') ?? el).color)).toBe('rgb(29, 79, 145)');
    // The commenter's socket stayed open (nothing was refused by the server), and the text is one paragraph.
    expect(await sectionEditor(a, 'target_group').locator('p').count()).toBe(1);
    expect(await p.locator('.conn--offline').count()).toBe(0);
    expect(await p.locator('.conn').textContent()).toContain('du kan föreslå ändringar');

    // The card at the caret names the suggestion, without Godta / Avvisa for a commenter.
    await selectWord(p, 'target_group', 'årskurs');
    await expect.poll(() => p.locator('.suggestion-card').textContent(), { timeout: 10_000 }).toContain('Förslag att infoga av Cilla Kommentar');
    expect(await p.locator('.suggestion-card').getByRole('button', { name: /Godta|Avvisa/ }).count()).toBe(0);
    expect(await axeViolations(p)).toEqual([]);
    await screenshot(p, 'suggestions-commenter');
    // "Why this wording?": a comment thread on the suggestion (the comments feature).
    await p.locator('.suggestion-card').getByRole('button', { name: 'Kommentera förslaget' }).click();
    await p.getByRole('combobox', { name: 'Kommentar' }).fill('Föräldrarna behöver också stöd.');
    await p.getByRole('button', { name: 'Skicka kommentar' }).click();
    const thread = a.locator('.thread', { hasText: 'Föräldrarna behöver också stöd.' });
    await a.getByRole('tab', { name: /Kommentarer/ }).click();
    await thread.waitFor({ timeout: 20_000 });
    expect(await thread.locator('.thread__quote').first().textContent()).toContain('Barn i årskurs 4–6.');
  }, 180_000);
});
