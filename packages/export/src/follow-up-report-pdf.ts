/**
 * The follow-up report as a tagged PDF, drawn with the agreement export's renderer (pdf.ts): the same
 * fonts, colours, running header and footer (signed version and its hash), tables and structure tree
 * (Document; H1 title, H2 per goal and part, H3, P, Table/TR/TH/TD), /Lang and PDF/A-2b claim.
 */
import { renderPdf, Renderer, ACCENT, MARGIN, MUTED, type Doc } from './pdf.ts';
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

class FollowUpReportRenderer extends Renderer {
  constructor(
    doc: Doc,
    s: AgreementSnapshot,
    meta: ExportMeta,
    private readonly input: FollowUpReportInput,
  ) {
    super(doc, s, meta);
  }

  private h(level: 'H1' | 'H2', text: string): void {
    const doc = this.doc;
    if (level === 'H2') {
      doc.moveDown(0.8);
      this.ensureSpace(90);
    }
    const y = doc.y;
    this.leaf(this.root, level, () => this.font('Sans-Bold', level === 'H1' ? 20 : 13.5, ACCENT).text(text, MARGIN.left, y, { width: this.width }));
    if (level === 'H2') {
      doc.moveDown(0.2);
      this.rule(doc.y, undefined, 0.5);
    }
    doc.moveDown(0.5);
    doc.x = MARGIN.left;
  }

  override render(): void {
    const doc = this.doc;
    const input = this.input;
    const t = reportText(input.locale);
    doc.addPage();
    this.leaf(this.root, 'P', () => this.font('Sans-Bold', 8.5, ACCENT).text(t.kicker, MARGIN.left, doc.y, { width: this.width, characterSpacing: 1 }));
    doc.moveDown(0.6);
    this.h('H1', t.title);
    this.paragraph(input.snapshot.title, { font: 'Serif-Bold', size: 15 });
    const parties = input.snapshot.parties.map((p) => p.name).filter(Boolean);
    if (parties.length) this.paragraph(`${t.between}: ${parties.join(input.locale === 'en' ? ' and ' : ' och ')}`);
    this.paragraph(`${t.version}: ${input.signedVersion.label} (version ${input.signedVersion.number}, ${input.signedVersion.lockedAt.slice(0, 10)})`, { font: 'Sans', size: 9.5 });
    this.paragraph(`${t.asOf}: ${input.asOf}`, { font: 'Sans', size: 9.5 });
    this.paragraph(`${t.hash}: ${input.signedVersion.hash}`, { font: 'Mono', size: 7.5 });
    this.paragraph(t.rule, { font: 'Serif-Italic', size: 9.5, color: MUTED });

    input.goals.forEach((g, i) => {
      this.h('H2', `${t.goal(i + 1)}: ${g.goal}`);
      const baseline = [g.baseline.value || t.none, g.baseline.date ? `(${g.baseline.date})` : '', g.baseline.source ? `${t.source}: ${g.baseline.source}` : ''].filter(Boolean).join(' ');
      for (const [label, value] of [
        [t.indicator, g.indicator || t.none],
        [t.baseline, baseline],
        [t.target, [g.target || t.none, g.deadline ?? ''].filter(Boolean).join(', ')],
        [t.responsible, g.responsiblePartyName ?? t.none],
        [t.followUps, g.followUpDates.join(', ') || t.none],
        [t.status, t.statusLabel[g.status]],
      ] as Array<[string, string]>) {
        this.paragraph(`${label}: ${value}`, { size: 10, gap: 3 });
      }
      this.subheading(t.measurements);
      const ms = measurementsAsOf(g, input.asOf);
      if (ms.length === 0) this.paragraph(t.noMeasurements, { font: 'Serif-Italic', color: MUTED });
      else {
        this.table(
          t.columns.map((header, c) => ({ header, width: [1, 1, 3, 2, 2][c]!, ...(c === 1 ? { align: 'right' as const } : {}) })),
          ms.map((m) => ({
            cells: [m.measuredOn, formatValue(m.value, input.locale), m.source, personText(input, m.recordedBy), m.confirmations.map((c) => personText(input, c)).join('\n') || t.none],
          })),
        );
      }
      const comments = goalComments(input, g);
      if (comments.length) {
        this.subheading(t.comments);
        for (const c of comments) this.paragraph(c, { size: 9.5, gap: 3 });
      }
    });

    this.h('H2', t.findings);
    if (input.findings.length === 0) this.paragraph(t.noFindings, { font: 'Serif-Italic', color: MUTED });
    for (const f of input.findings) this.paragraph(findingText(input, f), { size: 10, gap: 3 });

    this.h('H2', t.keyDates);
    this.table(
      [
        { header: t.keyColumns[0], width: 1 },
        { header: t.keyColumns[1], width: 5 },
      ],
      input.keyDates.map((d) => ({ cells: [d.date, keyDateText(input, d)] })),
    );
    this.decorate();
  }
}

export async function renderFollowUpReportPdf(input: FollowUpReportInput): Promise<Buffer> {
  const t = reportText(input.locale);
  // The running header names the report and the agreement.
  const snapshot = { ...input.snapshot, title: `${t.title}: ${input.snapshot.title}` };
  return renderPdf(snapshot, reportMeta(input), {
    subject: t.title,
    renderer: (doc, s, meta) => new FollowUpReportRenderer(doc, s, meta, input),
  });
}
