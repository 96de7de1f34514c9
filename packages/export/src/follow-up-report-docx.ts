/**
 * The follow-up report as a Word document, built with the agreement export's builder (docx.ts): the
 * same styles (Title, Heading1–2, Muted, Table Text), header, footer with page numbers, bordered tables
 * with repeating header rows.
 */
import { HeadingLevel, Paragraph, TextRun, type FileChild } from 'docx';
import { DocxBuilder, renderDocx, ACCENT, HEAD_FONT } from './docx.ts';
import {
  findingText,
  formatValue,
  goalComments,
  keyDateText,
  measurementsAsOf,
  personText,
  reportMeta,
  reportText,
  type FollowUpReportInput,
} from './follow-up-report.ts';
import type { AgreementSnapshot } from '@overens/model';
import type { ExportMeta } from './meta.ts';

class FollowUpReportBuilder extends DocxBuilder {
  constructor(
    s: AgreementSnapshot,
    meta: ExportMeta,
    private readonly input: FollowUpReportInput,
  ) {
    super(s, meta);
  }

  override body(): FileChild[] {
    const input = this.input;
    const t = reportText(input.locale);
    const out: FileChild[] = [
      new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: t.kicker, font: HEAD_FONT, bold: true, size: 17, color: ACCENT, characterSpacing: 30 })] }),
      new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(t.title)] }),
      this.para(input.snapshot.title, { bold: true, size: 30 }),
    ];
    const parties = input.snapshot.parties.map((p) => p.name).filter(Boolean);
    if (parties.length) out.push(this.para(`${t.between}: ${parties.join(input.locale === 'en' ? ' and ' : ' och ')}`));
    out.push(
      this.para(`${t.version}: ${input.signedVersion.label} (version ${input.signedVersion.number}, ${input.signedVersion.lockedAt.slice(0, 10)})`),
      this.para(`${t.asOf}: ${input.asOf}`),
      this.para(`${t.hash}: ${input.signedVersion.hash}`, { size: 16 }),
      this.muted(t.rule),
    );
    input.goals.forEach((g, i) => {
      out.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${t.goal(i + 1)}: ${g.goal}`)] }));
      const baseline = [g.baseline.value || t.none, g.baseline.date ? `(${g.baseline.date})` : '', g.baseline.source ? `${t.source}: ${g.baseline.source}` : ''].filter(Boolean).join(' ');
      for (const [label, value] of [
        [t.indicator, g.indicator || t.none],
        [t.baseline, baseline],
        [t.target, [g.target || t.none, g.deadline ?? ''].filter(Boolean).join(', ')],
        [t.responsible, g.responsiblePartyName ?? t.none],
        [t.followUps, g.followUpDates.join(', ') || t.none],
        [t.status, t.statusLabel[g.status]],
      ] as Array<[string, string]>) {
        out.push(new Paragraph({ spacing: { after: 40 }, children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] }));
      }
      out.push(this.subheading(t.measurements));
      const ms = measurementsAsOf(g, input.asOf);
      if (ms.length === 0) out.push(this.muted(t.noMeasurements));
      else {
        out.push(
          this.table(
            t.columns.map((header, c) => ({ header, width: [1, 1, 3, 2, 2][c]!, ...(c === 1 ? { align: 'right' as const } : {}) })),
            ms.map((m) => ({
              cells: [m.measuredOn, formatValue(m.value, input.locale), m.source, personText(input, m.recordedBy), m.confirmations.map((c) => personText(input, c)).join('\n') || t.none],
            })),
          ),
        );
      }
      const comments = goalComments(input, g);
      if (comments.length) out.push(this.subheading(t.comments), ...comments.map((c) => this.para(c)));
    });
    out.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(t.findings)] }));
    if (input.findings.length === 0) out.push(this.muted(t.noFindings));
    for (const f of input.findings) out.push(this.para(findingText(input, f)));
    out.push(
      new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(t.keyDates)] }),
      this.table(
        [
          { header: t.keyColumns[0], width: 1 },
          { header: t.keyColumns[1], width: 5 },
        ],
        input.keyDates.map((d) => ({ cells: [d.date, keyDateText(input, d)] })),
      ),
    );
    return out;
  }
}

export async function renderFollowUpReportDocx(input: FollowUpReportInput): Promise<Buffer> {
  const t = reportText(input.locale);
  const snapshot = { ...input.snapshot, title: `${t.title}: ${input.snapshot.title}` };
  return renderDocx(snapshot, reportMeta(input), { subject: t.title, builder: (s, meta) => new FollowUpReportBuilder(s, meta, input) });
}
