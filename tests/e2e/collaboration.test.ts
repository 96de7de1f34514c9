/**
 * Two browser contexts (an NGO user and a kommun user) on one agreement, against the real server:
 * live co-editing with named carets, live validation, the shared goal table, and a viewer's read-only view.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousA11yViolations } from './support/browser.ts';
import { sectionEditor, sectionText, setupSharedAgreement, typeInSection, type SharedAgreement } from './support/scenario.ts';
import { startE2EServer, type E2EServer } from './support/server.ts';
import { connectAs } from './support/ydoc.ts';

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

describe('two parties editing one agreement', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
    await s.ngo.open();
    await s.kommun.open();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('both type in the same section at once: each sees the other’s text and named caret, and the texts converge', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    await typeInSection(a, 'background', 'Föreningen har drivit läxhjälp sedan 2015.');
    await a.keyboard.press('Enter');
    await a.keyboard.type('Kommunen:');
    await expect.poll(() => sectionText(b, 'background'), { timeout: 20_000 }).toBe('Föreningen har drivit läxhjälp sedan 2015. Kommunen:');
    // Now both type at the same time: the NGO user in the first paragraph, the kommun user in the second.
    await Promise.all([
      typeInSection(a, 'background', ' Verksamheten når 120 elever per år.', { delay: 20, paragraph: 0 }),
      typeInSection(b, 'background', ' Vi vill stärka skolresultaten.', { delay: 20, paragraph: 1 }),
    ]);
    const expected = 'Föreningen har drivit läxhjälp sedan 2015. Verksamheten når 120 elever per år. Kommunen: Vi vill stärka skolresultaten.';
    await expect.poll(() => sectionText(a, 'background'), { timeout: 20_000 }).toBe(expected);
    await expect.poll(() => sectionText(b, 'background'), { timeout: 20_000 }).toBe(expected);

    // Each sees the other's caret with their name on it (carets show for the focused section).
    await expect.poll(() => a.locator('.collaboration-carets__label', { hasText: s.kommun.name }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => b.locator('.collaboration-carets__label', { hasText: s.ngo.name }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // Presence shows both parties.
    await expect.poll(() => a.locator(`.presence [data-user="${s.kommun.name}"]`).count()).toBe(1);
    await screenshot(a, 'agreement-coediting');
  }, 240_000);

  it('a caret follows its writer from section to section, and the watching browser sends nothing back while the other types', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    await typeInSection(a, 'delimitations', 'Första stycket.');
    await a.keyboard.press('Enter');
    await a.keyboard.type('Andra stycket.');
    await expect.poll(() => sectionText(b, 'delimitations'), { timeout: 20_000 }).toBe('Första stycket. Andra stycket.');
    // The kommun user sits in the same section (in its second paragraph) and watches.
    await typeInSection(b, 'delimitations', '', { paragraph: 1 });
    await b.evaluate(() => {
      const w = window as unknown as { __sends: number };
      w.__sends = 0;
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data) {
        w.__sends++;
        return send.call(this, data);
      };
    });
    await typeInSection(a, 'delimitations', ' Tjugo tecken till.', { delay: 30, paragraph: 0 });
    await expect.poll(() => sectionText(b, 'delimitations'), { timeout: 20_000 }).toBe('Första stycket. Tjugo tecken till. Andra stycket.');
    await b.waitForTimeout(500);
    // Its caret did not move, so it has nothing to tell: it used to send the writer's caret back to the
    // server after every keystroke (y-websocket's echo) and its own unchanged caret as well.
    // (At most one message: the awareness renewal every 15 s may fall into this window.)
    expect(await b.evaluate(() => (window as unknown as { __sends: number }).__sends)).toBeLessThanOrEqual(1);

    // The writer's caret is drawn in the section it is in, and moves with it to the next one.
    const caretIn = (key: string) => b.locator(`section[data-section-key="${key}"] .collaboration-carets__label`, { hasText: s.ngo.name }).count();
    await expect.poll(() => caretIn('delimitations'), { timeout: 20_000 }).toBe(1);
    await typeInSection(a, 'marketing', 'Kommunikation.');
    await expect.poll(() => caretIn('marketing'), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => caretIn('delimitations'), { timeout: 20_000 }).toBe(0);
  }, 240_000);

  it('filling the last empty required section clears its validation error live in both windows', async () => {
    // Fill every required section except "purpose" through a Node client on the same sync endpoint.
    const node = await connectAs(server, s.ngo, s.agreementId);
    const sections = node.adoc.sections();
    const target = sections.find((x) => x.key === 'purpose');
    expect(target).toBeDefined();
    node.doc.transact(() => {
      for (const sec of sections) {
        if (!sec.required || sec.key === 'purpose' || sec.key === 'background') continue;
        node.adoc.setSectionBody(sec.id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Text om ${sec.title}.` }] }] });
      }
    });
    await node.flushed();
    node.close();

    const requiredEmpty = (page: typeof s.ngo.page) =>
      page.locator('[role="tabpanel"] [data-rule="required_section_empty"]').count();
    // Exactly one required section is empty now, in both windows.
    await expect.poll(() => requiredEmpty(s.ngo.page), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => requiredEmpty(s.kommun.page), { timeout: 20_000 }).toBe(1);
    const outlineItem = (page: typeof s.ngo.page) => page.locator('.outline__item', { hasText: target!.title });
    await expect.poll(() => outlineItem(s.kommun.page).locator('.badge--error').count()).toBe(1);
    await screenshot(s.kommun.page, 'agreement-validation-before');
    // A click on the finding moves focus into the section it is about.
    await s.kommun.page.locator('[role="tabpanel"] [data-rule="required_section_empty"] button').click();
    await expect
      .poll(() => s.kommun.page.evaluate(() => document.activeElement?.closest('section[data-section-key]')?.getAttribute('data-section-key') ?? ''))
      .toBe('purpose');

    await typeInSection(s.kommun.page, 'purpose', 'Syftet är att fler elever i Gottsunda klarar skolan.');
    await expect.poll(() => requiredEmpty(s.kommun.page), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => requiredEmpty(s.ngo.page), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => outlineItem(s.ngo.page).locator('.badge--error').count()).toBe(0);
    await screenshot(s.ngo.page, 'agreement-validation-after');
  });

  it('a goal row added by one party appears for the other, and each party accepts it', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    await a.locator('#goals').scrollIntoViewIfNeeded();
    await a.getByRole('button', { name: 'Lägg till mål' }).click();
    const goalA = a.locator('#goals tbody tr').first();
    await goalA.getByRole('textbox', { name: /^Mål, mål 1/ }).fill('Fler elever når godkända betyg i matematik');
    const goalB = b.locator('#goals tbody tr').first();
    await expect.poll(() => goalB.getByRole('textbox', { name: /^Mål, mål 1/ }).inputValue(), { timeout: 20_000 }).toBe(
      'Fler elever når godkända betyg i matematik',
    );
    // Keyboard: arrow right moves from the goal cell to the indicator cell.
    await goalB.getByRole('textbox', { name: /^Indikator, mål 1/ }).click();
    await b.keyboard.type('Andel elever med godkänt i åk 9');
    await b.keyboard.press('ArrowLeft');
    await b.keyboard.press('Home');
    await b.keyboard.press('ArrowLeft');
    await expect.poll(() => b.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute('aria-label') ?? '')).toMatch(/^Mål, mål 1/);

    // Each party accepts with its own toggle; the other party's toggle is not theirs to set.
    const ngoAccept = (page: typeof a) => page.getByRole('checkbox', { name: /Föreningen Läxhjälpen godkänner mål 1/ });
    const kommunAccept = (page: typeof a) => page.getByRole('checkbox', { name: /Uppsala kommun godkänner mål 1/ });
    expect(await kommunAccept(a).isDisabled()).toBe(true);
    await ngoAccept(a).check();
    await expect.poll(() => ngoAccept(b).isChecked(), { timeout: 20_000 }).toBe(true);
    await kommunAccept(b).check();
    await expect.poll(() => kommunAccept(a).isChecked(), { timeout: 20_000 }).toBe(true);
    await screenshot(a, 'agreement-goals');
    const problems = await seriousA11yViolations(a);
    expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
  });

  it('custom sections can be added, renamed, moved and removed live; required ones cannot be removed', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    expect(await a.getByRole('button', { name: 'Ta bort Bakgrund' }).count()).toBe(0);
    await a.getByLabel('Rubrik för nytt avsnitt').fill('Kommunikation');
    await a.getByRole('button', { name: 'Lägg till', exact: true }).click();
    await b.getByRole('heading', { level: 2, name: /Kommunikation$/ }).waitFor();
    await a.getByRole('button', { name: 'Byt namn Kommunikation' }).click();
    await a.getByLabel('Rubrik', { exact: true }).fill('Kommunikation och media');
    await a.getByRole('button', { name: 'Spara', exact: true }).click();
    await b.getByRole('heading', { level: 2, name: /Kommunikation och media$/ }).waitFor();
    const outlineTexts = (page: typeof a) => page.locator('.outline__text').allInnerTexts();
    const before = await outlineTexts(b);
    expect(before[before.length - 1]).toBe('Kommunikation och media');
    await a.getByRole('button', { name: 'Flytta upp Kommunikation och media' }).click();
    await expect.poll(async () => (await outlineTexts(b)).at(-2), { timeout: 20_000 }).toBe('Kommunikation och media');
    a.once('dialog', (d) => void d.accept());
    await a.getByRole('button', { name: 'Ta bort Kommunikation och media' }).click();
    await expect.poll(async () => (await outlineTexts(b)).includes('Kommunikation och media'), { timeout: 20_000 }).toBe(false);
  });

  it('each party marks a section agreed; an edit afterwards resets it and says who changed it', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    const section = (page: typeof a) => page.locator('section[data-section-key="values"]');
    await typeInSection(a, 'values', 'Parterna delar en tro på barns rätt till utbildning.');
    await section(a).getByRole('button', { name: /^Vi är överens/ }).click();
    await section(b).getByRole('button', { name: /^Vi är överens/ }).click();
    await expect.poll(() => section(a).getAttribute('class'), { timeout: 20_000 }).toContain('doc-section--agreed');
    await expect.poll(() => section(b).getAttribute('class'), { timeout: 20_000 }).toContain('doc-section--agreed');
    await typeInSection(b, 'values', ' Och på ideellt engagemang.');
    // Both agreed: the editor asks before the first change, and the kommun user goes on.
    const warning = b.getByTestId('agreed-edit-warning');
    await warning.waitFor({ timeout: 20_000 });
    await warning.getByRole('button', { name: 'Ändra ändå' }).click();
    await warning.waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => section(a).getAttribute('class'), { timeout: 20_000 }).not.toContain('doc-section--agreed');
    await expect.poll(() => section(a).locator('.reset-note').innerText(), { timeout: 20_000 }).toContain('Kalle Kommun');
    await section(a).scrollIntoViewIfNeeded();
    await screenshot(a, 'agreement-section-reset');
  });

  it('a viewer cannot edit (editor not editable, server refuses) but sees live changes', async () => {
    const viewer = await s.addColleague('viewer');
    await viewer.open(s.agreementId);
    const page = viewer.page;
    const editor = sectionEditor(page, 'background');
    expect(await editor.getAttribute('contenteditable')).toBe('false');
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status')).toBe('read-only');
    // Typing does nothing.
    const before = await sectionText(page, 'background');
    await editor.click();
    await page.keyboard.type('OTILLÅTET');
    expect(await sectionText(page, 'background')).toBe(before);

    // The server refuses a viewer's update even when sent directly over the sync protocol.
    const node = await connectAs(server, viewer, s.agreementId);
    const bg = node.adoc.sections().find((x) => x.key === 'background')!;
    node.adoc.setSectionBody(bg.id, { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'VIEWER WAS HERE' }] }] });
    await new Promise((r) => setTimeout(r, 1500));
    node.close();

    // Live changes from an editor still reach the viewer; the viewer's forged text reaches nobody.
    await typeInSection(s.ngo.page, 'background', ' Läsaren ser detta.');
    await expect.poll(() => editor.innerText(), { timeout: 20_000 }).toContain('Läsaren ser detta.');
    expect(await sectionEditor(s.kommun.page, 'background').innerText()).not.toContain('VIEWER WAS HERE');
    expect(await editor.innerText()).not.toContain('VIEWER WAS HERE');
    const fresh = await connectAs(server, s.kommun, s.agreementId);
    const text = JSON.stringify(fresh.adoc.sectionRichBody(bg.id));
    fresh.close();
    expect(text).not.toContain('VIEWER WAS HERE');
    expect(text).toContain('Läsaren ser detta.');
    await screenshot(page, 'agreement-viewer');
    const problems = await seriousA11yViolations(page);
    expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
  });
});
