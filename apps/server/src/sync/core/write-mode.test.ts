import { describe, expect, test } from 'vitest';
import { writeMode } from './write-mode.ts';

describe('writeMode', () => {
  const m = (role: 'editor' | 'commenter' | 'viewer', locked: boolean, forcedReadOnly = false) => writeMode({ userId: 'u', role, partyId: 'p', locked, forcedReadOnly });

  test('editors edit, commenters suggest, viewers read, while a draft', () => {
    expect([m('editor', false), m('commenter', false), m('viewer', false)]).toEqual(['edit', 'suggest', 'read']);
  });

  test('a locked agreement is read for everyone; an extension can force read', () => {
    expect([m('editor', true), m('commenter', true), m('viewer', true)]).toEqual(['read', 'read', 'read']);
    expect([m('editor', false, true), m('commenter', false, true)]).toEqual(['read', 'read']);
  });
});
