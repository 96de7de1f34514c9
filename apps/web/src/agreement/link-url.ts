/**
 * What the link dialog accepts as a link address, and the one rule the editor's Link mark also enforces
 * (on paste and when rendering): only web pages (http, https) and e-mail (mailto). Everything else —
 * javascript:, data:, file:, vbscript: … — is refused, so a link in an agreement can never run code.
 *
 *   normalizeLinkUrl('kommun.se')          → { ok: true, href: 'https://kommun.se' }
 *   normalizeLinkUrl('anna@kommun.se')     → { ok: true, href: 'mailto:anna@kommun.se' }
 *   normalizeLinkUrl('javascript:alert(1)') → { ok: false, error: 'scheme' }
 */

export type LinkUrlError = 'empty' | 'scheme' | 'invalid';
export type LinkUrlResult = { ok: true; href: string } | { ok: false; error: LinkUrlError };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** host:port with nothing or a path after it (`kommun.se:8080/x`): not a scheme. */
const HOST_WITH_PORT = /^[^\s/?#@:]+:\d+(?:[/?#]|$)/;
/** A bare host name with a top-level domain (`kommun.se`, `www.göteborg.se/x`), optional port and path. */
const BARE_HOST = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?::\d{1,5})?(?:[/?#].*)?$/u;
/** Deliberately simple: something@something.tld, no spaces. */
const EMAIL = /^[^\s@/?#:]+@[^\s@/?#:]+\.[^\s@/?#:]+$/;

/** Control characters and white space make an address ambiguous (`java\tscript:`); never accepted. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2028\u2029\ufeff]/u;

function webUrl(href: string): LinkUrlResult {
  try {
    const url = new URL(href);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return { ok: false, error: 'invalid' };
    return { ok: true, href };
  } catch {
    return { ok: false, error: 'invalid' };
  }
}

/** Validates what a user typed as a link address and makes it a full address (bare domains → https://). */
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
  if (value.startsWith('//')) return webUrl(`https:${value}`);
  if (EMAIL.test(value)) return { ok: true, href: `mailto:${value}` };
  if (BARE_HOST.test(value) || HOST_WITH_PORT.test(value)) return webUrl(`https://${value}`);
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
 * rule as typed addresses: used as the Link extension's `isAllowedUri`. Auto-linking checks the typed
 * text (`kommun.se`) before it makes the full address, so bare domains and e-mail addresses pass too.
 */
export function isAllowedLinkHref(href: string | null | undefined): boolean {
  return !!href && normalizeLinkUrl(href).ok;
}
