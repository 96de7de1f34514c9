import type { Finding } from '../../types.ts';
import type { Rule } from '../types.ts';
import { addMonths, isIsoDate } from '../util.ts';

/** Start before end; a year or more (warning); notice and renegotiation consistent with the period. */
export const periodRule: Rule = {
  id: 'period',
  description: 'Period has valid start and end, start before end; shorter than a year: warning; notice period and renegotiation date consistent with the period.',
  run({ snapshot }) {
    const { start, end, noticeMonths, renegotiationBy } = snapshot.period;
    const findings: Finding[] = [];
    for (const [field, value, sv, en] of [
      ['start', start, 'startdatum', 'start date'],
      ['end', end, 'slutdatum', 'end date'],
    ] as const) {
      if (!value) {
        findings.push({
          ruleId: 'period_missing',
          severity: 'error',
          target: { kind: 'period', field },
          message: { sv: `Partnerskapets period saknar ${sv}.`, en: `The partnership period has no ${en}.` },
        });
      } else if (!isIsoDate(value)) {
        findings.push({
          ruleId: 'period_invalid_date',
          severity: 'error',
          target: { kind: 'period', field },
          message: {
            sv: `Periodens ${sv} ”${value}” är inget giltigt datum (ÅÅÅÅ-MM-DD).`,
            en: `The period's ${en} "${value}" is not a valid date (YYYY-MM-DD).`,
          },
        });
      }
    }
    if (noticeMonths !== null && (!Number.isInteger(noticeMonths) || noticeMonths < 0)) {
      findings.push({
        ruleId: 'period_notice',
        severity: 'error',
        target: { kind: 'period', field: 'noticeMonths' },
        message: {
          sv: `Uppsägningstiden (${noticeMonths}) ska vara ett helt antal månader, noll eller fler.`,
          en: `The notice period (${noticeMonths}) must be a whole number of months, zero or more.`,
        },
      });
    } else if (noticeMonths === null) {
      findings.push({
        ruleId: 'period_notice',
        severity: 'warning',
        target: { kind: 'period', field: 'noticeMonths' },
        message: {
          sv: 'Uppsägningstid saknas. Ange hur många månaders uppsägningstid som gäller.',
          en: 'No notice period. State how many months of notice apply.',
        },
      });
    }
    if (renegotiationBy !== null && !isIsoDate(renegotiationBy)) {
      findings.push({
        ruleId: 'period_invalid_date',
        severity: 'error',
        target: { kind: 'period', field: 'renegotiationBy' },
        message: {
          sv: `Datumet för omförhandling ”${renegotiationBy}” är inget giltigt datum (ÅÅÅÅ-MM-DD).`,
          en: `The renegotiation date "${renegotiationBy}" is not a valid date (YYYY-MM-DD).`,
        },
      });
    }
    if (!isIsoDate(start) || !isIsoDate(end)) return findings;

    if (start >= end) {
      findings.push({
        ruleId: 'period_order',
        severity: 'error',
        target: { kind: 'period', field: 'end' },
        message: {
          sv: `Periodens slutdatum (${end}) måste ligga efter startdatumet (${start}).`,
          en: `The period's end date (${end}) must be after its start date (${start}).`,
        },
      });
      return findings;
    }
    if (end < addMonths(start, 12)) {
      findings.push({
        ruleId: 'period_short',
        severity: 'warning',
        target: { kind: 'period', field: 'end' },
        message: {
          sv: `Perioden ${start} – ${end} är kortare än ett år. Ett IOP är tänkt att vara långsiktigt; överväg en längre period.`,
          en: `The period ${start} – ${end} is shorter than a year. An IOP is meant to be long-term; consider a longer period.`,
        },
      });
    }
    const lastNoticeDay = noticeMonths !== null && Number.isInteger(noticeMonths) && noticeMonths >= 0 ? addMonths(end, -noticeMonths) : null;
    if (lastNoticeDay !== null && lastNoticeDay <= start) {
      findings.push({
        ruleId: 'period_notice',
        severity: 'error',
        target: { kind: 'period', field: 'noticeMonths' },
        message: {
          sv: `Uppsägningstiden (${noticeMonths} månader) är lika lång som eller längre än hela perioden ${start} – ${end}.`,
          en: `The notice period (${noticeMonths} months) is as long as or longer than the whole period ${start} – ${end}.`,
        },
      });
    }
    if (isIsoDate(renegotiationBy)) {
      if (renegotiationBy < start || renegotiationBy >= end) {
        findings.push({
          ruleId: 'period_renegotiation',
          severity: 'error',
          target: { kind: 'period', field: 'renegotiationBy' },
          message: {
            sv: `Datumet då omförhandling ska inledas (${renegotiationBy}) måste ligga inom perioden och före slutdatumet (${start} – ${end}).`,
            en: `The date by which renegotiation starts (${renegotiationBy}) must be within the period and before its end (${start} – ${end}).`,
          },
        });
      } else if (lastNoticeDay !== null && lastNoticeDay > start && renegotiationBy > lastNoticeDay) {
        findings.push({
          ruleId: 'period_renegotiation',
          severity: 'warning',
          target: { kind: 'period', field: 'renegotiationBy' },
          message: {
            sv: `Omförhandlingen ska inledas ${renegotiationBy}, efter sista dag för uppsägning (${lastNoticeDay}, ${noticeMonths} månader före slutdatum). Inled omförhandlingen senast ${lastNoticeDay}.`,
            en: `Renegotiation starts ${renegotiationBy}, after the last day to give notice (${lastNoticeDay}, ${noticeMonths} months before the end). Start renegotiating by ${lastNoticeDay}.`,
          },
        });
      }
    } else if (renegotiationBy === null) {
      findings.push({
        ruleId: 'period_renegotiation',
        severity: 'warning',
        target: { kind: 'period', field: 'renegotiationBy' },
        message: {
          sv: 'Datum för när omförhandling ska inledas saknas. Ange när parterna senast ska börja förhandla om en förlängning.',
          en: 'No date by which renegotiation starts. State when the parties start negotiating an extension at the latest.',
        },
      });
    }
    return findings;
  },
};
