/**
 * Comments and version history in real browsers (Debian Chromium) against the real server:
 * comment → reply → resolve between the two parties; an internal comment never reaches the other
 * party's browser (checked on the wire: every SSE message and every HTTP response it receives); save a
 * version, change the text, compare shows the change, restore brings it back.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousA11yViolations } from './support/browser.ts';
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

/** Everything the page receives from the server: SSE messages (via CDP) and HTTP response bodies. */
interface Wire {
  sse: Array<{ eventName: string; data: string }>;
  responses: Array<{ url: string; body: string }>;
  all(): string;
}

async function recordWire(page: Page): Promise<Wire> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const wire: Wire = {
    sse: [],
    responses: [],
    all: () => [...wire.sse.map((m) => `${m.eventName} ${m.data}`), ...wire.responses.map((r) => `${r.url} ${r.body}`)].join('\n'),
  };
  cdp.on('Network.eventSourceMessageReceived', (m: { eventName: string; data: string }) => wire.sse.push({ eventName: m.eventName, data: m.data }));
  page.on('response', async (res) => {
    if (!res.url().includes('/api/')) return;
    if ((res.headers()['content-type'] ?? '').includes('text/event-stream')) return;
    try {
      wire.responses.push({ url: res.url(), body: await res.text() });
    } catch {
      /* body not available (redirect, aborted) */
    }
  });
  return wire;
}

async function openTab(page: Page, name: RegExp) {
  await page.getByRole('tab', { name }).click();
}

/** Select the whole last line of a section's text (keyboard only), then press the section's "Kommentera". */
async function commentOnLastLine(page: Page, sectionKey: string) {
  const editor = sectionEditor(page, sectionKey);
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Home');
  const section = page.locator(`section[data-section-key="${sectionKey}"]`);
  await section.getByRole('button', { name: 'Kommentera' }).click();
  await page.getByRole('combobox', { name: 'Kommentar' }).waitFor();
}

async function writeComment(page: Page, text: string, visibility: 'all' | 'internal') {
  await page.getByRole('combobox', { name: 'Kommentar' }).fill(text);
  if (visibility === 'internal') await page.getByRole('radio', { name: /Bara min organisation/ }).check();
  await page.getByRole('button', { name: 'Skicka kommentar' }).click();
  await page.locator('.thread', { hasText: text }).first().waitFor();
}

describe('comments and versions in the browser', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser, { title: 'IOP om kommentarer och versioner' });
    await s.ngo.open();
    await s.kommun.open();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('comment → reply → resolve, live for the other party', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    await typeInSection(a, 'background', 'Föreningen erbjuder läxhjälp två kvällar i veckan.');
    await expect.poll(() => sectionText(b, 'background'), { timeout: 20_000 }).toContain('två kvällar i veckan');

    await commentOnLastLine(a, 'background');
    await writeComment(a, 'Räcker två kvällar? Behovet är större i Gottsunda.', 'all');
    // The commented text is highlighted in the editor.
    await expect.poll(() => sectionEditor(a, 'background').locator('.comment-anchor').count(), { timeout: 20_000 }).toBeGreaterThan(0);

    // The kommun user sees it live, replies and resolves it.
    await openTab(b, /Kommentarer/);
    const threadB = b.locator('.thread', { hasText: 'Räcker två kvällar?' });
    await threadB.waitFor({ timeout: 20_000 });
    await expect.poll(() => threadB.locator('.thread__quote').first().textContent()).toContain('två kvällar i veckan');
    await expect.poll(() => sectionEditor(b, 'background').locator('.comment-anchor').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await threadB.getByRole('button', { name: 'Svara' }).click();
    await threadB.getByRole('combobox', { name: 'Svar' }).fill('Vi kan finansiera en tredje kväll.');
    await threadB.getByRole('button', { name: 'Skicka svar' }).click();

    const threadA = a.locator('.thread', { hasText: 'Räcker två kvällar?' });
    await expect.poll(() => threadA.textContent(), { timeout: 20_000 }).toContain('Vi kan finansiera en tredje kväll.');
    await screenshot(a, 'comments-thread');
    // The comments tab with a thread, the highlight and a reply form open: no serious or critical axe violations.
    await threadB.getByRole('button', { name: 'Svara' }).click();
    expect(await seriousA11yViolations(b)).toEqual([]);
    await threadB.getByRole('button', { name: 'Avbryt' }).click();

    await threadB.getByRole('button', { name: 'Markera som löst' }).click();
    // Resolved threads fold away for both, and the highlight goes.
    await expect.poll(() => a.locator('.thread:not(.thread--resolved)', { hasText: 'Räcker två kvällar?' }).count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => a.getByRole('button', { name: /Visa lösta trådar \(1\)/ }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => sectionEditor(a, 'background').locator('.comment-anchor').count(), { timeout: 20_000 }).toBe(0);
    await a.getByRole('button', { name: /Visa lösta trådar/ }).click();
    await expect.poll(() => a.locator('.thread--resolved', { hasText: 'Räcker två kvällar?' }).textContent()).toContain('Löst av Kalle Kommun');
  });

  it('an internal comment never reaches the other party’s browser (not on the wire, not in the page)', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    // Record everything the kommun browser receives from now on, from a fresh page load.
    const wire = await recordWire(b);
    await b.reload();
    await b.locator('[data-section-editor]').first().waitFor({ state: 'visible' });
    await openTab(b, /Kommentarer/);
    // The page's events stream is open (its first message arrived).
    await expect.poll(() => wire.sse.filter((m) => m.eventName === 'ready').length, { timeout: 20_000 }).toBeGreaterThan(0);

    const secret = 'Internt: vi kan acceptera 80 000 kr om det behövs';
    await typeInSection(a, 'background', '\nKommunen bidrar med lokaler.');
    await commentOnLastLine(a, 'background');
    await writeComment(a, secret, 'internal');
    await expect.poll(() => a.locator('.thread[data-visibility="internal"]', { hasText: secret }).count()).toBe(1);

    // Then a comment for everyone. When it has reached the kommun browser, the internal one would have too.
    const open = 'Fråga till kommunen: vilka lokaler gäller det?';
    await commentOnLastLine(a, 'background');
    await writeComment(a, open, 'all');
    await b.locator('.thread', { hasText: open }).waitFor({ timeout: 20_000 });
    await expect.poll(() => wire.sse.some((m) => m.data.includes('vilka lokaler gäller det'))).toBe(true);

    expect(wire.all()).not.toContain('80 000 kr');
    expect(wire.all()).not.toContain('Internt:');
    expect(await b.locator('.comments').textContent()).not.toContain('80 000');

    // A reload fetches the list from the API: still nothing.
    await b.reload();
    await b.locator('[data-section-editor]').first().waitFor({ state: 'visible' });
    await openTab(b, /Kommentarer/);
    await b.locator('.thread', { hasText: open }).waitFor({ timeout: 20_000 });
    expect(wire.responses.some((r) => r.url.includes('/comments') && r.body.includes('vilka lokaler'))).toBe(true);
    expect(wire.all()).not.toContain('80 000 kr');
    expect(await b.content()).not.toContain('80 000');
    // The NGO's own browser does show it.
    expect(await a.locator('.comments').textContent()).toContain('80 000 kr');
    await screenshot(b, 'comments-other-party-view');
  });

  it('keyboard only: Ctrl+Alt+M comments on the selection; when that text is deleted the thread shows as detached, not lost', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    await typeInSection(a, 'target_group', 'Målgruppen är elever i årskurs 7–9.');
    // Keyboard only: select the line and press Ctrl+Alt+M.
    await a.keyboard.press('Shift+Home');
    await a.keyboard.press('Control+Alt+m');
    await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    await a.keyboard.type('Ska årskurs 6 också vara med?');
    await a.keyboard.press('Control+Enter');
    await a.locator('.thread', { hasText: 'Ska årskurs 6' }).waitFor();
    const threadB = b.locator('.thread', { hasText: 'Ska årskurs 6' });
    await openTab(b, /Kommentarer/);
    await threadB.waitFor({ timeout: 20_000 });
    expect(await threadB.getAttribute('data-detached')).toBe('false');
    // The kommun user deletes the whole commented sentence.
    const editor = sectionEditor(b, 'target_group');
    await editor.click();
    await b.keyboard.press('Control+a');
    await b.keyboard.press('Delete');
    await expect.poll(() => sectionText(a, 'target_group'), { timeout: 20_000 }).toBe('');
    for (const page of [a, b]) {
      const thread = page.locator('.thread', { hasText: 'Ska årskurs 6' });
      await expect.poll(() => thread.getAttribute('data-detached'), { timeout: 20_000 }).toBe('true');
      expect(await thread.textContent()).toContain('Frikopplad');
      expect(await thread.textContent()).toContain('Målgruppen är elever i årskurs 7–9.');
    }
  });

  it('a commenter (read-only text) can select text and comment with an @mention; a viewer cannot', async () => {
    const commenter = await s.addColleague('commenter');
    await commenter.open(s.agreementId);
    const page = commenter.page;
    await typeInSection(s.ngo.page, 'values', 'Vi bygger på ömsesidigt förtroende.');
    await expect.poll(() => sectionText(page, 'values'), { timeout: 20_000 }).toContain('förtroende');
    // Select the text with the mouse (the editor is read-only for a commenter).
    const paragraph = sectionEditor(page, 'values').locator('p').first();
    await paragraph.click({ clickCount: 3 });
    const section = page.locator('section[data-section-key="values"]');
    const button = section.getByRole('button', { name: 'Kommentera' });
    await expect.poll(() => button.isEnabled(), { timeout: 10_000 }).toBe(true);
    await button.click();
    // @mention with the autocomplete: type "@Nor", pick with the keyboard.
    const box = page.getByRole('combobox', { name: 'Kommentar' });
    await box.click();
    await page.keyboard.type('Synpunkt från en kommentator till @Nor');
    const option = page.getByRole('option', { name: s.ngo.name });
    await option.waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await expect.poll(() => box.inputValue()).toContain(`@[${s.ngo.name}](user:${s.ngo.userId})`);
    await page.getByRole('button', { name: 'Skicka kommentar' }).click();
    await page.locator('.thread', { hasText: 'Synpunkt från en kommentator' }).waitFor({ timeout: 20_000 });
    await openTab(s.ngo.page, /Kommentarer/);
    const seen = s.ngo.page.locator('.thread', { hasText: 'Synpunkt från en kommentator' });
    await seen.waitFor({ timeout: 20_000 });
    await expect.poll(() => seen.locator('.mention').first().textContent()).toBe(`@${s.ngo.name}`);

    const viewer = await s.addColleague('viewer');
    await viewer.open(s.agreementId);
    await openTab(viewer.page, /Kommentarer/);
    await viewer.page.locator('.thread', { hasText: 'Synpunkt från en kommentator' }).waitFor({ timeout: 20_000 });
    expect(await viewer.page.getByRole('button', { name: 'Svara' }).count()).toBe(0);
    expect(await viewer.page.getByText('Du kan läsa kommentarer men inte skriva').count()).toBe(1);
  });

  it('save a version, change text, compare shows the change, restore brings it back', async () => {
    const a = s.ngo.page;
    const b = s.kommun.page;
    const editor = sectionEditor(a, 'purpose');
    await editor.click();
    await a.keyboard.press('Control+a');
    await a.keyboard.type('Syftet är att fler elever ska klara gymnasiebehörighet.');
    await expect.poll(() => sectionText(b, 'purpose'), { timeout: 20_000 }).toBe('Syftet är att fler elever ska klara gymnasiebehörighet.');

    await openTab(a, /Versioner/);
    await a.getByRole('textbox', { name: 'Namn på versionen' }).fill('Första utkast');
    await a.getByRole('button', { name: 'Spara version' }).click();
    const saved = a.locator('.version', { hasText: 'Första utkast' }).first();
    await saved.waitFor({ timeout: 20_000 });
    // The kommun user's list updates live.
    await openTab(b, /Versioner/);
    await b.locator('.version', { hasText: 'Första utkast' }).first().waitFor({ timeout: 20_000 });

    await editor.click();
    await a.keyboard.press('Control+a');
    await a.keyboard.type('Syftet är att alla elever ska klara gymnasiebehörighet.');
    await expect.poll(() => sectionText(a, 'purpose')).toBe('Syftet är att alla elever ska klara gymnasiebehörighet.');

    await saved.getByRole('button', { name: /Jämför med nuvarande/ }).click();
    const redline = a.getByTestId('redline');
    await redline.waitFor({ timeout: 20_000 });
    const purposeDiff = redline.locator('.redline__section', { hasText: 'gymnasiebehörighet' });
    await expect.poll(() => purposeDiff.locator('ins').first().textContent(), { timeout: 20_000 }).toContain('alla');
    await expect.poll(() => purposeDiff.locator('del').first().textContent()).toContain('fler');
    await screenshot(a, 'versions-redline');
    expect(await seriousA11yViolations(a)).toEqual([]);

    await saved.getByRole('button', { name: /^Återställ/ }).click();
    await a.getByRole('button', { name: 'Ja, återställ' }).click();
    await expect.poll(() => sectionText(a, 'purpose'), { timeout: 20_000 }).toBe('Syftet är att fler elever ska klara gymnasiebehörighet.');
    await expect.poll(() => sectionText(b, 'purpose'), { timeout: 20_000 }).toBe('Syftet är att fler elever ska klara gymnasiebehörighet.');
    // The restore is recorded as a new version; the old one is still there.
    await a.locator('.version', { hasText: 'Återställd från' }).first().waitFor({ timeout: 20_000 });
    expect(await a.locator('.version', { hasText: 'Första utkast' }).count()).toBeGreaterThan(0);
    await screenshot(a, 'versions-restored');
  });
});
