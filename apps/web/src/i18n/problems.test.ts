import { describe, expect, it } from 'vitest';
import { problemError } from '../api/client.ts';
import { fmt } from './index.tsx';
import { localizeProblem } from './problems.ts';

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

describe('ICU messages', () => {
  it('plural and decimal comma in Swedish', () => {
    const m = '{n, plural, one {# upplysning} other {# upplysningar}}';
    expect(fmt(m, { n: 1 })).toBe('1 upplysning');
    expect(fmt(m, { n: 2 })).toBe('2 upplysningar');
    expect(fmt('{x, number}', { x: 0.25 })).toBe('0,25');
    expect(fmt('{missing} stays', {})).toBe('{missing} stays');
  });
});
