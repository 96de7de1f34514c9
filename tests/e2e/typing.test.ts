/**
 * Typing in a section editor, in real Chromium against the real server: a typed character goes straight
 * into a ProseMirror transaction (agreement/direct-typing.ts) instead of the browser's own edit and a DOM
 * read-back, and everything typing does keeps working — input rules, stored marks, typing over a
 * selection, autolinks, non-ASCII text — and reaches the other party.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { sectionHtml, sectionText, setupSharedAgreement, typeInSection, type SharedAgreement } from './support/scenario.ts';
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

describe('typing in a section editor', () => {
  let s: SharedAgreement;
  beforeAll(async () => {
    s = await setupSharedAgreement(server, browser);
    await s.ngo.open();
    await s.kommun.open();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the editor handles typed characters itself (the browser does not edit the DOM), and the other party sees them', async () => {
    const page = s.ngo.page;
    // Whether each keypress reached the page with the browser's default action cancelled.
    await page.evaluate(() => {
      const w = window as unknown as { keypresses: boolean[] };
      w.keypresses = [];
      window.addEventListener('keypress', (e) => w.keypresses.push(e.defaultPrevented));
    });
    await typeInSection(page, 'background', 'Läxhjälp 3 dagar i veckan.');
    const handled = await page.evaluate(() => (window as unknown as { keypresses: boolean[] }).keypresses);
    expect(handled.length).toBeGreaterThan(20);
    expect(handled.every(Boolean)).toBe(true);
    expect(await sectionText(page, 'background')).toBe('Läxhjälp 3 dagar i veckan.');
    await expect.poll(() => sectionText(s.kommun.page, 'background'), { timeout: 20_000 }).toBe('Läxhjälp 3 dagar i veckan.');
  }, 120_000);

  it('a typed character leaves on the socket before this browser draws it, and Ctrl+Z still undoes the typing', async () => {
    const page = s.ngo.page;
    await typeInSection(page, 'target_group', 'Elever');
    // From now on, each sync message sent records whether the section already showed the text typed so far.
    await page.evaluate(() => {
      const w = window as unknown as { watched: string | null; sent: Array<{ kind: number; shown: boolean }> };
      w.watched = null;
      w.sent = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data: Parameters<WebSocket['send']>[0]) {
        if (w.watched !== null && data instanceof Uint8Array) {
          const el = document.querySelector('section[data-section-key="target_group"] [data-section-editor]');
          w.sent.push({ kind: data[0]!, shown: (el?.textContent ?? '').includes(w.watched) });
        }
        return send.call(this, data);
      };
    });
    let typed = 'Elever';
    for (const ch of ' i klass 7') {
      typed += ch;
      await page.evaluate((t) => ((window as unknown as { watched: string }).watched = t), typed);
      await page.keyboard.type(ch);
    }
    const sent = await page.evaluate(() => (window as unknown as { sent: Array<{ kind: number; shown: boolean }> }).sent);
    const updates = sent.filter((m) => m.kind === 0);
    // One update per key (plain keys: a character the keyboard cannot type goes through the browser's
    // own editing), each sent while the screen still showed the text before it.
    expect(updates.map((m) => m.shown)).toEqual(Array(10).fill(false));
    expect(await sectionText(page, 'target_group')).toBe('Elever i klass 7');
    await expect.poll(() => sectionText(s.kommun.page, 'target_group'), { timeout: 20_000 }).toBe('Elever i klass 7');
    // Undo still takes back this user's typing (y-tiptap's undo manager tracks the early writes).
    await page.keyboard.press('Control+z');
    await expect.poll(() => sectionText(page, 'target_group')).not.toContain('klass 7');
    await expect.poll(() => sectionText(s.kommun.page, 'target_group'), { timeout: 20_000 }).toBe(await sectionText(page, 'target_group'));
  }, 120_000);

  it('typing over a selection replaces it, and Ctrl+B makes what is typed next bold', async () => {
    const page = s.ngo.page;
    await typeInSection(page, 'purpose', 'Målet är fler elever.');
    // Select "fler elever" (and the full stop) and type over it.
    for (let i = 0; i < 'fler elever.'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type('att alla klarar skolan.');
    expect(await sectionText(page, 'purpose')).toBe('Målet är att alla klarar skolan.');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' Viktigt');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' nog.');
    expect(await sectionHtml(page, 'purpose')).toContain('<strong> Viktigt</strong> nog.');
    await expect.poll(() => sectionHtml(s.kommun.page, 'purpose'), { timeout: 20_000 }).toContain('<strong> Viktigt</strong> nog.');
  }, 120_000);

  it('input rules and autolinks still apply: "### " makes a heading, "- " a list, a typed web address a link', async () => {
    const page = s.ngo.page;
    await typeInSection(page, 'values', '### Rubrik');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- första punkten');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // leaves the list
    await page.keyboard.type('Se www.example.se för mer.');
    const html = await sectionHtml(page, 'values');
    expect(html).toContain('<h3>Rubrik</h3>');
    expect(html).toMatch(/<ul[^>]*><li[^>]*><p>första punkten<\/p><\/li><\/ul>/);
    expect(html).toMatch(/<a [^>]*href="https:\/\/www\.example\.se"[^>]*>www\.example\.se<\/a> för mer\./);
    await expect.poll(() => sectionText(s.kommun.page, 'values'), { timeout: 20_000 }).toBe('Rubrik första punkten Se www.example.se för mer.');
    // The other party's editor shows the link its writer made (it does not autolink remote text itself).
    expect(await sectionHtml(s.kommun.page, 'values')).toMatch(/<a [^>]*href="https:\/\/www\.example\.se"[^>]*>www\.example\.se<\/a>/);
  }, 120_000);
});
