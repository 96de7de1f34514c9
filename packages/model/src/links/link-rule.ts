/**
 * The one rule for links in an agreement, used wherever a link can enter or leave it: the editor's link
 * dialog and Link mark (typed, pasted, loaded), the model's writes of rich content (import, restore),
 * the sync server's check of client updates, and the PDF / DOCX exporters. Only web pages (http, https)
 * and e-mail (mailto) are links. Everything else — javascript:, data:, file:, vbscript:, UNC and other
 * network paths (\\host\share, //host/share) … — is refused, so a link in a signed agreement can never
 * run code or leak Windows credentials when clicked.
 *
 *   normalizeLinkUrl('kommun.se')           → { ok: true, href: 'https://kommun.se' }
 *   normalizeLinkUrl('anna@kommun.se')      → { ok: true, href: 'mailto:anna@kommun.se' }
 *   normalizeLinkUrl('javascript:alert(1)') → { ok: false, error: 'scheme' }
 */

export type LinkUrlError = 'empty' | 'scheme' | 'invalid';
export type LinkUrlResult = { ok: true; href: string } | { ok: false; error: LinkUrlError };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** A host name with a top-level domain (`kommun.se`, `www.göteborg.se`). */
const HOST = String.raw`(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}`;
/**
 * host:port with nothing or a path after it (`kommun.se:8080/x`): not a scheme. The host needs a dot, so
 * `javascript:1/alert(1)` is the javascript: scheme, not the host "javascript".
 */
const HOST_WITH_PORT = new RegExp(String.raw`^${HOST}:\d{1,5}(?:[/?#]|$)`, 'u');
/** A bare host name, optional port and path (`kommun.se`, `www.göteborg.se/x`). */
const BARE_HOST = new RegExp(String.raw`^${HOST}(?::\d{1,5})?(?:[/?#].*)?$`, 'u');
/** Deliberately simple: something@something.tld, no spaces. */
const EMAIL = /^[^\s@/?#:]+@[^\s@/?#:]+\.[^\s@/?#:]+$/;

/**
 * Control characters and white space make an address ambiguous (`java\tscript:`); a backslash makes it a
 * Windows path (`\\host\share`) or is read as a slash by URL parsers. Never accepted.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\s\\\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2028\u2029\ufeff]/u;

function webUrl(href: string): LinkUrlResult {
  try {
    const url = new URL(href);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return { ok: false, error: 'invalid' };
    return { ok: true, href };
  } catch {
    return { ok: false, error: 'invalid' };
  }
}

/** Validates what a user typed (or a file or client sent) as a link address and makes it a full address (bare domains → https://). */
export function normalizeLinkUrl(input: string): LinkUrlResult {
  const value = input.trim();
  if (value === '') return { ok: false, error: 'empty' };
  if (UNSAFE_CHARS.test(value)) return { ok: false, error: 'invalid' };
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme && !HOST_WITH_PORT.test(value)) {
    if (scheme === 'http' || scheme === 'https') {
      // http:kommun.se would be "fixed" by the URL parser; ask for the usual form instead.
      if (!/^https?:\/\//i.test(value)) return { ok: false, error: 'invalid' };
      return webUrl(value);
    }
    if (scheme === 'mailto') {
      const address = value.slice('mailto:'.length).split('?')[0] ?? '';
      return EMAIL.test(decodeSafely(address)) ? { ok: true, href: value } : { ok: false, error: 'invalid' };
    }
    return { ok: false, error: 'scheme' };
  }
  // Scheme-relative: only with a real domain (`//kommun.se/a`), never a network share (`//host/share`).
  if (value.startsWith('//')) return BARE_HOST.test(value.slice(2)) ? webUrl(`https:${value}`) : { ok: false, error: 'invalid' };
  if (EMAIL.test(value)) return { ok: true, href: `mailto:${value}` };
  if (BARE_HOST.test(value)) return webUrl(`https://${value}`);
  return { ok: false, error: 'invalid' };
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Whether an href (stored, pasted or auto-linked while typing) may be a link in the document, by the same
 * rule as typed addresses: the Link extension's `isAllowedUri`, and what the sync server lets a client
 * store. Auto-linking checks the typed text (`kommun.se`) before it makes the full address, so bare
 * domains and e-mail addresses pass too; none of them can be anything but a web page or an e-mail.
 */
export function isAllowedLinkHref(href: unknown): boolean {
  return typeof href === 'string' && href !== '' && normalizeLinkUrl(href).ok;
}

/** The full address to write for a link's href (bare domains → https://), or null: write plain text. */
export function safeLinkHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const result = normalizeLinkUrl(href);
  return result.ok ? result.href : null;
}
