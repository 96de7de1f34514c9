import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { sectionOrderRule } from './section-order.ts';

describe('section order', () => {
  it('passes in template order, with custom sections anywhere', () => {
    const s = completeFixtureSnapshot();
    s.sections.splice(3, 0, { ...s.sections[0]!, id: 'custom', key: null, title: 'Eget avsnitt' });
    expect(runRule(sectionOrderRule, s, STANDARD_TEMPLATE)).toEqual([]);
  });

  it('warns about exactly the moved section and says where it belongs', () => {
    const s = completeFixtureSnapshot();
    const [economy] = s.sections.splice(10, 1); // Ekonomi
    s.sections.unshift(economy!);
    const f = runRule(sectionOrderRule, s, STANDARD_TEMPLATE);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'section_order', severity: 'warning', target: { sectionId: economy!.id } });
    expect(f[0]?.message.sv).toBe('Avsnittet ”Ekonomi” står inte i mallens ordning. Flytta det så att det kommer efter ”Målgruppen”.');
  });
});
