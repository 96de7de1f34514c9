import { describe, expect, it } from 'vitest';
import { problemError } from '../api/client.ts';
import { fmt } from './index.tsx';
import { issueMessage, localizeProblem } from './problems.ts';

describe('server errors in the reader\'s language', () => {
  it('translates a validation field message by its wording, keeps unknown ones', () => {
    const e = problemError(400, 'Bad Request', {
      type: '/problems/validation',
      title: 'Invalid request',
      detail: 'password: must be at least 10 characters; a short sentence is easy to remember',
      errors: [
        { field: 'password', message: 'must be at least 10 characters; a short sentence is easy to remember' },
        { field: 'other', message: 'something new' },
      ],
    });
    expect(e.code).toBe('validation');
    expect(localizeProblem(e, 'sv').fieldErrors).toEqual({ password: 'Lösenordet måste ha minst 10 tecken.', other: 'something new' });
    expect(localizeProblem(e, 'en').fieldErrors.password).toBe('The password must be at least 10 characters.');
  });

  it('uses the server\'s messages.sv when sent, and known codes otherwise', () => {
    const throttled = problemError(429, 'Too Many Requests', { type: '/problems/login-throttled', title: 't', detail: 'd', code: 'login-throttled', messages: { sv: 'Vänta', en: 'Wait' } });
    expect(localizeProblem(throttled, 'sv').message).toBe('Vänta');
    const wrong = problemError(401, 'Unauthorized', { type: '/problems/invalid-credentials', title: 'Wrong e-mail or password', detail: 'The e-mail address or the password is wrong.' });
    expect(localizeProblem(wrong, 'sv').message).toMatch(/^E-postadressen eller lösenordet stämmer inte/);
  });
});

describe('field errors by their stable code', () => {
  it('translates code and params, not the English wording', () => {
    const e = problemError(400, 'Bad Request', {
      type: '/problems/validation',
      title: 'Invalid request',
      detail: 'title: must be at most 200 characters; expiresInDays: must be at most 90 days',
      errors: [
        { field: 'title', path: ['title'], code: 'too_big', params: { maximum: 200, origin: 'string' }, message: 'must be at most 200 characters' },
        { field: 'expiresInDays', path: ['expiresInDays'], code: 'too_big', params: { maximum: 90, origin: 'number' }, message: 'must be at most 90 days' },
        { field: 'name', code: 'too_small', params: { minimum: 1, origin: 'string' }, message: 'must not be empty: enter your full name' },
        { field: 'email', code: 'invalid_format', params: { format: 'email' }, message: 'must be an e-mail address like namn@exempel.se' },
      ],
    });
    expect(localizeProblem(e, 'sv').fieldErrors).toEqual({
      title: 'Namnet får ha högst 200 tecken.',
      expiresInDays: 'Giltighetstiden får vara högst 90.',
      name: 'Ange ditt namn.',
      email: 'E-postadressen måste vara en e-postadress, till exempel namn@exempel.se.',
    });
    expect(localizeProblem(e, 'en').fieldErrors.title).toBe('The name must be at most 200 characters.');
  });

  it('numbers in the locale, a form may word its own codes, unknown codes keep the English message', () => {
    expect(issueMessage('sv', { field: 'password', code: 'too_small', params: { minimum: 10, origin: 'string' } })).toBe('Lösenordet måste ha minst 10 tecken.');
    expect(issueMessage('sv', { field: 'valueSek', code: 'too_big', params: { maximum: 1000000, origin: 'number' } })).toBe('Får vara högst 1\u00a0000\u00a0000.');
    expect(issueMessage('sv', { field: 'url', code: 'link_scheme' }, { link_scheme: 'Bara http, https och mailto' })).toBe('Bara http, https och mailto');
    expect(issueMessage('sv', { field: 'x', code: 'something_new', message: 'as the server says' })).toBe('as the server says');
  });
});

describe('ICU messages', () => {
  it('plural and decimal comma in Swedish', () => {
    const m = '{n, plural, one {# upplysning} other {# upplysningar}}';
    expect(fmt(m, { n: 1 })).toBe('1 upplysning');
    expect(fmt(m, { n: 2 })).toBe('2 upplysningar');
    expect(fmt('{x, number}', { x: 0.25 })).toBe('0,25');
    expect(fmt('{missing} stays', {})).toBe('{missing} stays');
  });
});
