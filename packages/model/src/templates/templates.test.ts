import { describe, expect, it } from 'vitest';
import { parseTemplate, STANDARD_TEMPLATE, STANDARD_TEMPLATE_ID } from './index.ts';

describe('standard template', () => {
  it('has the 15 IOP headings in order with unique keys', () => {
    expect(STANDARD_TEMPLATE_ID).toBe('standard-iop');
    expect(STANDARD_TEMPLATE.sections.map((s) => s.title)).toEqual([
      'Bakgrund',
      'Parter',
      'Syftet med partnerskapet och verksamheten',
      'Om överenskommelsens form och utgångspunkter',
      'Värdegrund för partnerskapet',
      'Insats – uppdrag',
      'Kontaktpersoner och ansvariga',
      'Avgränsningar',
      'Samverkan',
      'Målgruppen',
      'Ekonomi',
      'Marknadsföring',
      'Uppföljning och kunskapsinhämtning',
      'Period för partnerskapet',
      'Förlängning, omförhandling, upphävning',
    ]);
    const keys = STANDARD_TEMPLATE.sections.map((s) => s.key);
    expect(new Set(keys).size).toBe(15);
    expect(STANDARD_TEMPLATE.sections.find((s) => s.key === 'marketing')?.required).toBe(false);
    for (const s of STANDARD_TEMPLATE.sections) expect(s.guidance?.length).toBeGreaterThan(20);
  });

  it('passes its own schema', () => {
    const result = parseTemplate(JSON.stringify(STANDARD_TEMPLATE));
    expect(result).toEqual({ ok: true, value: STANDARD_TEMPLATE });
  });
});

describe('parseTemplate', () => {
  it('refuses duplicate keys, naming the second one', () => {
    const r = parseTemplate({
      name: 'Min mall',
      sections: [
        { key: 'a', title: 'A', required: true },
        { key: 'a', title: 'B', required: false },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]?.field).toBe('sections[1].key');
      expect(r.errors[0]?.message).toMatch(/duplicate key "a"/);
    }
  });

  it('refuses a template without sections', () => {
    const r = parseTemplate({ name: 'Tom', sections: [] });
    expect(r).toEqual({ ok: false, errors: [{ field: 'sections', message: 'a template needs at least one section' }] });
  });

  it('refuses empty titles and names the field', () => {
    const r = parseTemplate({ name: 'X', sections: [{ key: 'a', title: '   ', required: true }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ field: 'sections[0].title', message: 'title must not be empty' }]);
  });

  it('reports missing and mistyped fields', () => {
    const r = parseTemplate({ sections: [{ key: 'Bad Key', title: 'T', required: 'yes' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const fields = r.errors.map((e) => e.field).sort();
      expect(fields).toEqual(['name', 'sections[0].key', 'sections[0].required']);
      expect(r.errors.find((e) => e.field === 'sections[0].required')?.message).toBe('required must be true or false');
    }
  });

  it('reports broken JSON and non-objects', () => {
    const bad = parseTemplate('{"name": ');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]?.message).toMatch(/^not valid JSON/);
    expect(parseTemplate([]).ok).toBe(false);
    expect(parseTemplate(null).ok).toBe(false);
  });

  it('normalises whitespace and drops empty guidance', () => {
    const r = parseTemplate({ name: ' Mall ', sections: [{ key: 'k', title: ' Rubrik ', guidance: '', required: false }] });
    expect(r).toEqual({ ok: true, value: { name: 'Mall', sections: [{ key: 'k', title: 'Rubrik', required: false }] } });
  });
});
