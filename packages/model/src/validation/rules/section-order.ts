import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';

/** Indices (into seq) of one longest strictly increasing subsequence. */
function longestIncreasing(seq: number[]): Set<number> {
  const n = seq.length;
  const len = new Array<number>(n).fill(1);
  const prev = new Array<number>(n).fill(-1);
  let best = -1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (seq[j]! < seq[i]! && len[j]! + 1 > len[i]!) {
        len[i] = len[j]! + 1;
        prev[i] = j;
      }
    }
    if (best < 0 || len[i]! > len[best]!) best = i;
  }
  const keep = new Set<number>();
  for (let i = best; i >= 0; i = prev[i]!) keep.add(i);
  return keep;
}

/** Template sections appear in the template's order (custom sections may go anywhere). */
export const sectionOrderRule: Rule = {
  id: 'section_order',
  description: 'Sections from the template are in the template order (warning).',
  run({ snapshot, template }) {
    const position = new Map(template.sections.map((s, i) => [s.key, i]));
    const placed = snapshot.sections.filter((s) => s.key !== null && position.has(s.key));
    const seq = placed.map((s) => position.get(s.key!)!);
    const inOrder = longestIncreasing(seq);
    const findings: Finding[] = [];
    placed.forEach((section, i) => {
      if (inOrder.has(i)) return;
      const templateIndex = seq[i]!;
      // the nearest template predecessor that is present, to say where the section belongs
      let after: string | null = null;
      for (let k = templateIndex - 1; k >= 0 && after === null; k--) {
        const key = template.sections[k]!.key;
        const present = placed.find((s) => s.key === key);
        if (present) after = present.title;
      }
      findings.push({
        ruleId: 'section_order',
        severity: 'warning',
        target: { kind: 'section', sectionId: section.id, templateKey: section.key! },
        message: after
          ? {
              sv: `Avsnittet ”${section.title}” står inte i mallens ordning. Flytta det så att det kommer efter ”${after}”.`,
              en: `The section "${section.title}" is out of the template order. Move it after "${after}".`,
            }
          : {
              sv: `Avsnittet ”${section.title}” står inte i mallens ordning. Flytta det först bland mallens avsnitt.`,
              en: `The section "${section.title}" is out of the template order. Move it before the other template sections.`,
            },
      });
    });
    return findings;
  },
};
