/**
 * The template rules as a table: action × the caller's role in the template's organisation, for an
 * organisation's own template and for the built-in standard one. Y allowed, N refused.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.ts';
import { authorizeTemplate, canOnTemplate, TEMPLATE_ACTIONS, type TemplateAction } from './templates.ts';

const ROLES = ['admin', 'member', null] as const;
//                                  own template: admin member none · built-in: admin member none
const TABLE: Record<TemplateAction, string> = {
  'template.use': /*             */ 'YYN' + 'YYY',
  'template.manage': /*          */ 'YYN' + 'NNN',
};

describe('template policy table', () => {
  it('covers every action', () => expect(Object.keys(TABLE).sort()).toEqual([...TEMPLATE_ACTIONS].sort()));
  for (const action of TEMPLATE_ACTIONS) {
    it(action, () => {
      const own = ROLES.map((r) => (canOnTemplate(r, action, { organisationId: 'org' }) ? 'Y' : 'N')).join('');
      const builtIn = ROLES.map((r) => (canOnTemplate(r, action, { organisationId: null }) ? 'Y' : 'N')).join('');
      expect(own + builtIn).toBe(TABLE[action]);
    });
  }
  it('refusals: 404 outside the organisation (no existence leak), 403 for the built-in template', () => {
    const kind = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        return e instanceof DomainError ? `${e.kind} ${e.code}` : 'other';
      }
      return 'allowed';
    };
    expect(kind(() => authorizeTemplate(null, 'template.manage', { organisationId: 'org' }))).toBe('not-found not-found');
    expect(kind(() => authorizeTemplate('admin', 'template.manage', { organisationId: null }))).toBe('forbidden template-built-in');
    expect(kind(() => authorizeTemplate('member', 'template.manage', { organisationId: 'org' }))).toBe('allowed');
  });
});
