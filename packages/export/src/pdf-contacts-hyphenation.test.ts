import { describe, expect, it } from 'vitest';
import { renderPdf } from './pdf.ts';
import { exportFixture, exportMeta } from './testing/fixture.ts';
import { pdfText } from './testing/poppler.ts';

const squash = (s: string) => s.replace(/\s+/g, ' ');

/** Long Swedish compounds, each used once, in the narrow columns of the goal table. */
const LONG = [
  'gymnasiebehörighet',
  'fritidsgårdsverksamheten',
  'ungdomsarbetslöshetsstatistiken',
  'föräldrastödsprogrammen',
  'uppföljningsenkäten',
  'socialtjänstförvaltningen',
  'kvalitetsuppföljningsrapport',
  'närvaroregistreringen',
];

describe('renderPdf: party contacts', () => {
  it('prints every party’s contact persons with name, role, e-mail and phone', { timeout: 60_000 }, async () => {
    const s = exportFixture();
    const text = squash(pdfText(await renderPdf(s, exportMeta())));
    for (const p of s.parties) {
      for (const c of p.contacts) {
        for (const field of [c.name, c.title, c.email, c.phone]) expect(text, field).toContain(field);
      }
    }
    expect(text).toContain('Kontaktpersoner enligt parternas uppgifter');
  });
});

describe('renderPdf: hyphenation in the goal table', () => {
  it('never breaks a word without a hyphen: each long word reads back whole', { timeout: 60_000 }, async () => {
    const s = exportFixture();
    s.goals = s.goals.map((g, i) => ({
      ...g,
      goal: `Bättre ${LONG[i % LONG.length]} och ${LONG[(i + 3) % LONG.length]}`,
      indicator: `Andel med ${LONG[(i + 1) % LONG.length]}`,
      baselineSource: `${LONG[(i + 2) % LONG.length]}`,
    }));
    s.goals.push({ ...s.goals[0]!, id: 'g4', goal: LONG.slice(4).join(' '), indicator: LONG.slice(0, 4).join(' ') });
    const pdf = await renderPdf(s, exportMeta());
    // pdftotext joins a line that ends in a hyphen with the next one; a break without a hyphen stays two tokens.
    const lines = pdfText(pdf).split('\n');
    const tokens = new Set(lines.join(' ').split(/[\s,.()]+/));
    for (const w of LONG) expect(tokens, w).toContain(w);
    // No line of the table ends in a bare piece of a long word (the old "g | ymnasiebehörig | het").
    const start = lines.findIndex((l) => l.startsWith('Parterna har gemensamt formulerat'));
    const end = lines.findIndex((l) => l.startsWith('Samtliga mål är godkända'));
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    for (const line of lines.slice(start, end)) {
      const last = line.trim().split(/\s+/).pop() ?? '';
      if (!last || last.endsWith('-')) continue;
      for (const w of LONG) if (w !== last && w.startsWith(last)) expect.fail(`"${line}" ends in a piece of ${w}`);
    }
  });
});
