/**
 * Export benchmark: a ~40-page agreement to PDF and to DOCX, median wall time per export.
 * Run: pnpm bench:export   (goals on the 2-core dev machine: PDF < 1.5 s, DOCX < 0.5 s)
 */
import type { AgreementSnapshot, RichNode } from '@overens/model';
import { renderDocx, renderPdf } from '@overens/export';
import { doc, exportFixture, exportMeta, h, ol, p, t, table, ul } from '../packages/export/src/testing/fixture.ts';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);
const WARMUP = 2;

const SENTENCES = [
  'Parterna ska gemensamt verka för att verksamheten når de barn och unga som har störst behov av stöd.',
  'Föreningen ansvarar för att de ideella läxhjälparna får introduktion, handledning och regelbunden återkoppling.',
  'Kommunen bidrar med kunskap om målgruppen och med kontakter till skolor, fritidsgårdar och socialtjänst.',
  'Uppföljningen sker i dialog, och parterna tar tillsammans ställning till om insatserna behöver förändras.',
  'Ändringar i överenskommelsen ska vara skriftliga och undertecknade av båda parter för att vara giltiga.',
  'Den idéburna organisationens självständighet och rätt att vara röstbärare påverkas inte av överenskommelsen.',
];

function prose(n: number, seed: number): string {
  return Array.from({ length: n }, (_, i) => SENTENCES[(seed + i) % SENTENCES.length]).join(' ');
}

/** The complete fixture, with every section grown to about two pages and long goal and contribution tables. */
function fortyPages(): AgreementSnapshot {
  const s = exportFixture();
  s.sections = s.sections.map((sec, i) => {
    const extra: RichNode[] = [];
    for (let k = 0; k < 6; k++) {
      extra.push(p(prose(6, i + k), t(' Detta gäller särskilt ', 'bold'), t('under hela perioden.', 'italic')));
    }
    extra.push(h(1, 'Närmare beskrivning'), ul(prose(1, i), prose(2, i + 1), prose(1, i + 2)));
    extra.push(p(prose(5, i + 3)), ol(prose(1, i + 4), prose(1, i + 5)));
    if (i % 3 === 0) extra.push(table(['Aktivitet', 'Ansvarig', 'När'], ...Array.from({ length: 6 }, (_, r) => [`Aktivitet ${r + 1}`, r % 2 ? 'Kommunen' : 'Föreningen', `Vecka ${r * 4 + 2}`])));
    extra.push(p(prose(6, i + 5)));
    return { ...sec, body: doc(...(sec.body.content ?? []), ...extra) };
  });
  const g0 = s.goals[0]!;
  s.goals = Array.from({ length: 20 }, (_, i) => ({ ...g0, id: `g${i}`, goal: `${g0.goal} (delmål ${i + 1})` }));
  const c0 = s.contributions;
  s.contributions = Array.from({ length: 30 }, (_, i) => ({ ...c0[i % c0.length]!, id: `c${i}` }));
  return s;
}

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

async function measure(label: string, fn: () => Promise<Buffer>): Promise<{ median: number; size: number; last: Buffer }> {
  let last: Buffer = Buffer.alloc(0);
  for (let i = 0; i < WARMUP; i++) last = await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`${label}: median ${median.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)}, ${RUNS} runs)`);
  return { median, size: last.length, last };
}

const snapshot = fortyPages();
const meta = exportMeta({ mode: 'signing' });
const pdf = await measure('PDF ', () => renderPdf(snapshot, meta));
const docx = await measure('DOCX', () => renderDocx(snapshot, meta));
const pages = pageCount(pdf.last);
console.log(`\nPDF pages: ${pages}, PDF ${(pdf.size / 1024).toFixed(0)} KiB, DOCX ${(docx.size / 1024).toFixed(0)} KiB`);
console.log(`PDF  ${pdf.median < 1500 ? 'meets' : 'MISSES'} the 1.5 s goal; DOCX ${docx.median < 500 ? 'meets' : 'MISSES'} the 0.5 s goal.`);
