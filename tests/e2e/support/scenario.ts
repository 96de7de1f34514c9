/**
 * Shared set-ups for browser tests: users, organisations and an agreement made through the public API
 * (each user in their own browser context, so the session cookie lands in that context).
 *
 *   const s = await setupSharedAgreement(server, browser);   // NGO editor + kommun editor, one agreement
 *   await s.ngo.open();  await s.kommun.open();               // both on the agreement page
 *   const viewer = await s.addColleague('viewer');            // an NGO colleague with another role
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newContext } from './browser.ts';
import type { E2EServer } from './server.ts';

let counter = 0;

/** A valid Swedish organisation number (Luhn check digit) with the given prefix, unique per call. */
/**
 * Wait until the agreement page shows its sections. Under heavy load CI has twice seen a page that never
 * showed them (neither sync nor the offline cache delivered sections within a minute; not reproduced
 * since). When that happens this prints what the page saw (console, failed requests, websocket events,
 * visible text) so the cause can be found, and reloads the page once before giving up.
 */
export async function waitForSections(page: Page, who: string, timeoutMs = 45_000): Promise<void> {
  const seen: string[] = [];
  const note = (line: string) => {
    if (seen.length < 200) seen.push(`${new Date().toISOString()} ${line}`);
  };
  const onConsole = (m: { type(): string; text(): string }) => note(`console ${m.type()}: ${m.text()}`);
  const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) => note(`request failed ${r.url()} ${r.failure()?.errorText ?? ''}`);
  const onResponse = (r: { url(): string; status(): number }) => {
    if (r.status() >= 400) note(`response ${r.status()} ${r.url()}`);
  };
  const onSocket = (ws: { url(): string; on(event: 'close', cb: () => void): unknown }) => {
    note(`websocket open ${ws.url()}`);
    ws.on('close', () => note(`websocket closed ${ws.url()}`));
  };
  page.on('console', onConsole);
  page.on('requestfailed', onFailed);
  page.on('response', onResponse);
  page.on('websocket', onSocket);
  const sections = page.locator('[data-section-editor]').first();
  try {
    try {
      await sections.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const text = await page.locator('body').innerText().catch(() => '(no body)');
      console.warn(
        `[e2e] ${who}: the agreement page showed no sections within ${timeoutMs} ms; reloading once.\n` +
          `url: ${page.url()}\nvisible text: ${text.slice(0, 800)}\n${seen.join('\n')}`,
      );
      await page.reload();
      await sections.waitFor({ state: 'visible', timeout: timeoutMs });
    }
  } finally {
    page.off('console', onConsole);
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
    page.off('websocket', onSocket);
  }
}

export function orgNumber(prefix: string): string {
  const rand = `${Date.now()}${++counter}${Math.floor(Math.random() * 1e6)}`.replace(/\D/g, '');
  const nine = (prefix + rand.slice(-(9 - prefix.length))).slice(0, 9);
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  const all = nine + String(check);
  return `${all.slice(0, 6)}-${all.slice(6)}`;
}

export interface Actor {
  name: string;
  email: string;
  password: string;
  userId: string;
  orgId: string | null;
  context: BrowserContext;
  page: Page;
  /** JSON API call with this user's cookie and the right Origin; throws on a non-2xx answer. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Raw API call: status and body, never throws. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** Open the agreement page and wait until the sections are shown. */
  open(agreementId?: string): Promise<void>;
}

export async function createActor(server: E2EServer, browser: Browser, name: string): Promise<Actor> {
  const context = await newContext(browser, server.url);
  const page = await context.newPage();
  const email = `${name.toLowerCase().replace(/[^a-z]/g, '')}.${Date.now().toString(36)}${++counter}@exempel.se`;
  const password = 'ett långt lösenord 2026';
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await context.request.fetch(server.url + path, {
      method,
      headers: { origin: server.url, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { data: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status(), json };
  };
  const api = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.json)}`);
    return r.json as T;
  };
  const user = await api<{ id: string }>('POST', '/api/auth/register', { email, password, name });
  const actor: Actor = {
    name,
    email,
    password,
    userId: user.id,
    orgId: null,
    context,
    page,
    api,
    call,
    async open(agreementId?: string) {
      const id = agreementId ?? currentAgreementId;
      await page.goto(`${server.url}/#/agreements/${id}`);
      await waitForSections(page, name);
    },
  };
  return actor;
}

let currentAgreementId = '';

export interface SharedAgreement {
  agreementId: string;
  ngo: Actor;
  kommun: Actor;
  /** Invite a colleague of the NGO with this role; they accept and get their own browser context. */
  addColleague(role: 'editor' | 'commenter' | 'viewer', name?: string): Promise<Actor>;
  close(): Promise<void>;
}

export async function setupSharedAgreement(
  server: E2EServer,
  browser: Browser,
  opts: { title?: string; ngoName?: string; kommunName?: string } = {},
): Promise<SharedAgreement> {
  const ngo = await createActor(server, browser, opts.ngoName ?? 'Nora Ideell');
  const kommun = await createActor(server, browser, opts.kommunName ?? 'Kalle Kommun');
  const ngoOrg = await ngo.api<{ id: string }>('POST', '/api/organisations', {
    name: 'Föreningen Läxhjälpen',
    kind: 'ideburen',
    orgNumber: orgNumber('802'),
  });
  ngo.orgId = ngoOrg.id;
  const kommunOrg = await kommun.api<{ id: string }>('POST', '/api/organisations', {
    name: 'Uppsala kommun',
    kind: 'kommun',
    orgNumber: orgNumber('212'),
    municipalityCode: '0380',
  });
  kommun.orgId = kommunOrg.id;
  const agreement = await ngo.api<{ id: string }>('POST', '/api/agreements', {
    title: opts.title ?? 'IOP om läxhjälp i Gottsunda',
    organisationId: ngoOrg.id,
  });
  currentAgreementId = agreement.id;
  const inv = await ngo.api<{ token: string }>('POST', `/api/agreements/${agreement.id}/invitations`, {
    role: 'editor',
    signatory: true,
    newParty: true,
  });
  await kommun.api('POST', `/api/invitations/${inv.token}/accept`, { organisationId: kommunOrg.id });
  const extra: Actor[] = [];
  return {
    agreementId: agreement.id,
    ngo,
    kommun,
    async addColleague(role, name) {
      const a = await createActor(server, browser, name ?? (role === 'viewer' ? 'Vera Läsare' : role === 'commenter' ? 'Cilla Kommentar' : 'Erik Redaktör'));
      const t = await ngo.api<{ token: string }>('POST', `/api/agreements/${agreement.id}/invitations`, { role, newParty: false });
      await a.api('POST', `/api/invitations/${t.token}/accept`, {});
      a.orgId = ngoOrg.id;
      extra.push(a);
      return a;
    },
    async close() {
      for (const a of [ngo, kommun, ...extra]) await a.context.close().catch(() => {});
    },
  };
}

/** Type into the body of the section with this template key (or title), at the end of its text. */
export async function typeInSection(
  page: Page,
  sectionKeyOrTitle: string,
  text: string,
  opts: { delay?: number; at?: 'start' | 'end'; paragraph?: number } = {},
): Promise<void> {
  const editor = sectionEditor(page, sectionKeyOrTitle);
  if (opts.paragraph !== undefined) {
    // Click at the bottom right of that paragraph (its last visual line, past its end), then End: native
    // caret movement, processed in order with the typing. A plain click lands in the middle, and End only
    // reaches the end of the *visual line*: a paragraph that wraps got the text typed into its first line.
    const paragraph = editor.locator('p').nth(opts.paragraph);
    const box = await paragraph.boundingBox();
    await paragraph.click(box ? { position: { x: Math.max(1, box.width - 2), y: Math.max(1, box.height - 3) } } : {});
    await page.keyboard.press('End');
    await page.keyboard.type(text, { delay: opts.delay ?? 0 });
    return;
  }
  await editor.click();
  // Put the caret at the start or the end of the text (of one paragraph when given) through the DOM
  // selection; ProseMirror reads it on the next selectionchange, which the two animation frames let pass.
  await editor.evaluate(
    (el, { atStart, paragraph }) => {
      const root = paragraph === null ? el : (el.querySelectorAll('p')[paragraph] ?? el);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement?.closest('.collaboration-carets__caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      const texts: Text[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
      const sel = window.getSelection()!;
      const node = atStart ? texts[0] : texts[texts.length - 1];
      if (node) sel.collapse(node, atStart ? 0 : node.length);
      else sel.collapse(root.querySelector('p') ?? root, 0);
      return new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    },
    { atStart: opts.at === 'start', paragraph: opts.paragraph ?? null },
  );
  await page.waitForTimeout(50);
  await page.keyboard.type(text, { delay: opts.delay ?? 0 });
}

/** The contenteditable of a section, by template key (data-section-key) or visible title. */
export function sectionEditor(page: Page, sectionKeyOrTitle: string) {
  const byKey = page.locator(`section[data-section-key="${sectionKeyOrTitle}"] [data-section-editor]`);
  return byKey.or(page.locator('section.doc-section', { has: page.getByRole('heading', { name: sectionKeyOrTitle }) }).locator('[data-section-editor]')).first();
}

/** The HTML of a section editor without the other users' carets. */
export async function sectionHtml(page: Page, sectionKeyOrTitle: string): Promise<string> {
  return sectionEditor(page, sectionKeyOrTitle).evaluate((el) => {
    const clone = el.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
    return clone.innerHTML;
  });
}

/** The text of a section editor without the other users' caret labels. */
export async function sectionText(page: Page, sectionKeyOrTitle: string): Promise<string> {
  return sectionEditor(page, sectionKeyOrTitle).evaluate((el) => {
    const clone = el.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
    clone.querySelectorAll('p, li, th, td, h3, h4').forEach((b) => b.append(' '));
    return (clone.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}
