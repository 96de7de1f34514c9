import { describe, expect, it } from 'vitest';
import { isAllowedLinkHref, normalizeLinkUrl, safeLinkHref } from './link-rule.ts';

describe('normalizeLinkUrl', () => {
  it('keeps http(s) and mailto addresses as typed (trimmed)', () => {
    expect(normalizeLinkUrl('  https://www.uppsala.se/iop?x=1#a ')).toEqual({ ok: true, href: 'https://www.uppsala.se/iop?x=1#a' });
    expect(normalizeLinkUrl('http://kommun.se')).toEqual({ ok: true, href: 'http://kommun.se' });
    expect(normalizeLinkUrl('HTTPS://KOMMUN.SE')).toEqual({ ok: true, href: 'HTTPS://KOMMUN.SE' });
    expect(normalizeLinkUrl('https://intranet/iop')).toEqual({ ok: true, href: 'https://intranet/iop' });
    expect(normalizeLinkUrl('mailto:anna@kommun.se')).toEqual({ ok: true, href: 'mailto:anna@kommun.se' });
    expect(normalizeLinkUrl('mailto:anna@kommun.se?subject=IOP')).toEqual({ ok: true, href: 'mailto:anna@kommun.se?subject=IOP' });
  });

  it('makes bare domains https:// and bare e-mail addresses mailto:', () => {
    expect(normalizeLinkUrl('kommun.se')).toEqual({ ok: true, href: 'https://kommun.se' });
    expect(normalizeLinkUrl('www.göteborg.se/förening')).toEqual({ ok: true, href: 'https://www.göteborg.se/förening' });
    expect(normalizeLinkUrl('kommun.se:8080/x')).toEqual({ ok: true, href: 'https://kommun.se:8080/x' });
    expect(normalizeLinkUrl('//kommun.se/a')).toEqual({ ok: true, href: 'https://kommun.se/a' });
    expect(normalizeLinkUrl('anna@kommun.se')).toEqual({ ok: true, href: 'mailto:anna@kommun.se' });
  });

  it('refuses javascript: and every other scheme', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:void(0)',
      // not "host javascript, port 1": a scheme whose code divides 1 by alert(1)
      'javascript:1/alert(1)',
      'javascript:1',
      'data:text/html,<b>x</b>',
      'vbscript:x',
      'file:///etc/passwd',
      'file://host/share',
      'tel:+4618000000',
      'ftp://kommun.se',
      'smb://host/share',
    ]) {
      expect(normalizeLinkUrl(bad), bad).toEqual({ ok: false, error: 'scheme' });
    }
  });

  it('refuses network paths (UNC), which leak Windows credentials when opened', () => {
    for (const bad of ['\\\\host\\share', '\\\\host\\share\\avtal.docx', '//host/share', '///host/share', 'https://kommun.se\\share', 'https:\\\\kommun.se', '\\\\?\\C:\\x']) {
      expect(normalizeLinkUrl(bad), bad).toEqual({ ok: false, error: 'invalid' });
    }
  });

  it('refuses addresses hidden behind white space or control characters', () => {
    for (const bad of ['java\tscript:alert(1)', 'java\nscript:alert(1)', 'java\u0000script:alert(1)', 'https://kommun .se', 'java\u200bscript:alert(1)']) {
      expect(normalizeLinkUrl(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('says what is wrong with empty and malformed input', () => {
    expect(normalizeLinkUrl('   ')).toEqual({ ok: false, error: 'empty' });
    expect(normalizeLinkUrl('kommun')).toEqual({ ok: false, error: 'invalid' });
    expect(normalizeLinkUrl('https://')).toEqual({ ok: false, error: 'invalid' });
    expect(normalizeLinkUrl('http:kommun.se')).toEqual({ ok: false, error: 'invalid' });
    expect(normalizeLinkUrl('mailto:')).toEqual({ ok: false, error: 'invalid' });
    expect(normalizeLinkUrl('mailto:anna')).toEqual({ ok: false, error: 'invalid' });
    expect(normalizeLinkUrl('/relative/path')).toEqual({ ok: false, error: 'invalid' });
  });
});

describe('isAllowedLinkHref', () => {
  it('allows http(s) and mailto hrefs, and what auto-linking checks before adding the scheme', () => {
    expect(isAllowedLinkHref('https://kommun.se')).toBe(true);
    expect(isAllowedLinkHref('mailto:anna@kommun.se')).toBe(true);
    expect(isAllowedLinkHref('kommun.se')).toBe(true);
    expect(isAllowedLinkHref('javascript:alert(1)')).toBe(false);
    expect(isAllowedLinkHref('javascript:1/alert(1)')).toBe(false);
    expect(isAllowedLinkHref('data:text/html,x')).toBe(false);
    expect(isAllowedLinkHref('\\\\host\\share')).toBe(false);
    expect(isAllowedLinkHref('')).toBe(false);
    expect(isAllowedLinkHref(undefined)).toBe(false);
    expect(isAllowedLinkHref({ toString: () => 'https://kommun.se' })).toBe(false);
  });
});

describe('safeLinkHref', () => {
  it('gives the full address to write, or null for plain text', () => {
    expect(safeLinkHref('https://kommun.se/iop')).toBe('https://kommun.se/iop');
    expect(safeLinkHref('kommun.se')).toBe('https://kommun.se');
    expect(safeLinkHref('anna@kommun.se')).toBe('mailto:anna@kommun.se');
    for (const bad of ['javascript:alert(1)', 'file:///C:/x', 'data:,x', 'vbscript:x', '\\\\host\\share', '//host/share', '', null, 42]) {
      expect(safeLinkHref(bad), String(bad)).toBeNull();
    }
  });
});
