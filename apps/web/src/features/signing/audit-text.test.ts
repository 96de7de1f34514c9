/** The audit list's sentences: a revision started and withdrawn read as words in both languages, not as the raw type. */
import { describe, expect, it } from 'vitest';
import { signingMessages } from '../../i18n/messages/signing.ts';
import { describeAuditEntry } from './audit-text.ts';
import type { AuditEntry } from './api.ts';

const entry = (type: string, data: Record<string, unknown>): AuditEntry => ({ id: 1, type, at: '2026-06-30T10:00:00Z', actor: { id: 'u', name: 'Eva' }, data });
const say = (locale: 'sv' | 'en', e: AuditEntry) =>
  describeAuditEntry(signingMessages[locale], locale, e, () => '', () => '', () => '');

describe('describeAuditEntry', () => {
  it('names a revision that was started', () => {
    const e = entry('revision.started', { kind: 'amendment', number: 1, basedOnVersion: 1 });
    expect(say('sv', e)).toBe('Påbörjade tillägg 1 till slutlig version 1; godkännandena börjar om.');
    expect(say('en', e)).toBe('Started amendment 1 to final version 1; approvals start over.');
  });

  it('names a revision that was withdrawn and the signed version in force again', () => {
    const e = entry('revision.withdrawn', { kind: 'renewal', number: 2, basedOnVersion: 3, finalVersionId: 'fv', hash: 'abc' });
    expect(say('sv', e)).toBe('Drog tillbaka förlängning 2; slutlig version 3 gäller igen.');
    expect(say('en', e)).toBe('Withdrew renewal 2; final version 3 is in force again.');
  });
});
