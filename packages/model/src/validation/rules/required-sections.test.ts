import { describe, expect, it } from 'vitest';
import { completeFixtureSnapshot } from '../../fixtures/index.ts';
import { STANDARD_TEMPLATE } from '../../templates/standard.ts';
import { runRule } from '../context.ts';
import { requiredSectionsRule } from './required-sections.ts';

describe('required sections', () => {
  it('passes when every required section has content', () => {
    expect(runRule(requiredSectionsRule, completeFixtureSnapshot(), STANDARD_TEMPLATE)).toEqual([]);
  });

  it('reports a missing required section by template key', () => {
    const s = completeFixtureSnapshot();
    s.sections = s.sections.filter((x) => x.key !== 'economy');
    const f = runRule(requiredSectionsRule, s, STANDARD_TEMPLATE);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'required_section_missing', severity: 'error', target: { kind: 'section', sectionId: null, templateKey: 'economy' } });
    expect(f[0]?.message.sv).toContain('Ekonomi');
  });

  it('treats headings, guidance text and whitespace as empty; optional sections may be empty', () => {
    const s = completeFixtureSnapshot();
    const purpose = s.sections.find((x) => x.key === 'purpose')!;
    purpose.body = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Syfte' }] },
        { type: 'paragraph', content: [{ type: 'text', text: `  ${purpose.guidance!}  ` }] },
        { type: 'paragraph', content: [{ type: 'text', text: '   ' }] },
      ],
    };
    s.sections.find((x) => x.key === 'marketing')!.body = { type: 'doc', content: [{ type: 'paragraph' }] };
    const f = runRule(requiredSectionsRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.target])).toEqual([
      ['required_section_empty', { kind: 'section', sectionId: purpose.id, templateKey: 'purpose' }],
    ]);
    expect(f[0]?.message.en).toContain('Syftet med partnerskapet och verksamheten');
  });

  it('a table or list counts as content; a custom section flagged required is checked too', () => {
    const s = completeFixtureSnapshot();
    const bg = s.sections.find((x) => x.key === 'background')!;
    bg.body = {
      type: 'doc',
      content: [{ type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] }] }] }],
    };
    s.sections.push({ ...bg, id: 'custom', key: null, title: 'Eget', required: true, guidance: null, body: { type: 'doc', content: [] } });
    const f = runRule(requiredSectionsRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => x.target)).toEqual([{ kind: 'section', sectionId: 'custom' }]);
  });
  it('text that is only suggested does not count as content', () => {
    const s = completeFixtureSnapshot();
    const purpose = s.sections.find((x) => x.key === 'purpose')!;
    purpose.body = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Förslag', marks: [{ type: 'insertion', attrs: { id: 'sg_u1_lz0abc_abcdef' } }] }] }],
    };
    const f = runRule(requiredSectionsRule, s, STANDARD_TEMPLATE);
    expect(f.map((x) => [x.ruleId, x.target])).toEqual([
      ['required_section_empty', { kind: 'section', sectionId: purpose.id, templateKey: 'purpose' }],
    ]);
  });
});
