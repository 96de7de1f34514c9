import type { Finding, SectionSnapshot } from '../../types.ts';
import type { Rule } from '../types.ts';
import { sectionHasContent } from '../util.ts';

/** Every required section (by the template, or flagged required in the agreement) is present and has content. */
export const requiredSectionsRule: Rule = {
  id: 'required_section',
  description: 'Every required section is present and non-empty (headings and guidance text do not count).',
  run({ snapshot, template }) {
    const findings: Finding[] = [];
    const byKey = new Map<string, SectionSnapshot>();
    for (const s of snapshot.sections) if (s.key !== null && !byKey.has(s.key)) byKey.set(s.key, s);
    const checked = new Set<string>();
    for (const ts of template.sections) {
      if (!ts.required) continue;
      const section = byKey.get(ts.key);
      if (!section) {
        findings.push({
          ruleId: 'required_section_missing',
          severity: 'error',
          target: { kind: 'section', sectionId: null, templateKey: ts.key },
          message: {
            sv: `Det obligatoriska avsnittet ”${ts.title}” saknas. Lägg till det igen och beskriv vad som gäller.`,
            en: `The required section "${ts.title}" is missing. Add it back and fill it in.`,
          },
        });
        continue;
      }
      checked.add(section.id);
      if (!sectionHasContent(section)) findings.push(emptyFinding(section));
    }
    for (const section of snapshot.sections) {
      if (section.required && !checked.has(section.id) && !sectionHasContent(section)) findings.push(emptyFinding(section));
    }
    return findings;
  },
};

function emptyFinding(section: SectionSnapshot): Finding {
  return {
    ruleId: 'required_section_empty',
    severity: 'error',
    target: { kind: 'section', sectionId: section.id, ...(section.key ? { templateKey: section.key } : {}) },
    message: {
      sv: `Avsnittet ”${section.title}” är obligatoriskt men saknar innehåll. Skriv in text i avsnittet (rubriker och hjälptext räknas inte).`,
      en: `The section "${section.title}" is required but empty. Write its content (headings and guidance text do not count).`,
    },
  };
}
